# Two commands on a fresh machine:
#   make lab   - create .venv, install what learners need, open the course in JupyterLab
#   make test  - create/reuse .venv, add the test stack and run every test (unit, notebooks,
#                hygiene, lint, browser)
# Re-running a target when nothing changed does not reinstall: the install stamps are keyed on a
# hash of pyproject.toml, requirements.lock and etc/jupyterlab-overrides.json. Installs take the
# exact versions of requirements.lock (the Binder / hub image) for every package it pins.

# Voila's class settings (template without CDN, no tracebacks, kernel culling): etc/jupyter/.
ETC_JUPYTER := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))/etc/jupyter
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEPS_HASH := $(shell cat pyproject.toml requirements.lock etc/jupyterlab-overrides.json 2>/dev/null | sha256sum | cut -c1-16)
# Learners (make lab, make app): the course and its runtime stack only.
LAB_STAMP := $(VENV)/.installed-runtime-$(DEPS_HASH)
# Everything else (tests, site, benchmarks): the runtime stack plus the `dev` extra.
STAMP  := $(VENV)/.installed-dev-$(DEPS_HASH)
PIP    := $(BIN)/python -m pip install --constraint requirements.lock
# jupyter refuses to start as root (containers, cloud VMs) unless told; make lab says so.
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=
APP_ARGS ?=
HUB_ARGS ?=
PYTEST_ARGS ?=

BENCH_ARGS ?=
SITE_DIR ?= site
SITE_ARGS ?=

.PHONY: lock lite hub hub-deps site handouts bench lab app test test-fast test-browser lint clean-notebooks check-notebooks install clean help

help:
	@echo "make lab             create .venv if needed and open the course in JupyterLab"
	@echo "make app             serve the course's notebooks as apps with Voila (token-protected)"
	@echo "make hub             run a JupyterHub for a class on this machine (docs/deploy.md)"
	@echo "make test            run every test (unit, notebooks, hygiene, lint, browser)"
	@echo "make test-fast       everything except the real-browser tests"
	@echo "make clean-notebooks strip outputs, execution counts and widget state"
	@echo "make site            build the book edition into site/ (Sphinx + MyST-NB, offline; docs/static-site.md)"
	@echo "make handouts        export every notebook to printable static HTML in handouts/"
	@echo "make bench           run the benchmarks and write benchmarks/RESULTS.md"
	@echo "make lite            build the serverless JupyterLite edition into build/lite/_output"
	@echo "make lock            re-pin requirements.lock and environment.yml (Binder / hub image)"

install: $(STAMP)

$(LAB_STAMP): pyproject.toml requirements.lock etc/jupyterlab-overrides.json
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python >= 3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 needed, found $$($(PYTHON) --version)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "make: installing the course and what learners need (JupyterLab, Voila, pandas, plotly, ipywidgets; ~1-2 min the first time)"
	$(PIP) -e .
	# rfc3987-syntax (pulled in by jupyter-events -> jsonschema[format-nongpl]) builds a grammar
	# at import time: seconds in every kernel's first figure, nbval, nbconvert and server start.
	# Without it jsonschema only skips the 'iri' format check; pip check stays clean.
	# Measured in benchmarks/RESULTS.md ("Start-up cost").
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	rm -f $(VENV)/.installed-*
	touch $(LAB_STAMP)

$(STAMP): $(LAB_STAMP)
	@echo "make: adding the test stack (pytest, nbval, Playwright, ruff, nbstripout, ...)"
	$(PIP) -e '.[dev]'
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	rm -f $(VENV)/.installed-dev-*
	touch $(STAMP)

# Exact versions of the Binder / hub image: requirements.lock (uv) and environment.yml (same pins).
# Run after editing dependencies in pyproject.toml; LOCK_ARGS=--upgrade moves every pin forward.
LOCK_ARGS ?=
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra image --python-version 3.11 --python-platform x86_64-unknown-linux-gnu -o requirements.lock $(LOCK_ARGS)
	$(BIN)/python tools/lock_environment.py

