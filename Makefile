# MotCua developer commands. `make run` and `make test` are all a newcomer needs (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
VENV := .venv
TOOLS := .tools
BIN := $(VENV)/bin
UV := $(TOOLS)/bin/uv
MOTCUA := $(BIN)/motcua
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_LINK_MODE := copy
export UV_CACHE_DIR := $(CURDIR)/.cache/uv
# Python >= 3.12: the newest one found on PATH (pyenv users: .python-version selects 3.12).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  && { command -v $$p; break; }; done)

.PHONY: help setup run test check lint fmt typecheck imports migrations-check pytest bench e2e \
	messages docs clean postgres-test

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(UV):
	@test -n "$(PYTHON)" || { echo "MotCua needs Python >= 3.12 on PATH (python3.12 or newer)." >&2; exit 1; }
	@$(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	@$(UV) sync --frozen --python "$(PYTHON)" --quiet
	@touch $@

setup: $(VENV)/.synced ## Create .venv from the lock file (uv.lock)

run: setup ## Set up, migrate the embedded SQLite database, load the demo, serve on :8000
	@$(MOTCUA) migrate --noinput -v 0
	@$(MOTCUA) demo
	@$(MOTCUA) serve

test: setup ## Lint, type check, import contracts, migrations check, then the test suite
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory pytest

check: lint typecheck imports migrations-check ## The static checks of `make test`

lint: setup ## ruff lint + format check
	@$(BIN)/ruff check src benchmarks tests scripts conftest.py
	@$(BIN)/ruff format --check --quiet src benchmarks tests scripts conftest.py

fmt: setup ## Format and auto-fix with ruff
	@$(BIN)/ruff format src benchmarks tests scripts conftest.py
	@$(BIN)/ruff check --fix src benchmarks tests scripts conftest.py

typecheck: setup ## mypy (strict) with django-stubs
	@$(BIN)/mypy src benchmarks tests scripts conftest.py

imports: setup ## import-linter layer contracts
	@$(BIN)/lint-imports --no-cache

migrations-check: setup ## Fail when models changed without a migration
	@$(MOTCUA) makemigrations --check --dry-run

PYTEST_ARGS ?=
pytest: setup ## The unit + integration tests (pytest, parallel)
	@$(BIN)/pytest -n auto -m "not e2e" $(PYTEST_ARGS)

postgres-test: setup ## The database-backed tests against PostgreSQL (DATABASE_URL=postgres://…)
	@$(BIN)/pytest -n auto -m "not e2e" $(PYTEST_ARGS)

e2e: setup ## Browser tests in headless Chromium (/usr/bin/chromium) incl. accessibility
	@$(BIN)/pytest -m e2e -p no:xdist $(PYTEST_ARGS)

bench: setup ## Every benchmark at a small size; last line: one JSON object of all figures
	@$(BIN)/python benchmarks/run_all.py

messages: setup ## Extract strings (needs GNU gettext), apply scripts/vi.tsv, compile the catalogues
	@cd src/motcua && ../../$(MOTCUA) makemessages -l vi -l en --no-obsolete --no-location
	@$(BIN)/python scripts/translate_vi.py

docs: setup ## Regenerate docs/configuration.md and docs/api/openapi.json
	@$(MOTCUA) config-doc > docs/configuration.md
	@mkdir -p docs/api && $(MOTCUA) openapi > docs/api/openapi.json

clean: ## Remove the environments, caches and embedded data (var/)
	rm -rf $(VENV) $(TOOLS) .cache .mypy_cache .pytest_cache .ruff_cache var
