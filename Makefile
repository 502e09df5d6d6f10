# CER Milano — two commands for a newcomer:  make run   |   make test
# Everything lives in .venv at the repository root; versions are pinned in requirements.lock.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint e2e system-deps install lock bench clean

# Debian packages the tests need (headless Chromium, PostgreSQL); installs only what is missing.
system-deps:
	@bash scripts/system_deps.sh

$(STAMP): pyproject.toml requirements.lock
	@bash scripts/system_deps.sh --python-only
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## Set up and start the app on its embedded defaults at http://localhost:8501
run: install
	$(BIN)/streamlit run app/streamlit_app.py --server.port 8501 --server.address localhost

## Set up and run the whole test suite: lint, unit, AppTest, end-to-end in headless Chromium.
## One worker per core (pytest-xdist); a test file stays on one worker, so the servers a module
## starts (nginx stack, PostgreSQL) start once.
test: system-deps install lint
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=15

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/run_all.py

# Re-pin every dependency after changing pyproject.toml (run deliberately, commit the result).
lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
