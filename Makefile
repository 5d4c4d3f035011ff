# Two commands on a fresh machine:
#   make lab   - create .venv, install the course, open it in JupyterLab
#   make test  - create/reuse .venv and run every test (unit, notebooks, hygiene, lint, browser)
# Re-running a target when pyproject.toml is unchanged does not reinstall: the install stamp
# is keyed on a hash of pyproject.toml and etc/jupyterlab-overrides.json.

# Voila's class settings (template without CDN, no tracebacks, kernel culling): etc/jupyter/.
ETC_JUPYTER := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))/etc/jupyter
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEPS_HASH := $(shell cat pyproject.toml etc/jupyterlab-overrides.json 2>/dev/null | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(DEPS_HASH)
LAB_ARGS ?=
APP_ARGS ?=
HUB_ARGS ?=
PYTEST_ARGS ?=

BENCH_ARGS ?=

.PHONY: hub hub-deps site handouts bench lab app test test-fast test-browser lint clean-notebooks check-notebooks install clean help

help:
	@echo "make lab             create .venv if needed and open the course in JupyterLab"
	@echo "make app             serve the course's notebooks as apps with Voila (token-protected)"
	@echo "make hub             run a JupyterHub for a class on this machine (docs/deploy.md)"
	@echo "make test            run every test (unit, notebooks, hygiene, lint, browser)"
	@echo "make test-fast       everything except the real-browser tests"
	@echo "make clean-notebooks strip outputs, execution counts and widget state"
	@echo "make site            build the static HTML edition into site/ (executed, figures kept)"
	@echo "make handouts        export every notebook to printable static HTML in handouts/"
	@echo "make bench           run the benchmarks and write benchmarks/RESULTS.md"

install: $(STAMP)

$(STAMP): pyproject.toml etc/jupyterlab-overrides.json
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python >= 3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 needed, found $$($(PYTHON) --version)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# rfc3987-syntax (pulled in by jupyter-events -> jsonschema[format-nongpl]) builds a grammar
	# at import time: seconds in every kernel's first figure, nbval, nbconvert and server start.
	# Without it jsonschema only skips the 'iri' format check; pip check stays clean.
	# Measured in benchmarks/RESULTS.md ("Start-up cost").
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" notebooks/00_start_here.ipynb $(LAB_ARGS)

# --token: a random token in the printed URL (a class on a shared network cannot open the apps
# without it); set APP_ARGS=--Voila.token=... to choose it.
app: $(STAMP)
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

clean-notebooks: $(STAMP)
	$(BIN)/python -m mastolib._hygiene strip notebooks

check-notebooks: $(STAMP)
	$(BIN)/python -m mastolib._hygiene check notebooks

site: $(STAMP)
	$(BIN)/python -m mastolib._export site site

handouts: $(STAMP)
	$(BIN)/python -m mastolib._export handouts handouts

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(HUB_VENV) $(HUB_DIR)/node_modules build *.egg-info .pytest_cache test-artifacts site handouts
