"""Running a meeting from the command line: amend, vote, translate, agenda, signing.

Each command acts ``--as`` a delegate through the library's own checks: a refusal is one line
on stderr with exit status 1 and changes nothing (the event log does not grow).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from consensus_kit import CONSOLE, AmendmentStatus, Outcome, VersionState, open_service
from consensus_kit.cli import build_parser, main
from tests.builders import HOSTILE_TEXT, UNICODE_CORPUS, meeting_toml

Run = Callable[..., tuple[int, str, str]]

PROCEDURE = """
[procedure]
consensus_fallback = "two_thirds"
reconsideration = "chair"
"""


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    """A database (an SQLite file, then a PostgreSQL schema) holding the test meeting: org-1..3
    (delegate-N, signatory-N), an observer, the chair and the secretariat; English and
    Chinese; art-1 and art-2."""
    path = tmp_path / "meeting.toml"
    path.write_text(meeting_toml(extra=PROCEDURE), encoding="utf-8")
    assert main(["load", str(path), "--db", db_url]) == 0
    return db_url


@pytest.fixture
def ck(db: str, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run one command on ``db``: (exit status, stdout, stderr)."""
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        status = main([*args, "--db", db])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def events(db: str) -> int:
    service = open_service(db)
    try:
        return len(service.events_after(CONSOLE, service.the_meeting()))
    finally:
        service.store.close()


def refused(ck: Run, db: str, *args: str, says: str) -> None:
    """The command fails with one line naming the problem, and nothing is recorded."""
    before = events(db)
    status, out, err = ck(*args)
    assert status == 1, out
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert says in err, err
    assert events(db) == before


def propose(ck: Run, *extra: str, who: str = "delegate-1", words: str = "New words.") -> int:
    status, out, err = ck("amend", "propose", "art-1", "--as", who, "--text", f"en={words}", *extra)
    assert status == 0, err
    first = out.splitlines()[0].split()
    assert first[0] == "amendment" and first[2] == "proposed"
    return int(first[1])


def test_every_action_has_help_text() -> None:
    parser = build_parser()
    top = next(a for a in parser._actions if a.dest == "command")
    for name in ("amend", "vote", "translate", "agenda", "signing"):
        group = top.choices[name]  # type: ignore[index]
        actions = next(a for a in group._actions if isinstance(a, argparse._SubParsersAction))
        assert actions.choices, name
        for action_name, command in actions.choices.items():
            assert command.description, f"{name} {action_name} has no description"
            for option in command._actions:
                if option.dest != "help":
                    assert option.help, f"{name} {action_name} {option.dest} has no help"
                    assert option.dest != "acting" or "--as" in option.option_strings


def test_docs_cli_lists_every_command_and_action() -> None:
    listed = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    top = next(a for a in build_parser()._actions if a.dest == "command")
    for name, command in top.choices.items():  # type: ignore[union-attr]
        assert f"`{name}" in listed, f"docs/cli.md does not list {name}"
        for option in command._actions:
            if isinstance(option, argparse._SubParsersAction):
                for action in option.choices:
                    assert f"`{name} {action}" in listed, f"docs/cli.md lacks {name} {action}"


def test_propose_prints_the_number_and_the_diff(ck: Run, db: str) -> None:
    status, out, _ = ck(
        "amend",
        "propose",
        "art-2",
        "--as",
        "delegate-1",
        "--text",
        "en=Article 2, longer (en)",
        "--text",
        "zh=第二条 🇰🇪",
        "--rationale",
        "clearer",
    )
    assert status == 0
    assert out.splitlines()[0] == "amendment 1 proposed (submitted)"
    assert "[en] Article 2{+, longer+} (en)" in out
    status, out, _ = ck("amend", "show", "1")
    assert status == 0 and "rationale: clearer" in out and "第二条 🇰🇪" in out
    assert ck("amend", "list", "--open")[1].startswith("#1 replace art-2 by org-1")
    assert ck("amendments", "--article", "art-1")[1] == ""


