# event-service: run, test, bench, package, lint, format, clean.
# Every target works on a fresh clone: the .venv is created (Python 3.12+, see
# infra/find-python.sh) and the requirements installed into it when missing or changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
STAGE ?= dev
PYTEST_ARGS ?=
# Reinstall only when a requirements file changes: the stamp's name is their checksum.
REQUIREMENTS := requirements.txt requirements-dev.txt
DEPS_STAMP := $(VENV)/.deps-$(shell cat $(REQUIREMENTS) 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: help venv deps chromium webui-tools run test fuzz lint format bench package clean distclean

help:
	@echo "make run       the whole service locally: API on 127.0.0.1:\$${PORT:-8000}, embedded"
	@echo "               DynamoDB on :\$${DYNAMODB_PORT:-8001}, data kept in \$${DATA_DIR:-.data}"
	@echo "make test      ruff, floors contract, mypy, pytest (what CI runs: bash .ci/run)"
	@echo "make fuzz      schemathesis, long form: FUZZ_EXAMPLES (200) per route and caller"
	@echo "make bench     the report bench/results.md in <= 10 min: cold start, size, ingest, cost ..."
	@echo "               (BENCH_FULL=1: the long form, 50,000 stored events; BENCH=\"size cost\": those only)"
	@echo "make package   SAM template + deployment.zip in dist/ (STAGE=$(STAGE))"
	@echo "make admin     create (RECOVER=1: recover) an admin of a deployed STAGE: USER=<name>"
	@echo "make smoke     end-to-end check of a deployed stage: URL=<EndpointURL> USER=<admin>"
	@echo "make replay    the stream's on-failure queue of STAGE, back through dispatch"
	@echo "make rotate-secret  a new token-signing key for STAGE (old tokens keep working)"
	@echo "make lint      ruff check + ruff format --check"
	@echo "make format    ruff format + ruff check --fix"
	@echo "make clean     remove dist/ and caches (distclean: the .venv too; never .data/)"

$(PY):
	@python="$$(infra/find-python.sh)"; \
	echo "event-service: creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(DEPS_STAMP): | $(PY)
	@echo "event-service: installing $(REQUIREMENTS) into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.deps-*
	@touch $@

venv: $(PY)

deps: $(DEPS_STAMP)

# The console's browser tests drive Debian's chromium: installed here when missing and we may
# (root with apt-get); otherwise those tests fail with the one line that fixes it.
chromium:
	@if [ -z "$${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "event-service: installing Debian's chromium for the console tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "event-service: chromium is missing; the console tests will fail:" \
	      "sudo apt-get install -y chromium"; \
	  fi; \
	fi

# The MaDDash web UI test fetches Dojo 1.7 with npm and runs the UI's CGI pages with perl.
webui-tools:
	@if ! command -v npm >/dev/null 2>&1 || ! command -v perl >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "event-service: installing npm and perl for the MaDDash web UI test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm perl; \
	  else \
	    echo "event-service: npm or perl is missing; the MaDDash web UI test will fail:" \
	      "sudo apt-get install -y npm perl"; \
	  fi; \
	fi

run: deps
	@exec $(PY) -m local.run

test: deps chromium webui-tools
	@echo "event-service: ruff check"
	@$(VENV)/bin/ruff check .
	@echo "event-service: floors (lint-imports) and types (mypy chalicelib)"
	@$(VENV)/bin/lint-imports --no-cache
	@$(VENV)/bin/mypy
	@echo "event-service: pytest"
	@$(PY) -m pytest $(PYTEST_ARGS)

# The short form (a few examples per operation) runs inside `make test`.
FUZZ_EXAMPLES ?= 200
fuzz: deps
	@FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SHRINK=1 $(PY) -m pytest tests/openapi/test_fuzz.py -q $(PYTEST_ARGS)

lint: deps
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: deps
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# Every bench/bench_*.py module, or only those BENCH names (their sections of the report are
# replaced, the others kept). BENCH_FULL=1 is the long form (make run at 50,000 events).
BENCH ?=
bench: deps
	@$(PY) -m bench $(BENCH)

package: deps
	@$(PY) -m infra.package --stage $(STAGE) dist

clean:
	rm -rf dist .pytest_cache .ruff_cache .chalice/deployments
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# ---------------------------------------------------------------- operating a deployed stage
# The tools in ops/ run here with your AWS credentials against the stack event-service-$(STAGE)
# (docs/operations.md, the runbook). USER must be given on the command line: the shell's own
# $USER is never taken for an admin's name.
.PHONY: admin rotate-secret replay smoke

define require_user
	@if [ "$(origin USER)" != "command line" ]; then \
	  echo "event-service: say whose: make $@ STAGE=$(STAGE) USER=<username>" >&2; exit 2; fi
endef

# The password is asked twice on the terminal; PASSWORD_STDIN=1 reads its line from stdin.
# RECOVER=1 resets an existing user's password and makes it an admin.
admin: deps
	$(require_user)
	@$(PY) -m ops.admin --stage $(STAGE) --user "$(USER)" \
	  $(if $(PASSWORD_STDIN),--password-stdin) $(if $(RECOVER),--recover)

# A new token-signing key; the old one verifies until one maximum session length has passed.
# NO_DEPLOY=1 writes the secret only (then: sam deploy --parameter-overrides TokenSecretVersion=…).
rotate-secret: deps
	@$(PY) -m ops.rotate_secret --stage $(STAGE) $(if $(NO_DEPLOY),--no-deploy)

# Stream batches the trigger gave up on (the on-failure queue), back through dispatch.
replay: deps
	@$(PY) -m ops.replay --stage $(STAGE)

# A short end-to-end check of a deployed stage (USER: an admin); HOOK=<url> adds a webhook to
# it, PM_CLIENT=id:secret logs in to ProcessMaker by OAuth, PASSWORD_STDIN=1 reads the password.
smoke: deps
	$(require_user)
	@if [ -z "$(URL)" ]; then echo "event-service: make smoke URL=<EndpointURL> USER=<admin>" >&2; exit 2; fi
	@$(PY) -m ops.smoke --url "$(URL)" --user "$(USER)" $(if $(PASSWORD_STDIN),--password-stdin) \
	  $(if $(HOOK),--hook "$(HOOK)") $(if $(PM_CLIENT),--pm-client "$(PM_CLIENT)")
