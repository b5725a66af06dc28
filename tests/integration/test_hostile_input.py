"""The hostile corpus through the service and the CLI: refused with the field named and nothing
stored, or accepted and kept exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from consensus_kit import CONSOLE, InvalidInput, MeetingService, SqlStore
from consensus_kit.cli import main
from tests.builders import load_meeting, meeting_toml
from tests.hostile import ACCEPTED, REFUSED, TEXT_CASES, TextCase


def test_the_corpus_is_large_enough() -> None:
    assert len(TEXT_CASES) >= 200
    assert len({c.name for c in TEXT_CASES}) == len(TEXT_CASES)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = SqlStore.open(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'm.db'}")
    service = MeetingService(store)
    loaded = load_meeting(service)
    yield service, loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    store.close()


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c.name for c in TEXT_CASES])
def test_an_amendment_text_is_refused_or_kept_exactly(shared, case: TextCase) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = shared
    before = len(service.events_after(CONSOLE, mid, limit=None))
    if case.accepted:
        a = service.propose_amendment(
            p["delegate-1"], mid, kind="replace", article="art-1", texts={"zh": case.text}
        )
        assert service.amendment(CONSOLE, mid, a.number).amendment.texts["zh"] == case.text
    else:
        with pytest.raises(InvalidInput) as caught:
            service.propose_amendment(
                p["delegate-1"], mid, kind="replace", article="art-1", texts={"zh": case.text}
            )
        assert caught.value.field == "texts.zh"
        assert len(service.events_after(CONSOLE, mid, limit=None)) == before


@pytest.mark.parametrize(
    "case", [*REFUSED[::4], *ACCEPTED[::3]], ids=[c.name for c in [*REFUSED[::4], *ACCEPTED[::3]]]
)
def test_a_comment_is_refused_or_kept_exactly(shared, case: TextCase) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = shared
    if len(case.text) > 5_000 and case.accepted:
        case = TextCase(case.name, case.text[:5_000], True)  # comments are shorter than articles
    if case.accepted:
        c = service.post_comment(
            p["observer"], mid, target="article", target_id="art-2", body=case.text
        )
        views = service.comments(CONSOLE, mid, target="article", target_id="art-2")
        assert next(v.comment.body for v in views if v.comment.id == c.id) == case.text
    else:
        with pytest.raises(InvalidInput, match=r"^body: "):
            service.post_comment(
                p["observer"], mid, target="article", target_id="art-2", body=case.text
            )


def _toml_string(text: str) -> str:
    return "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\U{ord(ch):08x}" for ch in text
    )


CLI_CASES = [c for c in REFUSED if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in c.text)][::3]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.name for c in CLI_CASES])
def test_the_cli_refuses_a_hostile_meeting_file_in_one_line_and_stores_nothing(
    tmp_path: Path, case: TextCase, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "meeting.toml"
    text = meeting_toml().replace('name = "Delegate 1"', f'name = "{_toml_string(case.text)}"')
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "m.db"
    assert main(["load", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"error: {path}: delegates[0].name: " in err
    assert not db.exists()
