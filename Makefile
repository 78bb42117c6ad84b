# cookiesite: `make run` serves the site, `make test` runs the whole suite.
# Both set everything up on a fresh machine: the virtualenv, the packages,
# the database schema and (for the tests, as root) Debian's Chromium.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
FLASK  := $(BIN)/flask --app cookiesite
# -qq: pip's own warnings about this machine's package mirrors are noise here.
PIP    := $(BIN)/python -m pip install -qq

.PHONY: run test lint chromium bench screenshots clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cookiesite needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	@echo "cookiesite is at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Two processes (pytest-xdist), each test file whole in one of them.
test: $(VENV)/.installed-dev chromium lint
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
# The emoji font draws the navbar's icons; installed when missing and we are root.
screenshots: $(VENV)/.installed-dev chromium
	@[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || { [ "$$(id -u)" = 0 ] \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null; } \
	  || echo "fonts-noto-color-emoji is missing: the icons will show as boxes"
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
