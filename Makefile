# The README's two commands are `make dev` and `make test`; each installs what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: dev test check bench install clean-local readme package

STAGE ?= dev
AWS_CALLS := test-artifacts/aws-calls

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip<26.3"  # chalice 1.34 packages with pip<26.3
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

dev: install
	@$(PY) -m infra.local.launcher

check: install
	@$(PY) -m ruff check .
	@$(PY) -m mypy

# The suite records the AWS calls the portal's code makes; then the IAM policy files are checked
# against them (only after a whole run: a subset would call some permissions unused).
test: check
	@rm -rf $(AWS_CALLS)
	@SSP_RECORD_AWS_CALLS=$(AWS_CALLS) $(PY) -m pytest -n 2 --dist loadgroup -p tests.infra.recorder $(PYTEST_ARGS)
	@$(if $(PYTEST_ARGS),true,SSP_IAM_CHECK_CALLS=$(AWS_CALLS) $(PY) -m pytest tests/infra/test_iam_policy.py -k stage_policy)

# build/$(STAGE)/sam.json and deployment.zip, offline (docs/deploy.md)
package: install
	@$(PY) -m infra.package --stage $(STAGE)

bench: install
	@$(PY) -m tests.perf.bench

readme: install
	@$(PY) -m tests.test_readme

clean-local:
	rm -rf .local
