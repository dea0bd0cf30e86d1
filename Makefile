# The two commands the README promises: `make demo` and `make test`.
# Each creates .venv if needed and installs what it needs into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint clean

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

# The property tests alone; EXOREVIEW_FUZZ_EXAMPLES sets the examples per property (nightly: 5000).
fuzz: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	EXOREVIEW_FUZZ_EXAMPLES=$${EXOREVIEW_FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest -n 2 -q \
		tests/test_roundtrip_properties.py tests/test_eutils_fuzz.py tests/test_fuzz_import_protocol.py

lint: $(BIN)/python
	$(BIN)/ruff check src tests benchmarks scripts

clean:
	rm -rf $(VENV) exoreview-demo build *.egg-info
