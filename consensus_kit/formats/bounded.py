"""Reading untrusted files and archives within limits, before anything is loaded whole.

- :func:`read_file` reads a regular file of at most ``limit`` bytes: a FIFO, a device
  (``/dev/zero``) or a bigger file is refused by name, and never more than ``limit + 1`` bytes
  are read even if the file grows meanwhile.
- :func:`check_zip` looks at a ZIP archive's directory (a DOCX is one) and refuses too many
  entries or too many bytes once uncompressed, before any entry is decompressed; then it
  decompresses each entry in small steps, which stops an entry that lies about its size.
  (Python's :mod:`zipfile` returns no more than an entry declares, but reading a whole entry
  at once decompresses all of it first: 1 MB that expands to 1.2 GB was a MemoryError.)
- :func:`toml_shape_problem` finds nesting and dotted keys too deep for :mod:`tomllib`.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from pathlib import Path

from consensus_kit.errors import InvalidInput

__all__ = ["check_zip", "read_file", "toml_shape_problem"]


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def read_file(path: str | Path, limit: int, *, field: str) -> bytes:
    """The bytes of the regular file at ``path``, refused (naming ``field``) above ``limit``.

    >>> read_file("draft.en.docx", 20_000_000, field="FILE")  # doctest: +SKIP
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
    except OSError as exc:
        raise InvalidInput(f"cannot read {path} ({exc.strerror})", field=field) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(f"{path} is not a regular file", field=field)
        raise InvalidInput(f"{path} is {_mb(info.st_size)}; the limit is {_mb(limit)}", field=field)
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise InvalidInput(f"cannot read {path} ({exc.strerror})", field=field) from None
    if len(data) > limit:
        raise InvalidInput(f"{path} is larger than {_mb(limit)}", field=field)
    return data


STEP = 1 << 16
# what zipfile raises on a damaged archive: a bad directory, a corrupt deflate stream, a bad CRC
# (ValueError), a truncated member (EOFError), a compression method it lacks
# (NotImplementedError), a failed seek; each becomes "not a valid archive" for the user
_BROKEN = (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, OSError)


def check_zip(
    data: bytes, *, entries: int, total: int, member: int, field: str, kind: str = "ZIP archive"
) -> None:
    """Refuse a ZIP archive with more than ``entries`` entries, more than ``total`` bytes
    uncompressed in all, or one entry above ``member`` bytes (a zip bomb); or a ``kind`` of
    file that is no archive, or a damaged one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_sizes(infos, entries=entries, total=total, member=member, field=field)
            for info in infos:  # streamed: never more than STEP bytes decompressed at once
                with archive.open(info) as entry:
                    while entry.read(STEP):
                        pass
    except _BROKEN as exc:
        raise InvalidInput(f"not a {kind} ({exc})", field=field) from exc


def _check_sizes(
    infos: list[zipfile.ZipInfo], *, entries: int, total: int, member: int, field: str
) -> None:
    if len(infos) > entries:
        raise InvalidInput(
            f"the archive has {len(infos):,} entries; the limit is {entries:,}", field=field
        )
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    if biggest is not None and biggest.file_size > member:
        raise InvalidInput(
            f"{biggest.filename} would be {_mb(biggest.file_size)} uncompressed; the limit is "
            f"{_mb(member)} (a compressed file this large is a zip bomb, or not a document)",
            field=field,
        )
    expanded = sum(i.file_size for i in infos)
    if expanded > total:
        raise InvalidInput(
            f"the archive would be {_mb(expanded)} uncompressed; the limit is {_mb(total)}",
            field=field,
        )


def toml_shape_problem(text: str, *, depth: int, dots: int) -> str | None:
    """What makes ``text`` too deep for :mod:`tomllib` to parse quickly, or ``None``.

    One linear pass outside strings and comments: arrays and inline tables nested more than
    ``depth`` levels (tomllib recurses: ~400 levels is a RecursionError), or a key with more
    than ``dots`` dots (tomllib's cost grows with the square of a dotted key's length: 40,000
    parts took a minute). Anything this lets through is left to tomllib to judge.
    """
    level = line = run = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            end = _string_end(text, i + len(quote), quote)
            line += text.count("\n", i, end)
            i = end
            continue
        if char == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if char in "[{":
            level += 1
            if level > depth:
                return f"line {line + 1}: nested more than {depth} levels deep"
        elif char in "]}":
            level = max(level - 1, 0)
        elif char == ".":
            run += 1
            if run > dots:
                return f"line {line + 1}: a key of more than {dots + 1} dotted parts"
        elif char in "=,\n":
            run = 0
            line += char == "\n"
        i += 1
    return None


def _string_end(text: str, i: int, quote: str) -> int:
    """The index just after the string whose content starts at ``i`` (or the end of text)."""
    escapes = quote[0] == '"'
    n = len(text)
    while i < n:
        if escapes and text[i] == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            i += len(quote)
            while len(quote) == 3 and i < n and text[i] == quote[0]:  # """a"""" ends later
                i += 1
            return i
        if len(quote) == 1 and text[i] == "\n":
            return i  # an unterminated string: tomllib reports it
        i += 1
    return n
