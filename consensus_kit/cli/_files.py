"""Writing exported files safely: where they go, all or nothing, one clear line on failure.

Each file is first written to a hidden temporary file next to its target, flushed to disk,
then renamed over the target (a rename within one folder is atomic). Only when every file of
an export has been written are they renamed, so a full disk, a missing folder or a file in the
way leaves no partial file and no half of an export behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from consensus_kit import InvalidInput

__all__ = ["OutputError", "describe", "plan_targets", "write_atomically"]


class OutputError(InvalidInput):
    """A file could not be written; the message names the path and the cause."""


def describe(path: Path | str, exc: OSError) -> str:
    """One line naming ``path`` and what the system said, with a hint where one helps."""
    cause = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT:
        cause = f"the folder {Path(path).parent} does not exist"
    elif exc.errno == errno.ENOSPC:
        cause = "no space left on the device"
    elif exc.errno == errno.EFBIG:
        cause = "file too large for this file system or its limits"
    elif exc.errno == errno.ENOTDIR:
        cause = f"{_first_file_on_the_way(Path(path))} is a file, not a folder"
    elif exc.errno == errno.EISDIR:
        cause = "it is a folder"
    return f"cannot write {path}: {cause}"


def _first_file_on_the_way(path: Path) -> Path:
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return path.parent


def plan_targets(out: Path, filenames: Sequence[str]) -> list[Path]:
    """Where each of ``filenames`` goes for ``--out out``.

    One file goes to ``out`` itself (or into it, when it is a folder); several files need a
    folder: an existing one, or a new one whose name has no file extension.
    """
    if len(filenames) == 1:
        return [out / filenames[0] if out.is_dir() else out]
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"this export gives {len(filenames)} files, so --out must be a folder; {out} is a file",
            field="--out",
        )
    if not out.exists() and out.suffix:
        raise OutputError(
            f"this export gives {len(filenames)} files ({', '.join(filenames)}), so --out must "
            f"be a folder, not a file name like {out.name}",
            field="--out",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe(out, exc)) from None
    return [out / name for name in filenames]


def _write_temporary(target: Path, data: bytes) -> Path:
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(describe(target, exc)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(describe(target, exc)) from None
    return temporary


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every ``(path, data)``, or none of them: raises :class:`OutputError` naming the
    path and the cause, after removing whatever it had written."""
    for target, _ in files:
        if target.is_dir():
            raise OutputError(f"cannot write {target}: it is a folder")
    written: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            written.append((_write_temporary(target, data), target))
        for temporary, target in written:
            try:
                os.replace(temporary, target)
            except OSError as exc:
                raise OutputError(describe(target, exc)) from None
    finally:
        for temporary, _ in written:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
