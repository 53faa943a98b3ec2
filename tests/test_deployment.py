"""Deployment files: docker-compose.yml, .env.example and `check --deploy` agree with the settings.

No database is needed: the files are read as text and `check --deploy` runs in a subprocess.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DIR = ROOT / "skola_kopiena" / "settings"

# Read by docker-compose.yml itself (variable substitution), not by the Django settings.
COMPOSE_ONLY_VARIABLES = {"POSTGRES_PASSWORD"}

# env("NAME", ...), env.bool("NAME", ...), env.db("NAME", ...), env.cache("NAME", ...), ...
SETTINGS_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
ENV_EXAMPLE_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=")


def compose_services():
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)["services"]


def command_tokens(service):
    """The service's command as a flat list of words (a `sh -c "..."` script is split too)."""
    command = service.get("command") or []
    if isinstance(command, str):
        return shlex.split(command)
    return [word for part in command for word in shlex.split(str(part))]


def celery_subcommand(tokens):
    """`worker` / `beat` when the command runs celery, else None."""
    if "celery" not in tokens:
        return None
    rest = tokens[tokens.index("celery") + 1 :]
    return next((word for word in rest if word in {"worker", "beat"}), None)


def runs_beat(service):
    tokens = command_tokens(service)
    sub = celery_subcommand(tokens)
    # A worker started with -B/--beat embeds a beat scheduler too.
    return sub == "beat" or (sub == "worker" and ("-B" in tokens or "--beat" in tokens))


def settings_variables():
    names = set()
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        names |= set(SETTINGS_READ.findall(path.read_text(encoding="utf-8")))
    return names


def env_example_variables():
    names = set()
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ENV_EXAMPLE_LINE.match(line.strip())
        if match:
            names.add(match.group(1))
    return names


def test_compose_has_all_services():
    assert {"db", "redis", "web", "worker", "beat"} <= set(compose_services())


def test_compose_commands():
    services = compose_services()
    web = command_tokens(services["web"])
    assert "gunicorn" in web
    assert "skola_kopiena.wsgi:application" in web
    assert celery_subcommand(command_tokens(services["worker"])) == "worker"
    assert celery_subcommand(command_tokens(services["beat"])) == "beat"


def test_only_the_proxy_on_the_host_reaches_the_app():
    # The login rate limits trust X-Forwarded-For from the proxy: no way around it.
    published = compose_services()["web"]["ports"]
    assert published and all(str(port).startswith("127.0.0.1:") for port in published)


def test_exactly_one_beat():
    beats = [name for name, service in compose_services().items() if runs_beat(service)]
    assert beats == ["beat"]
    assert "replicas" not in (compose_services()["beat"].get("deploy") or {})


def test_app_services_use_production_settings_and_the_shared_services():
    services = compose_services()
    for name in ("web", "worker", "beat"):
        service = services[name]
        environment = service["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "skola_kopiena.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://skola:${POSTGRES_PASSWORD")
        assert environment["DATABASE_URL"].endswith("@db:5432/skola")
        assert environment["CACHE_URL"] == "redis://redis:6379/1"
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert service["env_file"] in (".env", [".env"])
        for dependency in ("db", "redis"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert any(v.endswith(":/data/private") for v in services[name]["volumes"])


def test_every_documented_variable_is_read_by_the_settings():
    undocumented_reads = env_example_variables() - COMPOSE_ONLY_VARIABLES - settings_variables()
    assert not undocumented_reads, f"in .env.example but not read by settings: {undocumented_reads}"


def test_every_variable_read_by_the_settings_is_documented():
    read = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "SECURE_HSTS_SECONDS"} <= read  # sanity
    missing = read - env_example_variables()
    assert not missing, f"read by settings but missing from .env.example: {missing}"


def test_env_example_has_one_comment_per_variable():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if ENV_EXAMPLE_LINE.match(line.strip()):
            assert index > 0 and lines[index - 1].startswith("# "), f"no comment above {line!r}"


def test_image_runs_as_non_root_and_keeps_secrets_out_of_the_build():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", ".git", "db.sqlite3", "private_media", "staticfiles"} <= set(ignored)


def test_check_deploy_passes_clean(tmp_path):
    # A clean environment: nothing leaks in from the test run (test settings set DEBUG etc.).
    env = {key: os.environ[key] for key in ("PATH", "SYSTEMROOT", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="skola_kopiena.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.lv",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    result = subprocess.run(  # noqa: S603 - fixed argv: our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output
