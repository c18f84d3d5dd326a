# The pipeline's map. Every target calls `python -m analysis …`; `make help` lists them.
# On a machine without make, run the commands shown in README.md directly.
PYTHON ?= python3

.DEFAULT_GOAL := help
.PHONY: help install all data figures notebooks validate test quick lint bench lab clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-10s %s\n", $$1, $$2}'

install: ## Install the package (editable) with its test tools
	$(PYTHON) -m pip install -e ".[dev]"

all: install ## Everything: data/processed/, reports/figures/, executed notebooks
	$(PYTHON) -m analysis build

data: ## Only data/processed/ (load, segment, tokenize, classify, extract, compare)
	$(PYTHON) -m analysis build --no-figures --no-notebooks

figures: ## data/processed/ and reports/figures/
	$(PYTHON) -m analysis build --no-notebooks

notebooks: ## Re-execute notebooks/NN-*.ipynb in place (reads data/processed/)
	$(PYTHON) -m analysis notebooks

validate: ## Check data/processed/ against its rules
	$(PYTHON) -m analysis validate

test: install ## Every test: unit tests, reproducibility, benchmarks' smoke run, nbval over the notebooks
	$(PYTHON) -m pytest

quick: ## The fast inner loop: unit tests without the slow ones (no nbval), under 90 s
	$(PYTHON) -m pytest -m "not slow" -p no:nbval -o addopts="" tests

lint: ## ruff over the package, tests and benchmarks (also run by the test command)
	$(PYTHON) -m ruff check src tests benchmarks

bench: ## Benchmark the pipeline against bare jieba at 10, 100 and 1,000 documents
	$(PYTHON) benchmarks/bench.py --sizes 10 100 1000

lab: ## Open JupyterLab on the notebooks
	$(PYTHON) -m jupyterlab notebooks/

clean: ## Remove caches (never data/raw/)
	rm -rf .pytest_cache .hypothesis build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
