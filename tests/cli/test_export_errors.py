"""``consensus-kit export`` when the file system says no: one line naming the path and the
cause, exit status 1, and nothing left behind (no partial file, no temporary file, no half of a
several-file export)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import A20, run
from tests.conftest import skip_unless


@pytest.fixture(scope="module")
def a20_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("a20") / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    return db


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_missing_folder_names_the_path_and_creates_nothing(a20_db: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "a20.docx"
    result = run("export", "--db", a20_db, "--format", "docx", "--lang", "en", "--out", str(target))
    one_line_error(result, f"cannot write {target}", f"the folder {target.parent} does not exist")
    assert everything_under(tmp_path) == []


def test_several_files_need_a_folder_not_a_file_name(a20_db: str, tmp_path: Path) -> None:
    out = tmp_path / "b.xml"
    result = run("export", "--db", a20_db, "--format", "akn", "--out", str(out))
    one_line_error(result, "--out", "2 files", "must be a folder", "b.xml")
    assert not out.exists()


def test_several_files_onto_an_existing_file_leave_it_alone(a20_db: str, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.write_text("keep me")
    result = run("export", "--db", a20_db, "--format", "docx", "--out", str(out))
    one_line_error(result, "--out", "must be a folder", f"{out} is a file")
    assert out.read_text() == "keep me"
    assert everything_under(tmp_path) == ["notes"]


def test_a_file_in_the_way_of_a_folder_is_named(a20_db: str, tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("x")
    target = tmp_path / "plain.txt" / "a20.md"
    result = run("export", "--db", a20_db, "--format", "md", "--out", str(target))
    one_line_error(result, f"cannot write {target}", "plain.txt is a file, not a folder")


def test_an_existing_file_is_replaced_whole(a20_db: str, tmp_path: Path) -> None:
    target = tmp_path / "a20.md"
    target.write_text("an older export, much longer than the new one " * 2000)
    result = run("export", "--db", a20_db, "--format", "md", "--out", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "consensus-kit export" in text and "an older export" not in text
    assert everything_under(tmp_path) == ["a20.md"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 40 KiB file system (tmpfs): one A20 Word file (~26 kB) fits, two do not."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    # a laptop user is rarely root; CI runs as root, so there the full disk is always tried
    skip_unless(
        mounted.returncode == 0,
        f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}",
    )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_half_way_through_leaves_nothing(a20_db: str, tiny_disk: Path) -> None:
    out = tiny_disk / "exports"
    result = run("export", "--db", a20_db, "--format", "docx", "--out", str(out))
    one_line_error(result, "cannot write", str(out), "no space left on the device")
    assert everything_under(out) == []  # neither the file that fitted nor any temporary file


def test_a_full_disk_for_one_file_leaves_the_old_file_whole(a20_db: str, tiny_disk: Path) -> None:
    (tiny_disk / "filler").write_bytes(b"x" * 24_000)
    target = tiny_disk / "a20.docx"
    target.write_bytes(b"the previous export")
    result = run("export", "--db", a20_db, "--format", "docx", "--lang", "zh", "--out", str(target))
    one_line_error(result, f"cannot write {target}", "no space left on the device")
    assert target.read_bytes() == b"the previous export"
    assert everything_under(tiny_disk) == ["a20.docx", "filler"]
