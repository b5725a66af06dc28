"""Hostile files given to the command line (issue 17), each run in a process whose address space
is capped (``RLIMIT_AS``): a DOCX zip bomb, one that lies about its sizes, a device or a FIFO
where a file belongs, and a meeting file whose ``declaration.files`` reach outside its folder.

Each gets a clear one-line error naming what is wrong, quickly and within the memory cap."""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from consensus_kit.cli import main
from tests.builders import meeting_toml
from tests.integration.test_docx_import import word_draft

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1_500_000_000  # bytes of address space for the whole CLI process
BOMB_BYTES = 1_200_000_000  # what the bomb's document.xml expands to


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI under the memory cap; its result and how long it took."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "consensus_kit.cli", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, preexec_fn=_capped,
    )  # fmt: skip
    return done, time.monotonic() - started


@pytest.fixture
def db(tmp_path: Path) -> str:
    meeting = tmp_path / "meeting.toml"
    meeting.write_text(meeting_toml(langs=("en",)), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["load", str(meeting), "--db", url]) == 0
    return url


def zip_bomb(path: Path, *, lie: bool = False) -> Path:
    """A real Word draft whose ``word/document.xml`` gains ``BOMB_BYTES`` of spaces before its
    end (~1 MB compressed). With ``lie``, the directory claims the part is 1 kB."""
    with (
        zipfile.ZipFile(io.BytesIO(word_draft())) as draft,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in draft.infolist():
            data = draft.read(info)
            if info.filename != "word/document.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.rsplit(b"</w:body>", 1)
            with out.open(info.filename, "w") as part:
                part.write(head)
                chunk = b" " * 4_000_000
                for _ in range(BOMB_BYTES // len(chunk)):
                    part.write(chunk)
                part.write(b"</w:body>" + tail)
    if lie:
        _claim_size(path, "word/document.xml", 1000)
    return path


def _claim_size(path: Path, name: str, size: int) -> None:
    """Rewrite the central directory's uncompressed size of ``name``."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the directory")


@pytest.mark.parametrize("lie", [False, True], ids=["honest sizes", "lying sizes"])
def test_a_docx_zip_bomb_gets_a_clear_error_within_the_memory_cap(
    tmp_path: Path, db: str, lie: bool
) -> None:
    bomb = zip_bomb(tmp_path / "bomb.docx", lie=lie)
    assert bomb.stat().st_size < 5_000_000
    done, seconds = run_capped("import-docx", str(bomb), "--lang", "en", "--db", db)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    error = done.stderr.strip()
    assert error.startswith("error:") and "docx" in error, error
    if lie:
        assert "not a Word (.docx) document" in error, error
    else:
        assert "word/document.xml" in error and "uncompressed" in error, error
    assert seconds < 30
    assert len(error.splitlines()) == 1


def test_a_word_draft_still_imports_under_the_memory_cap(tmp_path: Path, db: str) -> None:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(word_draft())
    done, _ = run_capped("import-docx", str(draft), "--lang", "en", "--db", db)
    assert done.returncode == 0, done.stderr


def _fifo(tmp_path: Path) -> str:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    return str(fifo)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda _: "/dev/zero", "is not a regular file"),
        (_fifo, "is not a regular file"),
        (lambda tmp: str(_big(tmp)), "is 3,000.0 MB; the limit is 20.0 MB"),
    ],
    ids=["device", "fifo", "too big"],
)
def test_import_docx_checks_the_file_before_reading_it(
    tmp_path: Path, db: str, make: Callable[[Path], str], message: str
) -> None:
    done, seconds = run_capped("import-docx", make(tmp_path), "--lang", "en", "--db", db)
    assert done.returncode == 1 and message in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and seconds < 30


def _big(tmp_path: Path) -> Path:
    big = tmp_path / "big.docx"
    with big.open("wb") as out:
        out.truncate(3_000_000_000)  # sparse: 3 GB (beyond the memory cap) that cost no disk
    return big


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("/dev/zero", "give a path relative to the meeting file's folder"),
        ("zero.md", "'zero.md' is outside the meeting file's folder"),  # a symlink to /dev/zero
        ("pipe.md", "'pipe.md' is not a regular file"),
        ("../private.md", "'../private.md' is outside the meeting file's folder"),
    ],
)
def test_load_refuses_declaration_files_outside_the_folder_or_not_regular(
    tmp_path: Path, name: str, expected: str
) -> None:
    folder = tmp_path / "meeting"
    folder.mkdir()
    (tmp_path / "private.md").write_text("# Private\n\n1. Not for you.\n", encoding="utf-8")
    (folder / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.md")
    (folder / "zh.md").write_text("# 标题\n\n1. 一。\n", encoding="utf-8")
    head = meeting_toml().split("[declaration]")[0]
    meeting = folder / "meeting.toml"
    meeting.write_text(
        head + f'[declaration]\nfiles = {{ en = "{name}", zh = "zh.md" }}\n', encoding="utf-8"
    )
    done, seconds = run_capped("load", str(meeting), "--db", f"sqlite:///{tmp_path / 'm.db'}")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert f"declaration.files.en: {expected}" in done.stderr or expected in done.stderr, (
        done.stderr
    )
    assert "declaration.files.en" in done.stderr and "Not for you" not in done.stderr
    assert seconds < 30


def test_load_refuses_a_meeting_file_that_is_a_device(tmp_path: Path) -> None:
    done, seconds = run_capped("load", "/dev/zero", "--db", f"sqlite:///{tmp_path / 'm.db'}")
    assert done.returncode == 1 and "not a regular file" in done.stderr, done.stderr[-2000:]
    assert seconds < 30
