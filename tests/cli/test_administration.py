"""``consensus-kit organisations`` and ``consensus-kit delegates`` on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from consensus_kit import CONSOLE, open_service, verify_store
from consensus_kit.cli import main
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from tests.builders import meeting_toml

MID = MeetingId("test-meeting")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "meeting.toml"
    path.write_text(meeting_toml(), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(path), "--db", url]) == 0
    return url


def test_every_organisation_act_from_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert (
        main(
            [
                "organisations",
                "add",
                "late",
                "--db",
                db,
                "--name",
                "en=Late Delegation",
                "--name",
                "zh=迟到代表团",
                "--country",
                "KP",
                "--region",
                "Asia",
                "--country-name",
                "en=Democratic People's Republic of Korea",
                "--reason",
                "arrived on day two",
                "--at",
                "2026-03-19T09:00+03:00",
            ]
        )
        == 0
    )
    assert "added organisation late" in capsys.readouterr().out
    assert (
        main(
            [
                "organisations",
                "rename",
                "org-1",
                "--db",
                db,
                "--name",
                "zh=救助儿童会",
                "--as",
                "secretariat",
                "--reason",
                "official name",
            ]
        )
        == 0
    )
    assert main(["organisations", "withdraw", "org-2", "--db", db, "--reason", "left"]) == 0
    capsys.readouterr()
    assert main(["organisations", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "救助儿童会" in listed and "withdrew" in listed and "late\t" in listed
    svc = open_service(db)
    meeting = svc.meeting(MID)
    late = meeting.organisation(OrgId("late"))
    assert late is not None and late.country_in("en") == "Democratic People's Republic of Korea"
    events = svc.events_after(CONSOLE, MID)
    assert events[-3].at.isoformat() == "2026-03-19T06:00:00+00:00"  # --at, in UTC
    assert [e.actor for e in events[-3:]] == ["console", "secretariat", "console"]
    assert verify_store(svc.store, CONSOLE).ok


def test_every_delegate_act_from_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert (
        main(
            [
                "delegates",
                "add",
                "late-head",
                "--db",
                db,
                "--name",
                "Ms Kim",
                "--organisation",
                "org-1",
                "--roles",
                "delegate,signatory",
                "--reason",
                "late",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    code = out.split("access code for late-head: ")[1].split()[0]
    assert (
        main(
            [
                "delegates",
                "rename",
                "late-head",
                "--db",
                db,
                "--name",
                "Kim Sun-hee",
                "--reason",
                "r",
            ]
        )
        == 0
    )
    assert (
        main(
            ["delegates", "roles", "delegate-1", "delegate,signatory", "--db", db, "--reason", "r"]
        )
        == 0
    )
    assert (
        main(
            [
                "delegates",
                "substitute",
                "signatory-2",
                "--by",
                "signatory-2b",
                "--name",
                "Dr Osei",
                "--db",
                db,
                "--reason",
                "replaced",
            ]
        )
        == 0
    )
    assert "access code for signatory-2b" in capsys.readouterr().out
    assert main(["delegates", "withdraw", "delegate-3", "--db", db, "--reason", "ill"]) == 0
    assert main(["delegates", "reissue-code", "late-head", "--db", db]) == 0
    new_code = capsys.readouterr().out.split(": ")[-1].strip()
    svc = open_service(db)
    assert svc.authenticate(new_code)[1].name == "Kim Sun-hee"
    assert new_code != code
    meeting = svc.meeting(MID)
    assert meeting.delegate(DelegateId("delegate-3")).withdrawn_at is not None  # type: ignore[union-attr]
    assert {r.value for r in meeting.delegate(DelegateId("delegate-1")).roles} == {  # type: ignore[union-attr]
        "delegate",
        "signatory",
    }
    assert main(["delegates", "list", "--db", db]) == 0
    assert "signatory-2b\tDr Osei\torg-2" in capsys.readouterr().out
    assert verify_store(svc.store, CONSOLE).ok


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["organisations", "rename", "org-1", "--name", "en=", "--reason", "r"], "name.en"),
        (["organisations", "rename", "org-1", "--name", "en", "--reason", "r"], "--name"),
        (["organisations", "rename", "ghost", "--name", "en=X", "--reason", "r"], "ghost"),
        (["delegates", "roles", "chair", "observer", "--reason", "r"], "without a chair"),
        (["delegates", "roles", "ghost", "chair", "--reason", "r"], "ghost"),
        (["delegates", "roles", "delegate-1", "emperor", "--reason", "r"], "roles: 'emperor'"),
        (
            [
                "delegates",
                "roles",
                "delegate-1",
                "signatory",
                "--reason",
                "r",
                "--as",
                "delegate-1",
            ],
            "may not administer",
        ),
        (
            [
                "organisations",
                "rename",
                "org-1",
                "--name",
                "en=X",
                "--reason",
                "r",
                "--expected",
                "0123456789abcdef",
            ],
            "changed by someone else",
        ),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    before = open_service(db).events_after(CONSOLE, MID)
    capsys.readouterr()
    assert main([*argv, "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and err.count("\n") == 1, err
    assert open_service(db).events_after(CONSOLE, MID) == before
