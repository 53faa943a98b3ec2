# Quick start: `make run` (SQLite, demo data, eager Celery) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: install run test test-fast lint check messages demo bench bench-payroll clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON))."; exit 1; }
	@ldconfig -p 2>/dev/null | grep -q libpangoft2 || echo "PDFs need: sudo apt-get install -y $(WEASYPRINT_DEBS)"
	test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/pip install -q uv==0.9.30; }
	$(VENV)/bin/uv sync --locked --python $(PY)
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: install
	$(PY) manage.py demo

test: install
	$(PY) -m pytest -n 2

test-fast: install
	$(PY) -m pytest -n 2 -m "not e2e"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check skola_kopiena mentors

check: install
	$(PY) manage.py makemigrations --check --dry-run

# Every role's pages on the seeded 100k and 1M databases, and two pages under gunicorn, against
# their targets, on PostgreSQL only: DATABASE_URL names the server (it says how to seed them).
# Options: BENCH_ARGS="--only queue --explain".
bench: install
	$(PY) manage.py bench $(BENCH_ARGS)

# Payroll timings against their targets, on PostgreSQL only: DATABASE_URL names the server (a
# scratch database "skola_bench" is made there and dropped). Options: BENCH_ARGS="--repeat 3".
bench-payroll: install
	$(PY) manage.py bench_payroll $(BENCH_ARGS)

# The compiled Latvian catalogue is committed; rebuild it after editing locale/lv/.
messages: install
	$(PY) manage.py makemessages -l lv --no-location --ignore=.venv --ignore=staticfiles --ignore=tests
	$(PY) manage.py compilemessages -l lv --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
