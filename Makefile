# CER Milano — two commands for a newcomer:  make run   |   make test
# Everything lives in .venv at the repository root. Versions are pinned in requirements.lock (what
# the app needs at run time: `make run`, `make install`) and requirements-dev.lock (that plus the
# test tools and the builders' extras: `make test`, `make install-dev`).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev

.PHONY: run test lint e2e system-deps install install-dev lock bench clean

# Debian packages the tests need (headless Chromium, PostgreSQL); installs only what is missing.
system-deps:
	@bash scripts/system_deps.sh

$(BIN)/python:
	@bash scripts/system_deps.sh --python-only
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Production: the app and what it needs at run time, nothing else.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock -e .
	@touch $(STAMP)

# Development: production + test tools, browser driver, linters, the builders' extras.
$(DEV): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock -e ".[dev]"
	@touch $(DEV)

install: $(STAMP)

install-dev: $(DEV)

## Set up and start the app on its embedded defaults at http://localhost:8501
run: install
	$(BIN)/streamlit run app/streamlit_app.py --server.port 8501 --server.address localhost

## Set up and run the whole test suite: lint, unit, AppTest, end-to-end in headless Chromium.
## One worker per core (pytest-xdist); a test file stays on one worker, so the servers a module
## starts (nginx stack, PostgreSQL) start once.
test: system-deps install-dev lint
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=15

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

bench: install-dev
	$(BIN)/python benchmarks/run_all.py

# Re-pin after changing pyproject.toml (run deliberately, commit the result): writes both locks
# from the dev environment, split by the packages' own metadata (scripts/lock_requirements.py).
lock: install-dev
	$(BIN)/python scripts/lock_requirements.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
