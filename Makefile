# Two commands on a fresh machine:
#   make lab   - create .venv, install the course, open it in JupyterLab
#   make test  - create/reuse .venv and run every test (unit, notebooks, hygiene, lint, browser)
# Re-running a target when pyproject.toml is unchanged does not reinstall: the install stamp
# is keyed on a hash of pyproject.toml and etc/jupyterlab-overrides.json.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEPS_HASH := $(shell cat pyproject.toml etc/jupyterlab-overrides.json 2>/dev/null | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(DEPS_HASH)
LAB_ARGS ?=
APP_ARGS ?=
PYTEST_ARGS ?=

BENCH_ARGS ?=

.PHONY: site handouts bench lab app test test-fast test-browser lint clean-notebooks check-notebooks install clean help

help:
	@echo "make lab             create .venv if needed and open the course in JupyterLab"
	@echo "make app             serve the course's notebooks as apps with Voila"
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

app: $(STAMP)
	$(BIN)/voila notebooks/ --Voila.ip=127.0.0.1 $(APP_ARGS)

test: $(STAMP)
	$(BIN)/ruff check mastolib tests benchmarks
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check mastolib tests benchmarks

clean-notebooks: $(STAMP)
	$(BIN)/python -m mastolib.course._hygiene strip notebooks

check-notebooks: $(STAMP)
	$(BIN)/python -m mastolib.course._hygiene check notebooks

site: $(STAMP)
	$(BIN)/python -m mastolib.course._export site site

handouts: $(STAMP)
	$(BIN)/python -m mastolib.course._export handouts handouts

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts site handouts
