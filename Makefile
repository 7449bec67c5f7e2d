# The README's two commands are `make dev` and `make test`; each installs what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: dev test check bench install clean-local readme

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

dev: install
	@$(PY) -m infra.local.launcher

check: install
	@$(PY) -m ruff check .
	@$(PY) -m mypy

test: check
	@$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	@$(PY) -m tests.perf.bench

readme: install
	@$(PY) -m tests.test_readme

clean-local:
	rm -rf .local
