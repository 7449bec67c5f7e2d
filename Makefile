# The README's two commands are `make dev` and `make test`; each installs what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: dev test check bench load install clean-local readme package frontend

STAGE ?= dev
AWS_CALLS := test-artifacts/aws-calls

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip<26.3"  # chalice 1.34 packages with pip<26.3
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

# The registrant app and staff console (frontend/, docs/frontend.md): npm ci when the lock
# changed, then a build when a source changed.
FRONTEND_STAMP := frontend/node_modules/.package-lock.json
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts

$(FRONTEND_STAMP): frontend/package-lock.json
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $(FRONTEND_STAMP)

frontend/dist/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	@cd frontend && npm run --silent build

frontend: frontend/dist/index.html

dev: install frontend
	@$(PY) -m infra.local.launcher

# Lint, format, types (Python and the frontend's TypeScript) and the import contracts of
# pyproject.toml (the layer order of DESIGN.md section 10; docs/architecture.md).
check: install $(FRONTEND_STAMP)
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check --quiet .
	@$(PY) -m mypy
	@set -o pipefail; $(VENV)/bin/lint-imports --no-cache --no-logo | tail -n +2 | grep -v "^$$" | grep -v "^-*$$"
	@cd frontend && npx --no-install tsc --noEmit

# The suite records the AWS calls the portal's code makes; then the IAM policy files are checked
# against them (only after a whole run: a subset would call some permissions unused). Each run
# records into its own folder, so runs side by side in one checkout do not mix; the last one is
# kept in $(AWS_CALLS) for `python -m tests.infra.iam suggest`.
# schemathesis runs a single operation under xdist (its parametrized items vanish), so the
# fuzz run goes alone, after the rest.
test: check frontend
	@set -e; calls=$$(mktemp -d); trap 'rm -rf $(AWS_CALLS); mkdir -p $(dir $(AWS_CALLS)); mv "$$calls" $(AWS_CALLS)' EXIT; \
	SSP_RECORD_AWS_CALLS=$$calls $(PY) -m pytest -n 2 --dist loadgroup -p tests.infra.recorder -m "not fuzz" $(PYTEST_ARGS); \
	$(if $(PYTEST_ARGS),true,SSP_RECORD_AWS_CALLS=$$calls $(PY) -m pytest -p no:xdist -p tests.infra.recorder -m fuzz tests/apidoc/test_fuzz.py); \
	$(if $(PYTEST_ARGS),true,SSP_IAM_CHECK_CALLS=$$calls $(PY) -m pytest tests/infra/test_iam_policy.py -k stage_policy)

# build/$(STAGE)/sam.json and deployment.zip, offline (docs/deploy.md)
package: install
	@$(PY) -m infra.package --stage $(STAGE)

bench: install frontend
	@$(PY) -m tests.perf.bench
	@node frontend/scripts/bench.mjs

# 200 people apply at once on a fresh local stack (tests/load): per-step p50/p95/max, errors,
# throughput, then a check through the admin API that each application is stored once.
PEOPLE ?= 200
load: install frontend
	@$(PY) -m tests.load --people $(PEOPLE)

readme: install
	@$(PY) -m tests.test_readme

clean-local:
	rm -rf .local
