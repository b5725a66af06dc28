"""The command line: each command works on a real SQLite file, errors are one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from consensus_kit import CONSOLE, open_service
from consensus_kit.cli import build_parser, main
from tests.builders import meeting_toml

ROOT = Path(__file__).resolve().parents[2]
A20 = ROOT / "examples" / "a20_2018" / "meeting.toml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consensus_kit.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def meeting_file(tmp_path: Path) -> Path:
    path = tmp_path / "meeting.toml"
    path.write_text(meeting_toml(), encoding="utf-8")
    return path


def test_every_command_has_help_text() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) >= {"load", "show", "verify", "codes", "versions", "compare"}  # type: ignore[arg-type]
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.description, f"{name} has no description"
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help"


def test_load_show_codes_and_verify(
    tmp_path: Path, meeting_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(meeting_file), "--db", db]) == 0
    assert "loaded meeting 'test-meeting'" in capsys.readouterr().out

    assert main(["show", "--db", db, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "Test declaration (zh)" in out and "1. Article 1 (zh)" in out and "(en)" not in out

    assert main(["codes", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 9 and all(len(line.split()[0]) == 14 for line in lines)
    assert main(["codes", "--db", db]) == 1
    assert "shown only once" in capsys.readouterr().err
    assert main(["codes", "--db", db, "--delegate", "chair"]) == 0
    assert capsys.readouterr().out.split()[1] == "chair"

    assert main(["verify", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("OK")
    assert main(["versions", "--db", db]) == 0
    assert capsys.readouterr().out.split()[:2] == ["1", "draft"]


def test_a_bad_meeting_file_prints_each_problem_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        meeting_toml()
        .replace('country = "KE"', 'country = "XX"')
        .replace("quorum = 0.5", "quorum = 2")
    )
    result = run("load", str(bad), "--db", f"sqlite:///{tmp_path / 'm.db'}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"error: {bad}: organisations[0].country: 'XX' is not an ISO 3166-1 alpha-2 country code"
        in result.stderr
    )
    assert f"error: {bad}: decision.quorum: 2.0 is not between 0 and 1" in result.stderr
    assert (
        not (tmp_path / "m.db").exists()
        or "holds no meeting" in run("show", "--db", f"sqlite:///{tmp_path / 'm.db'}").stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "--lang", "fr"], "--lang: 'fr' is not one of the meeting's languages"),
        (["show", "--version", "7"], "no version 7"),
        (["show", "--meeting", "other"], "no meeting 'other'"),
        (["compare", "--from", "1", "--to", "2", "--lang", "en"], "no version 2"),
        (["codes", "--delegate", "ghost"], "no delegate 'ghost'"),
    ],
)
def test_user_mistakes_are_one_clear_line(
    tmp_path: Path, meeting_file: Path, args: list[str], message: str
) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    assert run("load", str(meeting_file), "--db", db).returncode == 0
    result = run(*args, "--db", db)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {message}" or result.stderr.startswith(
        f"error: {message}"
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_database_says_how_to_start(tmp_path: Path) -> None:
    result = run("show", "--db", str(tmp_path / "empty.db"))
    assert result.returncode == 1
    assert "holds no meeting yet: load one with 'consensus-kit load'" in result.stderr


def test_verify_exits_non_zero_and_names_a_tampered_version(
    tmp_path: Path, meeting_file: Path
) -> None:
    import sqlite3

    path = tmp_path / "m.db"
    assert run("load", str(meeting_file), "--db", str(path)).returncode == 0
    with sqlite3.connect(path) as c:
        c.execute("UPDATE article_texts SET body = replace(body, 'Article 2 (zh)', '第二条')")
    result = run("verify", "--db", str(path))
    assert result.returncode == 1
    assert (
        "MISMATCH test-meeting: version 1: texts do not match the version's content hash"
        in result.stdout
    )


def test_the_a20_example_loads_and_shows_in_both_languages(tmp_path: Path) -> None:
    db = str(tmp_path / "a20.db")
    loaded = run("load", str(A20), "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    assert "20 organisations, 5 observer organisations" in loaded.stdout
    shown = run("show", "--db", db)
    assert "A20 Global Social Consensus on Child Advocacy" in shown.stdout
    assert "A20 全球关爱儿童社会共识" in shown.stdout
    assert "especially especially" in shown.stdout


def test_diff_of_two_files_in_every_format(tmp_path: Path) -> None:
    import json

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("我们认为儿童是未来的希望。", encoding="utf-8")
    b.write_text("我们相信儿童是未来的希望。", encoding="utf-8")
    text = run("diff", str(a), str(b), "--lang", "zh")
    assert text.returncode == 0 and text.stdout.strip() == "我们[-认为-]{+相信+}儿童是未来的希望。"
    as_json = json.loads(run("diff", str(a), str(b), "--format", "json").stdout)
    assert as_json == [
        {"op": "equal", "text": "我们"},
        {"op": "delete", "text": "认为"},
        {"op": "insert", "text": "相信"},
        {"op": "equal", "text": "儿童是未来的希望。"},
    ]
    b.write_text("<script>alert(1)</script>", encoding="utf-8")
    html = run("diff", str(a), str(b), "--format", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_diff_of_stored_versions_and_a_bad_call(tmp_path: Path, meeting_file: Path) -> None:
    db = str(tmp_path / "m.db")
    assert run("load", str(meeting_file), "--db", db).returncode == 0
    same = run("diff", "--db", db, "--from", "1", "--to", "1", "--lang", "en")
    assert same.returncode == 0 and "== article 1 (art-1): unchanged ==" in same.stdout
    bad = run("diff", str(meeting_file), "--db", db)
    assert bad.returncode == 1 and bad.stderr.startswith("error: give two files")
    missing = run("diff", str(tmp_path / "nope.txt"), str(meeting_file))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_lint_reports_the_a20_doubled_word_and_amendments_list(tmp_path: Path) -> None:
    db = str(tmp_path / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    lint = run("lint", "--db", db)
    assert lint.returncode == 0  # warnings alone do not fail
    assert "doubled word: “especially especially”" in lint.stdout
    assert lint.stdout.strip().endswith("0 error(s), 1 warning(s)")
    listed = run("amendments", "--db", db)
    assert listed.returncode == 0 and listed.stdout == ""


def test_freeze_keygen_register_sign_and_verify_from_the_command_line(
    tmp_path: Path, meeting_file: Path
) -> None:
    db = str(tmp_path / "m.db")
    assert run("load", str(meeting_file), "--db", db).returncode == 0
    refused = run("freeze", "--db", db, "--as", "delegate-1")
    assert refused.returncode == 1 and "may not freeze version" in refused.stderr
    frozen = run("freeze", "--db", db, "--as", "chair")
    assert frozen.returncode == 0 and frozen.stdout.startswith("version 1 frozen")
    key = tmp_path / "org-1.pem"
    made = run("keygen", "--out", str(key))
    assert made.returncode == 0 and "BEGIN PUBLIC KEY" in made.stdout
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    public = tmp_path / "org-1.pub"  # written beside the private key, as the README says
    assert public.read_text(encoding="ascii") == made.stdout
    assert (
        run(
            "register-key", "--db", db, "--organisation", "org-1", "--public-key", str(public)
        ).returncode
        == 0
    )
    offline = run(
        "sign",
        "--db",
        db,
        "--key",
        str(key),
        "--organisation",
        "org-1",
        "--signer",
        "Signatory 1",
        "--title",
        "Director",
    )
    assert offline.returncode == 0 and len(offline.stdout.strip()) == 128  # hex Ed25519 signature
    signed = run("sign", "--db", db, "--key", str(key), "--as", "signatory-1")
    assert signed.returncode == 0, signed.stderr
    assert "org-1 endorsed version 1" in signed.stdout
    wrong = run("sign", "--db", db, "--key", str(key), "--as", "signatory-2")
    assert wrong.returncode == 1 and "org-2 has registered no public key" in wrong.stderr
    listed = run("signatories", "--db", db)
    assert "KE  Organisation 1 (en) — Signatory 1, Director" in listed.stdout
    assert run("public-key", "--db", db).stdout.startswith("-----BEGIN PUBLIC KEY-----")
    verified = run("verify", "--db", db)
    assert verified.returncode == 0, verified.stdout


def test_keygen_refuses_to_overwrite_either_key_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "org.pub").write_text("an older public key", encoding="ascii")
    refused = run("keygen", "--out", str(tmp_path / "org.pem"))
    assert refused.returncode == 1 and "org.pub exists" in refused.stderr
    assert not (tmp_path / "org.pem").exists()
    assert (tmp_path / "org.pub").read_text(encoding="ascii") == "an older public key"
    clash = run("keygen", "--out", str(tmp_path / "key.pub"))
    assert clash.returncode == 1 and "must not end in .pub" in clash.stderr


def test_export_format_choices_are_the_library_formats() -> None:
    from consensus_kit import ExportFormat
    from consensus_kit.cli.documents import EXPORT_FORMATS

    assert tuple(f.value for f in ExportFormat) == EXPORT_FORMATS


MIGRATIONS = Path(__file__).resolve().parents[2] / "consensus_kit/storage/migrations/versions"


def test_migrate_creates_and_then_confirms_the_schema(tmp_path: Path) -> None:
    db = str(tmp_path / "new.db")
    first = run("migrate", "--db", db)
    newest = sorted(p.name[:4] for p in MIGRATIONS.glob("0*.py"))[-1]
    assert first.returncode == 0 and f"up to date ({newest})" in first.stdout
    assert run("migrate", "--db", db).returncode == 0


def test_export_every_format_and_import_a_word_draft_back(tmp_path: Path) -> None:
    import docx

    db = str(tmp_path / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    out = tmp_path / "out"
    for fmt in ("docx", "md", "json", "akn"):
        result = run("export", "--db", db, "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
    bilingual = run(
        "export",
        "--db",
        db,
        "--format",
        "bilingual-docx",
        "--lang",
        "en,zh",
        "--out",
        str(tmp_path / "both.docx"),
    )
    assert bilingual.returncode == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "a20-2018-v1.en.akn.xml",
        "a20-2018-v1.en.docx",
        "a20-2018-v1.json",
        "a20-2018-v1.md",
        "a20-2018-v1.zh.akn.xml",
        "a20-2018-v1.zh.docx",
    ]
    text = "\n".join(p.text for p in docx.Document(str(out / "a20-2018-v1.zh.docx")).paragraphs)
    assert "构建一个充满活力的全球儿童保护平台。" in text
    refused = run(
        "export",
        "--db",
        db,
        "--format",
        "bilingual-docx",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "x.docx"),
    )
    assert refused.returncode == 1 and "two to six different languages" in refused.stderr
    imported = run(
        "import-docx",
        str(out / "a20-2018-v1.en.docx"),
        str(out / "a20-2018-v1.zh.docx"),
        "--lang",
        "en,zh",
        "--db",
        db,
    )
    assert imported.returncode == 0, imported.stderr
    versions = run("versions", "--db", db).stdout.splitlines()
    assert versions[0].split()[2] == versions[1].split()[2]  # same texts: the same content hash
    mismatch = run("import-docx", str(out / "a20-2018-v1.en.docx"), "--lang", "en,zh", "--db", db)
    assert mismatch.returncode == 1 and "give one file per language" in mismatch.stderr


def test_confirm_a_stale_translation_from_the_command_line(
    tmp_path: Path, meeting_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(meeting_file), "--db", db]) == 0
    service = open_service(db)
    mid = service.the_meeting(None)
    a = service.propose_amendment(
        service.delegate(mid, "delegate-1"), mid, kind="preamble", texts={"en": "We all agree"}
    )
    service.adopt_amendment(service.delegate(mid, "chair"), mid, a.number)
    capsys.readouterr()
    assert main(["confirm", "preamble", "--db", db]) == 1
    assert "write PART:LANG" in capsys.readouterr().err
    assert main(["confirm", "art-1:zh", "--db", db]) == 1
    assert "not stale" in capsys.readouterr().err
    assert main(["confirm", "preamble:zh", "--db", db, "--as", "delegate-1"]) == 1
    assert "may not confirm translation" in capsys.readouterr().err
    assert main(["confirm", "preamble:zh", "--db", db, "--note", "checked", "--version", "2"]) == 0
    assert capsys.readouterr().out.startswith("version 3: confirmed preamble:zh")
    assert service.stale_translations(CONSOLE, mid) == []


def test_a_historical_meeting_is_replayed_with_its_own_dates(
    tmp_path: Path, meeting_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--at`` dates everything a command does: the loading, a freeze, an export."""
    db = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(meeting_file), "--db", db, "--at", "2010-11-05T09:00+08:00"]) == 0
    at = "2010-11-06T15:30+08:00"
    assert main(["freeze", "--db", db, "--as", "chair", "--at", at]) == 0
    service = open_service(db)
    mid = service.the_meeting(None)
    times = [e.at for e in service.events_after(CONSOLE, mid)]
    assert times[0].isoformat().startswith("2010-11-05T01:00:00")  # 09:00 in Beijing, in UTC
    assert times[-1].isoformat().startswith("2010-11-06T07:30:00")
    assert times == sorted(times)
    out = tmp_path / "out"
    out.mkdir()
    export = ["export", "--db", db, "--format", "akn", "--lang", "en", "--out", str(out)]
    assert main([*export, "--at", at]) == 0
    [written] = list(out.iterdir())
    assert b'<FRBRdate date="2010-11-06" name="generation"/>' in written.read_bytes()
    capsys.readouterr()
    assert main(["versions", "--db", db, "--at", "yesterday"]) == 1
    assert "--at" in capsys.readouterr().err
    assert main(["versions", "--db", db, "--at", "2010-11-05T10:00"]) == 1
    assert "no offset" in capsys.readouterr().err


