"""The examples in docstrings (``>>>``) run and give what they show: they are printed in the
Python API reference of the documentation site, so a wrong one misleads a reader."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import consensus_kit
import webui

ROOT = Path(__file__).resolve().parents[1]


def _modules() -> list[str]:
    names = []
    for package in (consensus_kit, webui):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            # migrations are run by Alembic, not imported; __main__ modules run on import
            if ".migrations" not in info.name and not info.name.endswith("__main__"):
                names.append(info.name)
    return names


MODULES = _modules()


def test_the_modules_hold_examples() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(
        len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name))
    )
    assert examples >= 100, examples  # the count at the time of writing: 138 lines


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # examples name files of the checkout (examples/…)
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
