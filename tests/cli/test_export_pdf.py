"""``consensus-kit export --format pdf | bilingual-pdf | votes-pdf``: the files, and the bad
inputs (a language the declaration lacks, WeasyPrint missing) as one line, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import A20, ROOT, run
from tests.cli.test_export_errors import everything_under, one_line_error
from tests.office import need
from tests.six_languages import six_language_toml


@pytest.fixture(scope="module")
def a20_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("a20") / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    return db


def pdf_text(path: Path) -> str:
    need("pdftotext")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_export_pdf_writes_one_pdf_per_language(a20_db: str, tmp_path: Path) -> None:
    result = run("export", "--db", a20_db, "--format", "pdf", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert everything_under(tmp_path) == ["a20-2018-v1.en.pdf", "a20-2018-v1.zh.pdf"]
    assert (tmp_path / "a20-2018-v1.en.pdf").read_bytes().startswith(b"%PDF-")
    assert "Article 4" in pdf_text(tmp_path / "a20-2018-v1.en.pdf")
    assert "第4条" in pdf_text(tmp_path / "a20-2018-v1.zh.pdf")


def test_export_bilingual_pdf_and_the_record_of_votes(a20_db: str, tmp_path: Path) -> None:
    out = tmp_path / "both.pdf"
    args = ("export", "--db", a20_db, "--format", "bilingual-pdf", "--lang", "zh,en")
    assert run(*args, "--out", str(out)).returncode == 0
    text = pdf_text(out)
    assert "中文" in text and "English" in text and "第1条" in text and "Article 1" in text
    votes = tmp_path / "votes.pdf"
    args = ("export", "--db", a20_db, "--format", "votes-pdf", "--lang", "en")
    assert run(*args, "--out", str(votes)).returncode == 0
    assert "Record of votes" in pdf_text(votes) and "No vote has been taken." in pdf_text(votes)


def test_a_pdf_of_a_language_the_declaration_lacks_is_one_line_and_writes_nothing(
    a20_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "fr.pdf"
    result = run("export", "--db", a20_db, "--format", "pdf", "--lang", "fr", "--out", str(out))
    one_line_error(result, "lang", "'fr' is not one of the meeting's languages")
    result = run(
        "export", "--db", a20_db, "--format", "bilingual-pdf", "--lang", "en", "--out", str(out)
    )
    one_line_error(result, "lang", "exactly two languages")
    assert everything_under(tmp_path) == []


def test_without_weasyprint_the_error_says_what_to_install(a20_db: str, tmp_path: Path) -> None:
    """WeasyPrint made unimportable (as on a machine without the extra), the command runs."""
    out = tmp_path / "en.pdf"
    script = (
        "import sys; sys.modules['weasyprint'] = None; "
        "from webui.cli import main; sys.argv = ['consensus-kit', *sys.argv[1:]]; "
        "sys.exit(main())"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "export",
            "--db",
            a20_db,
            "--format",
            "pdf",
            "--lang",
            "en",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    one_line_error(result, "WeasyPrint", "pip install 'consensus-kit[pdf]'")
    assert everything_under(tmp_path) == []


def test_export_parallel_pdf_of_six_languages_and_its_bad_inputs(tmp_path: Path) -> None:
    meeting_file = tmp_path / "geneva.toml"
    meeting_file.write_text(six_language_toml(orgs=3), encoding="utf-8")
    db = str(tmp_path / "geneva.db")
    assert run("load", str(meeting_file), "--db", db).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    result = run("export", "--db", db, "--format", "parallel-pdf", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert everything_under(out) == ["geneva-2026-v1.en-fr-es-ru-zh-ar.pdf"]
    text = pdf_text(out / "geneva-2026-v1.en-fr-es-ru-zh-ar.pdf")
    for header in ("English", "français", "español", "русский", "中文"):
        assert header in text
    assert "Статья 4" in text and "第4条" in text and "Artículo 4" in text
    bad = tmp_path / "bad"
    for langs, message in (
        ("en", "side by side takes two to six different languages, got 1"),
        ("en,en", "side by side takes two to six different languages, got 2"),
        ("en,de", "'de' is not one of the meeting's languages"),
    ):
        args = ("export", "--db", db, "--format", "parallel-pdf", "--lang", langs)
        one_line_error(run(*args, "--out", str(bad)), "lang", message)
    assert not bad.exists()
