# The two commands the README promises: `make demo` and `make test`.
# Each creates .venv if needed and installs what it needs into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

demo: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/exoreview demo --out exoreview-demo

test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	bash scripts/install_test_tools.sh
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest -n 2 -q

lint: $(BIN)/python
	$(BIN)/ruff check src tests benchmarks scripts

clean:
	rm -rf $(VENV) exoreview-demo build *.egg-info