def test_propose_every_kind_from_words_or_files(ck: Run, tmp_path: Path) -> None:
    words = tmp_path / "zh.txt"
    words.write_text("\n新的序言。\n\n", encoding="utf-8")
    status, out, err = ck(
        "amend", "propose", "preamble", "--as", "delegate-1", "--text", "en=We agree.",
        "--file", f"zh={words}",
    )  # fmt: skip
    assert status == 0, err
    assert "preamble" in out and "新的序言。" in out
    status, out, err = ck(
        "amend", "propose", "--kind", "insert", "--after", "art-1", "--as", "delegate-2",
        "--text", "en=A new article.", "--intent", "zh=secretariat", "--draft",
    )  # fmt: skip
    assert status == 0 and out.startswith("amendment 2 proposed (draft)"), err
    assert ck("amend", "submit", "2", "--as", "delegate-2")[1].startswith("amendment 2 submitted")
    status, out, _ = ck("amend", "propose", "art-2", "--kind", "delete", "--as", "delegate-3")
    assert status == 0 and "#3 delete art-2" in out
    status, out, _ = ck(
        "amend", "propose", "art-2", "--kind", "move", "--after", "art-1", "--as", "delegate-3"
    )
    assert status == 0 and "#4 move art-2 after art-1" in out


def test_bad_proposals_are_named_and_nothing_is_stored(ck: Run, db: str, tmp_path: Path) -> None:
    as_one = ("--as", "delegate-1")
    refused(ck, db, "amend", "propose", *as_one, "--text", "en=x", says="PART")
    refused(ck, db, "amend", "propose", "art-1", *as_one, "--text", "words", says="LANG=VALUE")
    refused(
        ck, db, "amend", "propose", "art-1", *as_one, "--text", "en=a", "--text", "en=b",
        says="'en' is given twice",
    )  # fmt: skip
    words = tmp_path / "en.txt"
    words.write_text("x", encoding="utf-8")
    refused(
        ck, db, "amend", "propose", "art-1", *as_one, "--text", "en=a", "--file", f"en={words}",
        says="by --text and by --file",
    )  # fmt: skip
    refused(
        ck, db, "amend", "propose", "art-1", *as_one, "--file", f"en={tmp_path / 'none.txt'}",
        says="--file: cannot read",
    )  # fmt: skip
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    refused(ck, db, "amend", "propose", "art-1", *as_one, "--file", f"en={bad}", says="UTF-8")
    refused(
        ck, db, "amend", "propose", "art-1", *as_one, "--text", "en=x", "--intent", "zh=maybe",
        says="--intent",
    )  # fmt: skip
    refused(ck, db, "amend", "propose", "art-9", *as_one, "--text", "en=x", says="art-9")
    refused(ck, db, "amend", "propose", "art-1", *as_one, "--text", "en=a\x1bb", says="en")
    refused(ck, db, "amend", "propose", "title", *as_one, "--kind", "insert", says="names no")
    refused(ck, db, "amend", "propose", "art-1", "--text", "en=x", says="act as a delegate (--as)")
    refused(ck, db, "amend", "propose", "art-1", "--as", "nobody", "--text", "en=x", says="nobody")
    refused(
        ck, db, "amend", "propose", "art-1", "--as", "observer", "--text", "en=x", says="may not"
    )
    with pytest.raises(SystemExit) as exit_:
        ck("amend", "propose", "art-1", *as_one, "--kind", "rewrite")
    assert exit_.value.code == 2


def test_an_observer_cannot_adopt_and_nothing_changes(ck: Run, db: str) -> None:
    number = propose(ck)
    refused(
        ck, db, "amend", "adopt", str(number), "--as", "observer",
        says="UNICEF representative (observer) may not adopt amendment: needs the role chair",
    )  # fmt: skip
    refused(
        ck, db, "amend", "adopt", str(number), "--as", "delegate-1", says="needs the role chair"
    )
    refused(ck, db, "amend", "adopt", str(number), says="the console cannot adopt amendment")
    refused(ck, db, "vote", "open", "--amendment", str(number), "--as", "observer", says="may not")
    assert "submitted" in ck("amend", "show", str(number))[1]
    assert ck("versions")[1].count("\n") == 1