def test_a_stale_translation_is_corrected_from_the_command_line_and_the_text_frozen(
    tmp_path: Path, meeting_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A secretariat working only from the command line clears a stale translation and the
    chair freezes: ``translate`` then ``freeze``."""
    db = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(meeting_file), "--db", db]) == 0
    service = open_service(db)
    mid = service.the_meeting(None)
    a = service.propose_amendment(
        service.delegate(mid, "delegate-1"),
        mid,
        kind="replace",
        article="art-1",
        texts={"en": "New."},
    )
    service.adopt_amendment(service.delegate(mid, "chair"), mid, a.number)
    assert main(["freeze", "--db", db, "--as", "chair"]) == 1  # the Chinese of art-1 is stale
    words = tmp_path / "art-1.zh.txt"
    words.write_text("新的条文。\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["translate", "art-1", "--file", str(words), "--db", db]) == 1
    assert "PART:LANG" in capsys.readouterr().err
    assert main(["translate", "art-1:zh", "--file", str(tmp_path / "none.txt"), "--db", db]) == 1
    assert "--file" in capsys.readouterr().err
    assert main(["translate", "art-1:zh", "--file", str(words), "--db", db, "--note", "typo"]) == 0
    assert capsys.readouterr().out.startswith("version 3: art-1:zh updated")
    assert main(["freeze", "--db", db, "--as", "chair"]) == 0
    assert service.version(CONSOLE, mid).declaration.articles[0].text["zh"] == "新的条文。"
