# Production image of the portal: gunicorn (web), celery worker and celery beat all run
# from this one image; docker-compose.yml chooses the command. See .env.example.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=skola_kopiena.settings.production \
    PRIVATE_MEDIA_ROOT=/data/private

# WeasyPrint (PDF) runtime libraries and a font; gettext for compilemessages; the
# PostgreSQL client (15, as the server in docker-compose.yml) for `manage.py backup`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The same uv as in development (`uv --version`), so uv.lock is read the same way.
RUN pip install --no-cache-dir uv==0.9.30

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev

COPY . .

# Translations and static files are built into the image. The SECRET_KEY here is a
# throw-away value for these two commands only; it is not kept in the image's environment.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0123456789 \
        python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0123456789 \
        python manage.py collectstatic --noinput

# Run as an unprivileged user. The code stays root-owned (read-only to the app); writable
# are only the user's home (gunicorn >= 25 puts its control socket in ~/.gunicorn) and the
# private media and backup directories, created and chowned before VOLUME so that a new
# named volume mounted there starts with this owner.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app \
    && mkdir -p /data/private /backups \
    && chown app:app /data/private /backups \
    && chmod 750 /data/private \
    && chmod 700 /backups
VOLUME ["/data/private", "/backups"]

USER app

EXPOSE 8000
CMD ["gunicorn", "skola_kopiena.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
