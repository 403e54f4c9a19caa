# Sportello: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install system-deps test-deps run dev migrate demo lint test test-fast stack stack-down stack-smoke bench-stack bench-capacity bench-floor bench-deps bench-pages bench-lighthouse bench-wizard bench-booking bench-ledger bench-pdnd bench-builder bench-survey bench-charges bench-messages check-deploy spid-sp-test backup restore faults clean

help:
	@echo "make run          install, migrate, load demo content, serve http://$(HOST):$(PORT) as production does"
	@echo "make dev          the same with Django's autoreloading debug server"
	@echo "make test         all tests (unit, integration, browser); DATABASE_URL/REDIS_URL/CELERY_BROKER_URL optional"
	@echo "make bench-pages  page benchmark with gunicorn on PostgreSQL, and through nginx (see bench/README.md)"
	@echo "make bench-lighthouse  Lighthouse mobile on the main pages as make run serves them"
	@echo "make bench-wizard wizard saves and submissions, 200 users with locust (see bench/README.md)"
	@echo "make bench-pdnd   what ANPR and INPS cost a wizard step, with the sandboxes (see bench/README.md)"
	@echo "make bench-builder a built procedure's step save against a coded one's, same run (see bench/README.md)"
	@echo "make bench-survey the Region's 0-3 dashboard with 1,200 Comuni, on SQLite then PostgreSQL (see bench/README.md)"
	@echo "make bench-booking 200 citizens racing for 20 appointment slots with locust (see bench/README.md)"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Debian packages: xmlsec1 for SAML signatures, Pango for WeasyPrint's PDF receipts, Chromium
# for the browser tests. Needs root or sudo.
system-deps:
	@if [ ! -x $(CHROMIUM) ] || ! command -v xmlsec1 >/dev/null || ! dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium xmlsec1 libpango-1.0-0 libpangoft2-1.0-0; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_content --with-users

# The demo as production serves it (config/settings/demo.py): DEBUG off, compressed static files,
# gunicorn in one process with threads (the sandboxes call back into the site during a request).
run: export DJANGO_SETTINGS_MODULE = config.settings.demo
run: system-deps demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 1 --worker-class gthread --threads 8 \
		--access-logfile - --access-logformat '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss'

# For developers: Django's autoreloading server with debug pages (config/settings/dev.py).
dev: system-deps demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# ruff, then the import directions of DESIGN §3 (.importlinter; function-local imports count).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# nginx for the test of the client address behind site/nginx.conf (tests/core/test_client_address_behind_nginx.py).
test-deps: system-deps
	@if ! command -v nginx >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q nginx; \
	fi

# Then the same tests once more on an empty database (TESTS_WITHOUT_DEMO=1): those that do not ask for the demo Comune
# must build their own rows (tests/factories/); those that do are skipped there.
test: install test-deps lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest
	TESTS_WITHOUT_DEMO=1 DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -q -m "not browser"

test-fast: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -m "not browser"

spid-sp-test: install
	bash .ci/spid-sp-test.sh

# wrk loads the pages, nginx (configured from site/nginx.conf) stands in front of gunicorn.
bench-deps:
	@if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q wrk nginx; \
	fi

bench-pages: install bench-deps
	$(PY) bench/pages.py

# Lighthouse mobile on the main pages, served as make run serves them (installs Lighthouse with npm).
bench-lighthouse: install system-deps
	$(PY) bench/lighthouse.py

bench-ledger: install
	$(PY) bench/ledger.py

bench-pdnd: install
	$(PY) bench/pdnd.py

bench-builder: install
	$(PY) bench/builder.py

bench-survey: install
	$(PY) bench/survey.py
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_survey} $(PY) bench/survey.py

bench-charges: install
	$(PY) bench/charges.py

bench-messages: install
	$(PY) bench/messages.py

bench-wizard: install
	test -x var/bench-venv/bin/locust || ($(PYTHON) -m venv var/bench-venv && var/bench-venv/bin/pip install --quiet -r bench/requirements.txt)
	$(PY) bench/wizard.py

bench-booking: install
	test -x var/bench-venv/bin/locust || ($(PYTHON) -m venv var/bench-venv && var/bench-venv/bin/pip install --quiet -r bench/requirements.txt)
	$(PY) bench/booking.py

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	ALLOWED_HOSTS=servizi.comune.example.it DATABASE_URL=sqlite:///var/check.sqlite3 \
	SPID_KEY_FILE=/etc/sportello/spid/sp.key SPID_CERT_FILE=/etc/sportello/spid/sp.crt \
	FILE_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	$(PY) manage.py check --deploy --fail-level WARNING

# Backup and restore (services/core/backup.py, site/README.md): with the environment of the deployment
# (DATABASE_URL, PRIVATE_MEDIA_ROOT, FILE_ENCRYPTION_KEYS); a restore goes into an empty database and directory.
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(BACKUP)" || (echo "make restore BACKUP=var/backups/sportello-<time>"; exit 2)
	$(PY) manage.py restore "$(BACKUP)"

# The fault suite (site/faults.py): its own PostgreSQL cluster and Redis, the stack on them, six faults under load,
# the invariants after each. Figures in bench/README.md. CI runs it with FAULTS_FAMILIES=1500.
FAULTS_FAMILIES ?= 10000
faults: install test-deps
	FAULTS_FAMILIES=$(FAULTS_FAMILIES) $(PY) site/faults.py

clean:
	rm -rf $(VENV) db.sqlite3 var static_collected

# The production topology on this machine (site/stack.py, site/README.md): nginx on 127.0.0.1:8080 in front of
# NODES gunicorn nodes (2), a Celery worker per queue and one beat, on PostgreSQL and Redis. Stops only what it started.
NODES ?= 2
stack: install test-deps
	$(PY) site/stack.py up --nodes $(NODES)

stack-down:
	$(PY) site/stack.py down

# CI's smoke test of the stack: up, readiness not in error, an anonymous page kept by nginx, a SPID demo login and a
# top-up paid at the pagoPA sandbox through nginx, down.
stack-smoke: install test-deps
	$(PY) site/stack.py down
	$(PY) site/stack.py up --fresh --nodes $(NODES) || ($(PY) site/stack.py down; exit 1)
	$(PY) site/stack.py smoke || ($(PY) site/stack.py down; exit 1)
	$(PY) site/stack.py down

# The middleware floor: hello world behind ours, behind a fresh project's, and without each of ours (bench/floor.py).
bench-floor: install bench-deps
	$(PY) bench/floor.py

bench-stack: install bench-deps test-deps
	$(PY) bench/stack.py

# Capacity (issue 28): the wizard's submissions and the top-ups per second through the stack, citizens added step by
# step with locust until p95 passes 150 ms (bench/capacity.py). Uses its own database, Redis dbs 12-13 and ports.
bench-capacity: install bench-deps test-deps
	test -x var/bench-venv/bin/locust || ($(PYTHON) -m venv var/bench-venv && var/bench-venv/bin/pip install --quiet -r bench/requirements.txt)
	$(PY) bench/capacity.py