def test_revise_withdraw_and_cosponsor_belong_to_organisations(ck: Run, db: str) -> None:
    number = str(propose(ck))
    refused(ck, db, "amend", "revise", number, "--as", "delegate-1", says="nothing to revise")
    refused(ck, db, "amend", "withdraw", number, "--as", "delegate-2", says=number)
    status, out, _ = ck("amend", "revise", number, "--as", "delegate-1", "--text", "en=Newer.")
    assert status == 0 and out.startswith(f"amendment {number} revised") and "Newer." in out
    status, out, _ = ck(
        "amend", "revise", number, "--text", "zh=更新。"
    )  # the console: secretariat
    assert status == 0 and "更新。" in out
    status, out, _ = ck("amend", "cosponsor", number, "--as", "signatory-2")
    assert status == 0 and "co-sponsored" in out
    assert "co-sponsors: org-2" in ck("amend", "show", number)[1]
    status, out, _ = ck("amend", "withdraw", number, "--as", "signatory-1")
    assert status == 0 and out.startswith(f"amendment {number} withdrawn (withdrawn)")


def test_the_chair_adopts_rejects_sets_aside_asks_for_an_update_and_reconsiders(
    ck: Run, db: str
) -> None:
    one, two, three = (propose(ck, who=f"delegate-{i}", words=f"Words {i}.") for i in (1, 2, 3))
    status, out, _ = ck("amend", "adopt", str(one), "--as", "chair", "--reason", "agreed")
    assert status == 0 and out.startswith(f"amendment {one} adopted: version 2")
    assert "stale: article 1 (art-1) [zh]" in out
    # the other two were written against the old words of art-1: they need an update
    assert "needs_update" in ck("amend", "show", str(two))[1]
    status, out, _ = ck("amend", "revise", str(two), "--as", "delegate-2", "--text", "en=Two.")
    assert status == 0 and "(submitted)" in out
    status, out, _ = ck("amend", "reject", str(two), "--as", "chair")
    assert status == 0 and out.startswith(f"amendment {two} rejected (rejected)")
    assert "the chair reconsider it" in out
    with pytest.raises(SystemExit):
        ck("amend", "reconsider", str(two), "--as", "chair")  # --reason is required
    status, out, _ = ck("amend", "reconsider", str(two), "--as", "chair", "--reason", "new facts")
    assert status == 0 and f"amendment {two} reconsidered (submitted)" in out
    status, out, _ = ck("amend", "request-update", str(two), "--as", "chair", "--reason", "shorter")
    assert status == 0 and "(needs_update)" in out
    status, out, _ = ck("amend", "set-aside", str(three), "--as", "chair", "--reason", "late")
    assert status == 0 and "(set_aside)" in out
    refused(ck, db, "amend", "adopt", str(three), "--as", "chair", says="set_aside")
    refused(ck, db, "amend", "adopt", "99", "--as", "chair", says="99")


def test_reconsideration_follows_the_meetings_rules(tmp_path: Path) -> None:
    path = tmp_path / "meeting.toml"
    path.write_text(meeting_toml(), encoding="utf-8")  # no [procedure]: no reconsideration
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(path), "--db", url]) == 0
    assert (
        main(["amend", "propose", "art-1", "--as", "delegate-1", "--text", "en=X.", "--db", url])
        == 0
    )
    assert main(["amend", "reject", "1", "--as", "chair", "--db", url]) == 0
    before = events(url)
    assert main(["amend", "reconsider", "1", "--as", "chair", "--reason", "r", "--db", url]) == 1
    assert events(url) == before
    assert main(["vote", "call", "1", "--as", "chair", "--db", url]) == 1  # rejected: no vote


