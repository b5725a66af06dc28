"""The command line in a six-language meeting (issue 27): the signatory list in any of the
meeting's languages, stale translations marked by ``show``, the chair's recorded override of
lint, parallel exports of six languages, and a pipe closed early without a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from consensus_kit import CONSOLE, MeetingService, SqlStore, VersionFrozen, parse_meeting_file
from consensus_kit.cli import main
from tests.six_languages import LANGS, TEXTS, six_language_toml

ROOT = Path(__file__).resolve().parents[2]
SIGNERS = ("signatory-ru", "signatory-eg", "signatory-cn", "signatory-ke")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A six-language meeting (193 delegations) whose article 4 was amended in Arabic only."""
    url = f"sqlite:///{tmp_path / 'six.db'}"
    store = SqlStore.open(url)
    try:
        service = MeetingService(store)
        meeting = service.load_meeting(
            parse_meeting_file(six_language_toml(), source="six.toml"), actor=CONSOLE
        ).meeting
        people = {d.id: d for d in meeting.delegates}
        arabic = service.propose_amendment(
            people["signatory-eg"], meeting.id, kind="replace", article="art-4",
            texts={"ar": TEXTS["art-4"]["ar"].replace("2028", "2029")},
        )  # fmt: skip
        service.adopt_amendment(people["chair"], meeting.id, arabic.number)
    finally:
        store.close()
    return url


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _bring_into_step(db: str) -> int:
    """The secretariat updates article 4 in the five languages; the chair freezes."""
    store = SqlStore.open(db)
    try:
        service = MeetingService(store)
        mid = service.meeting_ids()[0]
        meeting = service.meeting(mid)
        people = {d.id: d for d in meeting.delegates}
        updates = {
            ("art-4", lang): TEXTS["art-4"][lang].replace("2028", "2029")
            for lang in LANGS
            if lang != "ar"
        }
        version = service.update_translations(people["secretariat"], mid, updates)
        service.freeze_version(people["chair"], mid, version.number)
        for signer in SIGNERS:
            service.endorse(people[signer], mid, version.number)
        return version.number
    finally:
        store.close()


def test_show_marks_the_translations_an_arabic_amendment_left_stale(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _cli(capsys, "show", "--db", db, "--lang", "en")
    assert status == 0
    assert "4. [stale] The parties will report on progress" in out
    assert "2. [stale]" not in out and "2. By 2030" in out
    assert "[stale] 1 part(s) behind a substantive change: article 4 (art-4)" in out
    status, out, _ = _cli(capsys, "show", "--db", db, "--lang", "ar")
    assert status == 0 and "[stale]" not in out and "2029" in out


@pytest.mark.parametrize("command", [["freeze"], ["signing", "open"]], ids=["freeze", "signing"])
def test_the_chair_overrides_a_number_mismatch_only_with_a_recorded_reason(
    db: str, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    store = SqlStore.open(db)
    try:
        service = MeetingService(store)
        mid = service.meeting_ids()[0]
        people = {d.id: d for d in service.meeting(mid).delegates}
        # English and Russian follow the Arabic; the others are confirmed as they are, so the
        # years disagree between languages (a slip lint must stop)
        service.update_translations(
            people["secretariat"],
            mid,
            {("art-4", g): TEXTS["art-4"][g].replace("2028", "2029") for g in ("en", "ru")},
        )
        service.confirm_translations(
            people["secretariat"], mid, [("art-4", g) for g in ("fr", "es", "zh")]
        )
    finally:
        store.close()
    status, _, err = _cli(capsys, *command, "--db", db, "--as", "chair")
    assert status == 1 and err.count("\n") == 1
    assert "6 lint error(s)" in err and "article 4 (art-4) [fr]" in err
    reason = "Le français, l’espagnol et le chinois seront corrigés par rectificatif."
    status, out, _ = _cli(capsys, *command, "--db", db, "--as", "chair", "--override-lint", reason)
    assert status == 0 and reason in out
    store = SqlStore.open(db)
    try:
        service = MeetingService(store)
        events = service.events_after(CONSOLE, service.meeting_ids()[0])
    finally:
        store.close()
    (frozen,) = [e.body for e in events if isinstance(e.body, VersionFrozen)]
    assert frozen.lint_override == reason
    assert isinstance(frozen.overridden, list) and len(frozen.overridden) == 6


def test_signatories_in_each_language_and_six_languages_side_by_side(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    number = _bring_into_step(db)
    status, out, _ = _cli(capsys, "signatories", "--db", db, "--lang", "ru")
    assert status == 0 and len(out.splitlines()) == len(SIGNERS)
    assert "Россия  Коалиция за права ребёнка — Россия — Сергей Петров" in out
    assert "Египет  Коалиция за права ребёнка — Египет — " in out
    status, out, _ = _cli(capsys, "signatories", "--db", db, "--lang", "ar")
    assert "ائتلاف حقوق الطفل – الصين — " in out
    status, out, _ = _cli(capsys, "signatories", "--db", db)
    assert "RU  Children’s Rights Coalition of Russia — Сергей Петров" in out
    status, _, err = _cli(capsys, "signatories", "--db", db, "--lang", "de")
    assert status == 1 and err == "error: --lang: 'de' is not one of the meeting's languages " \
        "(en, fr, es, ru, zh, ar)\n"  # fmt: skip

    out_file = tmp_path / "six.docx"
    status, out, _ = _cli(
        capsys, "export", "--db", db, "--format", "parallel-docx", "--out", str(out_file)
    )
    assert status == 0, out
    document = docx.Document(io.BytesIO(out_file.read_bytes()))
    assert len(document.tables[0].columns) == 6
    assert document.core_properties.language == "en,fr,es,ru,zh,ar"
    assert f"Version {number}" in document.sections[0].footer.paragraphs[0].text
    status, _, err = _cli(
        capsys, "export", "--db", db, "--format", "parallel-docx", "--lang", "en,fr,en",
        "--out", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert status == 1 and "two to six different languages" in err


def test_a_pipe_closed_early_ends_the_command_quietly(db: str) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "consensus_kit.cli", "show", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # the reader goes away before a line is written (`| head -0`)
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 141
    assert err == "", err
