# Two commands set up everything: `make run` and `make test`. Both create .venv on first use and
# reinstall only when pyproject.toml changed (the stamp files), so repeat runs start at once.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test bench load lint lambda-zip system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.stamp-run $@

# Debian packages the tests drive for real: a throwaway PostgreSQL server, headless Chromium,
# poppler for reading PDFs back, wrk for load. Installed only when missing (CI runs as root).
system-deps:
	@bash scripts/system-deps.sh

run: $(VENV)/.stamp-run
	@mkdir -p var
	$(BIN)/python -m exporter.serve

test: $(VENV)/.stamp-test system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(VENV)/.stamp-test system-deps
	$(BIN)/python -m bench

load: $(VENV)/.stamp-test system-deps
	$(BIN)/python -m bench.load

lambda-zip: $(VENV)/.stamp-run
	$(BIN)/python scripts/build_lambda_zip.py

clean:
	rm -rf $(VENV) build dist *.egg-info var tests/artifacts
