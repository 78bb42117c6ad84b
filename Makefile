# cookiesite: `make run` serves the site, `make test` runs the whole suite.
# Both set everything up on a fresh machine: the virtualenv, the packages,
# the database schema and (for the tests, as root) Debian's Chromium.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
FLASK  := $(BIN)/flask --app cookiesite
#: Every package and version that gets installed, resolved within
#: pyproject.toml's ranges: pip constraints, refreshed by `make lock`.
LOCK   := constraints.txt
# -qq: pip's own warnings about this machine's package mirrors are noise here.
PIP    := $(BIN)/python -m pip install -qq -c $(LOCK)

.PHONY: run serve test lint lock translations chromium bench screenshots lighthouse clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cookiesite needs Python 3.11+"'
	@echo "==> Making a virtualenv in $(VENV)/"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	@echo "==> Installing cookiesite and the $$(grep -c '==' $(LOCK)) locked packages it may need (about a minute, once)"
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(BIN)/python
	@echo "==> Installing cookiesite with its test tools, from $(LOCK) (about two minutes, once)"
	$(PIP) -e '.[dev]'
	touch $(VENV)/.installed $@

# The translations: one catalogue (.po) per language under site/translations/,
# compiled to the .mo files Flask-Babel reads. The .mo files are built here,
# not committed: they are the .po files again, in binary.
TRANSLATIONS := site/translations
CATALOGUES   := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED     := $(CATALOGUES:.po=.mo)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics --use-fuzzy -d $(TRANSLATIONS) -l $* 2>&1 | sed 's/^/==> /'

# After changing texts: gather them from the code and templates, add the new
# ones to every catalogue (to be translated there), then compile.
translations: $(VENV)/.installed
	$(BIN)/pybabel --quiet extract --no-location --sort-output -F $(TRANSLATIONS)/babel.cfg \
	  -k _l -o build/messages.pot .
	$(BIN)/pybabel --quiet update --no-fuzzy-matching --ignore-obsolete --no-wrap \
	  -i build/messages.pot -d $(TRANSLATIONS)
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

run: $(VENV)/.installed $(COMPILED)
	@echo "==> Bringing the database under instance/ up to date"
	$(FLASK) db upgrade
	@echo "==> cookiesite is at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# The site as deployed (README, "Deploying"): gunicorn, COOKIESITE_ENV=production,
# one worker per core plus one, DATABASE_URL and FLASK_RATELIMIT_STORAGE_URI
# from the environment. FLASK_SECRET_KEY must be set. Put it behind HTTPS
# (the cookies are Secure) and a buffering proxy such as nginx.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
serve: $(COMPILED) | $(BIN)/python
	@[ -n "$$FLASK_SECRET_KEY" ] || { echo 'FLASK_SECRET_KEY is not set: export FLASK_SECRET_KEY="$$(python3 -c "import secrets; print(secrets.token_hex(32))")"'; exit 2; }
	@echo "==> Database: $${DATABASE_URL:-SQLite under instance/ (set DATABASE_URL for PostgreSQL)}"
	@echo "==> Login limits counted in: $${FLASK_RATELIMIT_STORAGE_URI:-memory://, per worker (set FLASK_RATELIMIT_STORAGE_URI=redis://... to share)}"
	$(PIP) -e '.[server,postgres,redis]'
	COOKIESITE_ENV=production $(FLASK) db upgrade
	COOKIESITE_ENV=production $(BIN)/gunicorn --workers $(WORKERS) \
	  --bind $(HOST):$(PORT) --access-logfile - 'cookiesite:create_app()'

# Refresh $(LOCK) within pyproject.toml's ranges (uv resolves it from PyPI).
lock: | $(BIN)/python
	$(BIN)/python -m pip install -qq 'uv>=0.9,<1'
	$(BIN)/uv pip compile --quiet --all-extras --python-version 3.11 pyproject.toml -o $(LOCK)

# Two processes (pytest-xdist), each test file whole in one of them.
test: $(VENV)/.installed-dev $(COMPILED) chromium lint
	$(BIN)/pytest -n 2 --dist loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests use Debian's Chromium (Playwright cannot download its own
# here). Installed when missing and we are root; otherwise those tests skip.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "chromium could not be installed: the browser tests will skip"; \
	else \
	  echo "/usr/bin/chromium is missing and we are not root: the browser tests will skip"; \
	fi

# The load benchmark (see bench/run.py); wrk comes from Debian's packages.
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "wrk is missing: apt-get install wrk"; exit 2; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# PNGs of the main pages, light and dark, in docs/screenshots/ (tools/screenshots.py).
screenshots: $(VENV)/.installed-dev chromium
	$(BIN)/python tools/screenshots.py

# Lighthouse's four scores for the main pages on a simulated phone
# (tools/lighthouse.py). Lighthouse comes from npm into .lighthouse/ (ignored
# by git): 12.x, as 13 needs Node 22. LIGHTHOUSE_ARGS=--runs=3 takes medians.
LIGHTHOUSE_VERSION := 12.8.2
.lighthouse/installed-$(LIGHTHOUSE_VERSION):
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install npm"; exit 2; }
	npm install --prefix .lighthouse --no-save --no-audit --no-fund --loglevel=error \
	  lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

lighthouse: $(VENV)/.installed chromium .lighthouse/installed-$(LIGHTHOUSE_VERSION)
	$(BIN)/python tools/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .lighthouse