def test_a_recorded_vote_opened_cast_shown_and_closed(ck: Run, db: str) -> None:
    number = str(propose(ck))
    status, out, _ = ck(
        "vote", "open", "--amendment", number, "--as", "chair", "--rule", "simple_majority",
        "--quorum", "0.7", "--roll-call", "--deadline", "2h",
    )  # fmt: skip
    assert status == 0
    assert out.startswith("vote 1 on amendment 1: simple majority, quorum 70%, roll-call, until")
    status, out, _ = ck("vote", "cast", "1", "yes", "--as", "delegate-1", "--key", "k-1")
    assert status == 0 and out.startswith("ballot in vote 1: org-1 yes; receipt ")
    again = ck("vote", "cast", "1", "yes", "--as", "delegate-1", "--key", "k-1")[1]
    assert "already recorded with this key" in again
    assert ck("vote", "cast", "1", "no", "--as", "signatory-2")[0] == 0
    refused(ck, db, "vote", "cast", "1", "yes", "--as", "observer", says="may not cast ballot")
    refused(ck, db, "vote", "cast", "1", "yes", "--as", "chair", says="needs the role")
    refused(ck, db, "vote", "cast", "1", "yes", "--as", "delegate-1", "--key", "a b", says="key")
    status, out, _ = ck("vote", "show", "1")
    assert "tally: 1 yes, 1 no, 0 abstain (2 of 3 cast)" in out
    assert "org-1: yes" in out and "org-2: no" in out
    assert "closed now: no quorum" in out
    refused(ck, db, "vote", "close", "1", "--as", "delegate-1", says="may not close vote")
    assert ck("vote", "cast", "1", "yes", "--as", "delegate-3")[0] == 0
    status, out, _ = ck("vote", "close", "1", "--as", "chair")
    assert status == 0 and out.startswith("vote 1 on amendment 1: simple majority")
    assert "closed: adopted" in out and "amendment 1 adopted: version 2" in out
    refused(ck, db, "vote", "cast", "1", "no", "--as", "delegate-2", says="closed")
    assert ck("vote", "list", "--open")[1] == ""
    assert ck("vote", "list")[1].startswith("vote 1 on amendment 1")


def test_bad_votes_are_named_and_nothing_is_stored(ck: Run, db: str) -> None:
    number = str(propose(ck))
    chair = ("--as", "chair")
    refused(ck, db, "vote", "open", *chair, says="either an amendment or a whole version")
    refused(ck, db, "vote", "open", "--amendment", number, "--quorum", "2", *chair, says="quorum")
    refused(ck, db, "vote", "open", "--amendment", number, "--deadline", "soon", *chair,
            says="--deadline")  # fmt: skip
    refused(ck, db, "vote", "open", "--amendment", number, "--deadline", "2001-01-01T00:00Z",
            *chair, says="already past")  # fmt: skip
    refused(ck, db, "vote", "open", "--amendment", "7", *chair, says="7")
    refused(ck, db, "vote", "call", number, "--window", "1s", *chair, says="window")
    refused(ck, db, "vote", "call", number, "--window", "ten", *chair, says="--window")
    refused(ck, db, "vote", "close", "5", *chair, says="5")
    with pytest.raises(SystemExit):
        ck("vote", "open", "--amendment", number, "--rule", "plurality", *chair)
    with pytest.raises(SystemExit):
        ck("vote", "cast", "1", "maybe", "--as", "delegate-1")


def test_a_secret_vote_shows_only_how_many_cast_until_it_closes(ck: Run) -> None:
    number = str(propose(ck))
    assert ck("vote", "open", "--amendment", number, "--secret", "--as", "chair")[0] == 0
    status, out, _ = ck("vote", "cast", "1", "no", "--as", "delegate-2")
    assert status == 0 and "check code" in out
    shown = ck("vote", "show", "1", "--as", "observer")[1]
    assert "1 of 3 organisations cast" in shown and "org-2" not in shown
    assert not any(line.endswith(": no") for line in shown.splitlines())


def test_an_objection_is_put_to_the_fallback_and_outvoted(ck: Run, db: str) -> None:
    number = str(propose(ck))
    status, out, _ = ck("vote", "call", number, "--as", "chair", "--window", "10m")
    assert status == 0 and out.startswith("vote 1 on amendment 1: call for consensus, until")
    refused(ck, db, "vote", "fallback", "1", "--as", "chair", says="drew an objection")
    assert ck("vote", "cast", "1", "object", "--as", "delegate-3")[0] == 0
    assert "'vote fallback 1' puts it to two thirds" in ck("vote", "show", "1")[1]
    refused(ck, db, "vote", "fallback", "1", "--as", "delegate-1", says="needs the role chair")
    status, out, _ = ck("vote", "fallback", "1", "--as", "chair")
    assert status == 0 and out.startswith("vote 2 on amendment 1: two thirds")
    for who, choice in (("delegate-1", "yes"), ("delegate-2", "yes"), ("delegate-3", "no")):
        assert ck("vote", "cast", "2", choice, "--as", who)[0] == 0
    status, out, _ = ck("vote", "close", "2", "--as", "chair")
    assert "closed: adopted" in out and "tally: 2 yes, 1 no, 0 abstain (3 of 3 cast)" in out
    service = open_service(db)
    first = service.votes(CONSOLE, service.the_meeting())[0]
    assert first.result is not None and first.result.outcome is Outcome.CANCELLED
    service.store.close()


