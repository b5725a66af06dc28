# consensus-kit — the targets explain themselves: `make help`.
# `make demo` and `make test` run exactly the two commands the README gives.

.DEFAULT_GOAL := help
PY ?= python3

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

demo: ## install and run the A20 demo on an SQLite file, served at http://127.0.0.1:8000 (README command 1)
	$(PY) -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/consensus-kit demo

test: ## install what the tests need and run the whole suite (README command 2)
	$(PY) -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest

bench: ## run every benchmark with its peer in the same run; update bench/RESULTS.md
	.venv/bin/python bench/run.py --write

docs: ## build the documentation site strictly into site/ (a broken link or reference fails)
	NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs build --strict

docs-serve: ## serve the documentation site at http://127.0.0.1:8001, rebuilt on every change
	NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs serve --dev-addr 127.0.0.1:8001

lint: ## ruff, ruff format --check and mypy --strict
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

clean: ## remove the virtualenv, caches and demo databases
	rm -rf .venv site dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis a20-demo.db*

.PHONY: help demo test bench docs docs-serve lint clean
