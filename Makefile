# consensus-kit — the targets explain themselves: `make help`.
# `make demo` and `make test` run exactly the two commands the README gives.

.DEFAULT_GOAL := help
PY ?= python3

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

demo: ## install and run the A20 demo on an SQLite file, served at http://127.0.0.1:8000 (README command 1)
	$(PY) -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/consensus-kit demo

test: ## install what the tests need and run the whole suite (README command 2)
	$(PY) -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest

bench: ## run every benchmark with its peer in the same run; update bench/RESULTS.md
	.venv/bin/python bench/run.py --write

lint: ## ruff, ruff format --check and mypy --strict
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

clean: ## remove the virtualenv, caches and demo databases
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .hypothesis a20-demo.db*

.PHONY: help demo test bench lint clean