def test_consensus_is_declared_once_the_window_passed(ck: Run, db: str) -> None:
    number = str(propose(ck))
    call = ("vote", "call", number, "--as", "chair", "--window", "90s")
    assert ck(*call, "--at", "2030-01-01T10:00Z")[0] == 0
    refused(ck, db, "vote", "declare", "1", "--as", "chair", "--at", "2030-01-01T10:01Z",
            says="may object until 10:01:30")  # fmt: skip
    status, out, _ = ck("vote", "declare", "1", "--as", "chair", "--at", "2030-01-01T10:02Z")
    assert status == 0 and "amendment 1 adopted: version 2" in out


def test_translations_are_listed_updated_and_confirmed(ck: Run, db: str, tmp_path: Path) -> None:
    for article in ("art-1", "art-2"):
        assert ck("amend", "propose", article, "--as", "delegate-1", "--text", "en=New.")[0] == 0
    assert ck("amend", "adopt", "1", "--as", "chair")[0] == 0
    assert ck("amend", "revise", "2", "--as", "delegate-1", "--text", "en=New.")[0] == 0
    assert ck("amend", "adopt", "2", "--as", "chair")[0] == 0
    status, out, _ = ck("translate", "stale")
    assert out.splitlines()[0].startswith("art-1:zh  article 1 (art-1) [zh]")
    assert len(out.splitlines()) == 2
    refused(ck, db, "translate", "update", "art-1:zh", says="--file or --text")
    refused(ck, db, "translate", "update", "art-1:zh", "--text", "新。", "--as", "delegate-1",
            says="may not update translation")  # fmt: skip
    status, out, _ = ck(
        "translate", "update", "art-1:zh", "--text", "新的第一条。", "--as", "secretariat"
    )
    assert status == 0 and out.startswith("version 4: art-1:zh updated")
    status, out, _ = ck("translate", "confirm", "art-2:zh", "--note", "still right")
    assert status == 0 and out.startswith("version 5: confirmed art-2:zh")
    assert ck("translate", "stale")[1] == ""
    refused(ck, db, "translate", "confirm", "art-2:zh", says="not stale")
    words = tmp_path / "w.txt"
    words.write_text("第一条，再改。", encoding="utf-8")
    status, out, _ = ck("translate", "art-1:zh", "--file", str(words))  # the older form
    assert status == 0 and out.startswith("version 6: art-1:zh updated")
    status, out, _ = ck("translate", "--note", "again", "art-1:zh", "--text", "第一条，三改。")
    assert status == 0 and out.startswith("version 7: art-1:zh updated")


def test_the_agenda_is_set_shown_and_cleared_by_the_chair(ck: Run, db: str) -> None:
    assert ck("agenda", "show")[1].startswith("on the floor: nothing")
    status, out, _ = ck("agenda", "set", "article", "art-2", "--note", "第二条", "--as", "chair")
    assert status == 0 and out == "on the floor: article art-2\n"
    shown = ck("agenda", "show", "--as", "observer")[1]
    assert (
        "on the floor: article art-2" in shown
        and "note: 第二条" in shown
        and "set by chair" in shown
    )
    refused(ck, db, "agenda", "set", "article", "art-1", "--as", "delegate-1", says="set agenda")
    refused(ck, db, "agenda", "set", "article", "art-9", "--as", "chair", says="art-9")
    refused(ck, db, "agenda", "set", "vote", "--as", "chair", says="ref")
    with pytest.raises(SystemExit):
        ck("agenda", "set", "speech", "1", "--as", "chair")
    assert ck("agenda", "clear", "--as", "chair")[0] == 0
    assert ck("agenda", "show")[1].startswith("on the floor: nothing")