lab: $(LAB_STAMP)
	@if [ -n "$(ROOT_ARGS)" ]; then echo "make lab: running as root (container or cloud VM?): adding --allow-root"; fi
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" notebooks/00_start_here.ipynb $(ROOT_ARGS) $(LAB_ARGS)

# --token: a random token in the printed URL (a class on a shared network cannot open the apps
# without it); set APP_ARGS=--Voila.token=... to choose it.
app: $(LAB_STAMP)
	JUPYTER_CONFIG_PATH="$(ETC_JUPYTER)" JUPYTER_PATH="$(ETC_JUPYTER)" \
	  $(BIN)/voila notebooks/ --Voila.ip=127.0.0.1 --token $(APP_ARGS)

HUB_DIR := deploy/jupyterhub
CHP     := $(HUB_DIR)/node_modules/.bin/configurable-http-proxy
# The hub and the students' servers run from their own venv: as root every student's server runs
# as that student's Unix account, so its Python must be readable by all accounts - a Python under
# /root (pyenv) is not; Debian's /usr/bin/python3 is.
HUB_VENV   ?= .venv-hub
HUB_PYTHON ?= $(if $(filter 0,$(shell id -u)),$(firstword $(wildcard /usr/bin/python3) $(PYTHON)),$(PYTHON))
HUB_STAMP  := $(HUB_VENV)/.installed-$(DEPS_HASH)

# configurable-http-proxy (npm) for JupyterHub, into a git-ignored node_modules/ beside the config.
hub-deps: $(CHP) $(HUB_STAMP)

$(CHP): $(HUB_DIR)/package.json $(HUB_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found; install Node.js >= 18"; exit 1; }
	npm ci --prefix $(HUB_DIR) --no-audit --no-fund
	touch $@

$(HUB_STAMP): pyproject.toml etc/jupyterlab-overrides.json
	test -x $(HUB_VENV)/bin/python || $(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -e '.[hub]'
	$(HUB_VENV)/bin/python -m pip uninstall --quiet --yes rfc3987-syntax
	rm -f $(HUB_VENV)/.installed-*
	touch $@

hub: $(CHP) $(HUB_STAMP)
	$(HUB_VENV)/bin/jupyterhub -f $(HUB_DIR)/jupyterhub_config.py $(HUB_ARGS)

test: $(STAMP) $(CHP) $(HUB_STAMP)
	$(BIN)/ruff check mastolib tests benchmarks
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP) $(CHP) $(HUB_STAMP)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check mastolib tests benchmarks

# nbstripout strips outputs, execution counts and widget state (the pre-commit hook does the same);
# --keep-id keeps the committed cell ids. The skeleton checks are the course's own (_hygiene).
NBSTRIPOUT := $(BIN)/nbstripout --keep-id

clean-notebooks: $(STAMP)
	$(NBSTRIPOUT) notebooks/*.ipynb

check-notebooks: $(STAMP)
	$(NBSTRIPOUT) --verify notebooks/*.ipynb
	$(BIN)/python -m mastolib.course._hygiene check notebooks

# Serverless edition (JupyterLite + Pyodide kernel) into build/lite/_output; docs/serverless.md.
lite: $(STAMP)
	$(PIP) --quiet -e '.[lite]'
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	$(BIN)/python tools/build_lite.py

# Executed notebooks are kept in build/book-cache and reused until a notebook, mastolib or data/
# changes; the book's generated sources are in build/book.
site: $(STAMP)
	$(BIN)/python -m mastolib.course._export site $(SITE_DIR) $(SITE_ARGS)

handouts: $(STAMP)
	$(BIN)/python -m mastolib.course._export handouts handouts

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(HUB_VENV) $(HUB_DIR)/node_modules build *.egg-info .pytest_cache test-artifacts site handouts
