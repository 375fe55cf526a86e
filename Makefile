# `make demo` and `make test` each build .venv from nothing when it is missing or stale.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint typecheck imports rules-test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/readyterm demo

test: $(STAMP) check
	$(BIN)/pytest -q

check: lint typecheck imports

lint: $(STAMP)
	$(BIN)/ruff check readyterm tests
	$(BIN)/ruff format --check readyterm tests

typecheck: $(STAMP)
	$(BIN)/mypy readyterm

# The layers and contracts in pyproject.toml [tool.importlinter] (docs/architecture.md).
imports: $(STAMP)
	$(BIN)/lint-imports

rules-test: $(STAMP)
	SEMGREP_ENABLE_VERSION_CHECK=0 $(BIN)/semgrep scan --test --metrics=off --disable-version-check rules/

# Downloads Django's sdist once; about 15 minutes on 2 cores. `BENCH_ARGS=--quick` skips the
# 10k-file repo and the TUI.
bench: $(STAMP)
	$(BIN)/python benchmarks/perf.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/detection.py $(DETECTION_ARGS)
	$(BIN)/python benchmarks/suite_run.py $(SUITE_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache dist build