def test_signing_is_opened_closed_and_reopened_for_a_late_signature(ck: Run, db: str) -> None:
    assert "a draft, not open for signature" in ck("signing", "status")[1]
    refused(ck, db, "signing", "close", "--as", "chair", says="not frozen")
    refused(ck, db, "signing", "open", "--as", "secretariat", says="freeze version")
    status, out, _ = ck("signing", "open", "--as", "chair")
    assert status == 0 and out.startswith("version 1 frozen and open for signature")
    assert ck("sign", "--as", "signatory-1")[0] == 0
    refused(ck, db, "sign", "--as", "delegate-2", says="signatory")
    refused(ck, db, "signing", "reopen", "--as", "chair", "--reason", "late", says="is open")
    refused(ck, db, "signing", "close", "--as", "delegate-1", says="close signing")
    status, out, _ = ck("signing", "close", "--as", "chair")
    assert status == 0 and out == "version 1: signing closed with 1 endorsement(s)\n"
    refused(ck, db, "sign", "--as", "signatory-2", says="closed")
    refused(ck, db, "signing", "reopen", "--as", "chair", "--reason", "", says="reason")
    with pytest.raises(SystemExit):
        ck("signing", "reopen", "--as", "chair")
    status, out, _ = ck("signing", "reopen", "--as", "chair", "--reason", "a delegation's flight")
    assert status == 0 and "signing reopened (a delegation's flight)" in out
    assert ck("sign", "--as", "signatory-2")[0] == 0
    assert "signing open, 2 endorsement(s)" in ck("signing", "status", "--version", "1")[1]
    service = open_service(db)
    mid = service.the_meeting()
    assert service.version(CONSOLE, mid).state is VersionState.FROZEN
    assert {e.organisation for e in service.endorsements(CONSOLE, mid, 1)} == {"org-1", "org-2"}
    service.store.close()


def test_import_docx_while_a_vote_is_open_is_refused_and_the_vote_still_closes(
    ck: Run, db: str, tmp_path: Path
) -> None:
    """Importing a Word draft mid-vote would change the words voted on (issue 18): refused,
    and the passing vote closes and adopts as if nothing had been tried."""
    out = tmp_path / "words"
    assert ck("export", "--format", "docx", "--out", str(out))[0] == 0
    number = str(propose(ck))
    assert ck("vote", "open", "--amendment", number, "--as", "chair")[0] == 0
    drafts = [str(out / "test-meeting-v1.en.docx"), str(out / "test-meeting-v1.zh.docx")]
    refused(ck, db, "import-docx", *drafts, "--lang", "en,zh",
            says="cannot be published while a vote is open (vote 1)")  # fmt: skip
    for who in ("delegate-1", "delegate-2"):
        assert ck("vote", "cast", "1", "yes", "--as", who)[0] == 0
    status, output, _ = ck("vote", "close", "1", "--as", "chair")
    assert status == 0 and "amendment 1 adopted: version 2" in output
    service = open_service(db)
    amendment = service.amendment(CONSOLE, service.the_meeting(), 1).amendment
    assert amendment.status is AmendmentStatus.ADOPTED
    service.store.close()


def test_the_installed_command_takes_the_older_translate_form(db: str, tmp_path: Path) -> None:
    """``consensus-kit`` (the console script, webui.cli) reads the command line as the
    library's ``main`` does: ``translate PART:LANG --file F`` still updates a translation."""
    words = tmp_path / "title.zh.txt"
    words.write_text("新的标题\n", encoding="utf-8")
    command = ["translate", "title:zh", "--file", str(words), "--db", db]
    done = subprocess.run(
        [sys.executable, "-m", "webui.cli", *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("version 2: title:zh updated")


def test_any_text_a_delegate_can_type_round_trips_and_hostile_text_is_refused(
    ck: Run, db: str
) -> None:
    for name, words in UNICODE_CORPUS.items():
        status, out, err = ck(
            "amend", "propose", "art-1", "--as", "delegate-1", "--text", f"zh={words}"
        )
        assert status == 0, f"{name}: {err}"
        number = int(out.split()[1])
        service = open_service(db)
        try:
            stored = service.amendment(CONSOLE, service.the_meeting(), number).amendment
        finally:
            service.store.close()
        assert stored.texts["zh"] == words, name
    for name, words in HOSTILE_TEXT.items():
        before = events(db)
        status, _, err = ck(
            "amend", "propose", "art-1", "--as", "delegate-1", "--text", f"zh={words}"
        )
        assert status == 1 and err.startswith("error: ") and "zh" in err, name
        assert events(db) == before, name
