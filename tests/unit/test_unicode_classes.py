"""The tokenizer's character classes read from ``consensus_kit/domain/unicode/`` are the ones
the running Python's Unicode data gives, and line widths take a short cut for ASCII only where
it gives the same answer."""

from __future__ import annotations

import unicodedata

import pytest

from consensus_kit.domain import lines, tokens
from tests.builders import UNICODE_CORPUS


def test_the_stored_classes_are_those_of_this_pythons_unicode_data() -> None:
    stored = tokens.CLASSES_DIR / f"{unicodedata.unidata_version}.json"
    assert stored.is_file(), f"run python tools/unicode_classes.py to write {stored.name}"
    tokens._classes.cache_clear()
    try:
        assert tokens._classes() == tokens.build_classes(), "run python tools/unicode_classes.py"
    finally:
        tokens._classes.cache_clear()


def test_every_supported_python_has_its_classes_stored() -> None:
    names = {path.name for path in tokens.CLASSES_DIR.glob("*.json")}
    assert {"14.0.0.json", "15.0.0.json", "15.1.0.json"} <= names  # Python 3.11, 3.12, 3.13


def test_without_stored_classes_they_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "CLASSES_DIR", tokens.CLASSES_DIR / "missing")
    tokens._classes.cache_clear()
    try:
        assert tokens._classes() == tokens.build_classes()
        assert tokens.tokenize("我们与UNICEF合作", "zh") == ["我", "们", "与", "UNICEF", "合", "作"]
    finally:
        tokens._classes.cache_clear()


def test_every_ascii_character_takes_one_column_as_the_short_cut_assumes() -> None:
    assert all(lines._char_width(chr(cp)) == 1 for cp in range(128))
    for text in (*UNICODE_CORPUS.values(), "plain ASCII\ttext", "é", "儿童 UNICEF"):
        assert lines.text_width(text) == sum(lines._char_width(c) for c in text), text
