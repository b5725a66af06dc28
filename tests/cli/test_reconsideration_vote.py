"""``amend reconsider N`` under ``reconsideration = "vote"`` opens the vote on the motion to
reconsider; ``vote close`` decides it. A refusal is one line on stderr, exit status 1, and the
event log does not grow. On an SQLite file and a PostgreSQL schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from consensus_kit import CONSOLE, open_service, verify_store
from consensus_kit.cli import main
from tests.builders import meeting_toml
from tests.cli.test_meeting_commands import Run, propose, refused

PROCEDURE = '\n[procedure]\nreconsideration = "vote"\n'


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    """The CLI test meeting (org-1..3) under rules that put a motion to reconsider to a vote."""
    path = tmp_path / "meeting.toml"
    path.write_text(meeting_toml(extra=PROCEDURE), encoding="utf-8")
    assert main(["load", str(path), "--db", db_url]) == 0
    return db_url


@pytest.fixture
def ck(db: str, capsys: pytest.CaptureFixture[str]) -> Run:
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        status = main([*args, "--db", db])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def _verified(db: str) -> bool:
    service = open_service(db)
    try:
        return verify_store(service.store, CONSOLE).ok
    finally:
        service.store.close()


def _rejected(ck: Run) -> str:
    number = str(propose(ck))
    status, out, _ = ck("amend", "reject", number, "--as", "chair")
    assert status == 0 and "(rejected)" in out
    return number


def test_a_motion_opened_and_carried_from_the_command_line(ck: Run, db: str) -> None:
    number = _rejected(ck)

    status, out, err = ck("amend", "reconsider", number, "--as", "chair", "--reason", "新事实")

    assert status == 0, err
    assert out.startswith(f"vote 1 opened: reconsider amendment {number}? (two thirds;")
    shown = ck("amend", "show", number)[1]
    assert "rejected" in shown and "a motion to reconsider it is open: vote 1" in shown
    listed = ck("vote", "show", "1")[1]
    assert f"reconsidering amendment {number}: two thirds" in listed
    assert ck("vote", "cast", "1", "yes", "--as", "delegate-1")[0] == 0
    assert ck("vote", "cast", "1", "yes", "--as", "delegate-2")[0] == 0
    assert ck("vote", "cast", "1", "no", "--as", "delegate-3")[0] == 0
    status, out, err = ck("vote", "close", "1", "--as", "chair")
    assert status == 0, err
    assert "closed: adopted" in out and "under two thirds" in out
    assert f"amendment {number} is submitted" in out
    status, out, _ = ck("amend", "adopt", number, "--as", "chair")
    assert status == 0 and out.startswith(f"amendment {number} adopted: version 2")
    assert _verified(db)


def test_a_failed_motion_and_the_refusals(ck: Run, db: str) -> None:
    number = _rejected(ck)
    open_one = str(propose(ck, who="delegate-2", words="Still open."))
    refused(
        ck, db, "amend", "reconsider", open_one, "--as", "chair", "--reason", "x",
        says="only a rejected amendment can be reconsidered",
    )  # fmt: skip
    refused(
        ck, db, "amend", "reconsider", number, "--as", "delegate-1", "--reason", "x",
        says="needs the role chair",
    )  # fmt: skip
    assert ck("amend", "reconsider", number, "--as", "chair", "--reason", "first")[0] == 0
    refused(
        ck, db, "amend", "reconsider", number, "--as", "chair", "--reason", "second",
        says="already open (vote 1)",
    )  # fmt: skip
    assert ck("vote", "cast", "1", "yes", "--as", "delegate-1")[0] == 0
    assert ck("vote", "cast", "1", "no", "--as", "delegate-2")[0] == 0
    status, out, _ = ck("vote", "close", "1", "--as", "chair")
    assert status == 0 and "closed: rejected" in out
    assert f"amendment {number} is rejected" in out
    assert _verified(db)
