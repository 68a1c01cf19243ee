# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
# The suite's processes: pytest-xdist workers, each with its own PostgreSQL database.
TEST_WORKERS ?= 2
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
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench.deadlines
	$(BIN)/python -m bench.import
	$(BIN)/python -m bench.planning
	$(BIN)/python -m bench.planning --postgres
	$(BIN)/python -m bench.dispatch
	$(BIN)/python -m bench.sender
	$(BIN)/python -m bench.bot
	$(BIN)/python -m bench.summary
	$(BIN)/python -m bench.summary --postgres

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis srok.db
