# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/srok demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/planning.py --postgres
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/sender.py
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/summary.py
	$(BIN)/python bench/summary.py --postgres

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis srok.db
