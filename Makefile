# Quick start: `make report` then `make test` (both set up .venv on first use).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FY ?= 2026
# make bench SCALE=12: the same measurements with every section copied 12 times
SCALE ?= 1

.PHONY: all setup report test lint bench demo-data validate lab clean

all: report

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/komae build --fy $(FY)

test: setup
	$(BIN)/ruff check komae_analysis tests
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check komae_analysis tests

bench: setup
	$(BIN)/python -m komae_analysis.pipeline.bench --scale $(SCALE)

demo-data: setup
	$(BIN)/komae demo-data

validate: setup
	$(BIN)/komae validate

# JupyterLab for exploration (an optional extra, kept out of the batch/CI environment).
lab: setup
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf reports/FY* reports/scratch reports/bench data/processed
