"""The A20 replay: from an illustrative earlier draft to exactly the published text, signed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import consensus_kit as ck

REPLAY = Path(__file__).resolve().parents[2] / "examples" / "a20_2018" / "replay.py"


def load_replay():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("a20_replay", REPLAY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["a20_replay"] = module
    spec.loader.exec_module(module)
    return module


def test_the_replay_ends_at_the_published_text_signed_by_all_twenty(db_url: str) -> None:
    lines: list[str] = []
    service = load_replay().replay(db_url, log=lines.append)
    meeting = service.the_meeting()
    final = service.version(ck.CONSOLE, meeting)
    published = ck.read_meeting_file(REPLAY.parent / "meeting.toml").declaration
    assert final.state is ck.VersionState.FROZEN
    assert [a.text for a in final.declaration.articles] == [a.text for a in published.articles]
    signatories = service.signatories(ck.CONSOLE, meeting, final.number)
    assert len(signatories) == 20
    assert {s.region for s in signatories} == {"Asia", "Africa", "Europe"}
    assert [str(f) for f in service.lint(ck.CONSOLE, meeting)] == [
        "warning: article 2 (art-2) [en]: doubled word: “especially especially” (doubled-word)"
    ]
    kinds = {a.amendment.status.value for a in service.amendments(ck.CONSOLE, meeting)}
    assert kinds == {"adopted", "rejected", "withdrawn"}
    assert any("formal objection by azerbaijan-children-union" in line for line in lines)
    service.store.close()


def test_the_exported_word_documents_hold_the_published_articles_and_twenty_signatories(
    tmp_path: Path,
) -> None:
    import docx

    from tests.docx_text import joined

    out = tmp_path / "out"
    service = load_replay().replay(f"sqlite:///{tmp_path / 'a20.db'}", out, log=lambda _: None)
    published = ck.read_meeting_file(REPLAY.parent / "meeting.toml").declaration
    for lang in ("en", "zh"):
        document = docx.Document(str(out / f"a20-2018-v5.{lang}.docx"))
        paragraphs = [text for _, text in joined(document.paragraphs)]  # numbered lines joined
        for number, article in enumerate(published.articles, 1):
            assert f"{number}.\t{article.text[lang]}" in paragraphs, (article.id, lang)
        (table,) = document.tables  # the signature page: 20 blocks, two to a row
        assert len(table.rows) == 10 and all(len(row.cells) == 2 for row in table.rows)
    assert {p.name for p in out.iterdir()} >= {"a20-2018-v5.zh-en.docx", "a20-2018-v5.json"}
    service.store.close()


def test_the_replay_can_stop_with_a_vote_open(tmp_path: Path) -> None:
    service = load_replay().replay(
        f"sqlite:///{tmp_path / 'a20.db'}", until="vote-open", log=lambda _: None
    )
    meeting = service.the_meeting()
    (open_vote,) = service.votes(ck.CONSOLE, meeting, open_only=True)
    assert service.agenda(ck.CONSOLE, meeting).ref == str(open_vote.number)
    assert service.vote(ck.CONSOLE, meeting, open_vote.number).tally.cast == 7
    service.store.close()


def test_the_draft_is_stated_to_be_illustrative() -> None:
    assert "ILLUSTRATIVE, NOT HISTORICAL" in REPLAY.read_text(encoding="utf-8")


def test_an_unknown_checkpoint_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="until must be one of"):
        load_replay().replay(f"sqlite:///{tmp_path / 'x.db'}", until="lunch")
