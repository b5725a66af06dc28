"""Settings of the web UI: from arguments or environment variables, never at import time.

``CK_DB`` (database URL or SQLite path, default ``consensus.db``), ``CK_SECRET`` (signs cookies
and tokens; when unset next to an SQLite file, a random one is created and kept in
``<db>.secret`` so sessions survive restarts), ``CK_REDIS`` (a Redis URL: live notices go
through Redis so several workers share them), ``CK_ROOT_PATH`` (the path prefix the room is
mounted under, e.g. ``/meeting``; empty when it is served at the root).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from consensus_kit import LOGIN_LIMITS, InvalidInput, LoginLimits

__all__ = ["DEFAULT_DB", "Settings", "sqlite_path"]

DEFAULT_DB = "consensus.db"


def sqlite_path(db: str) -> Path | None:
    """The file behind an SQLite URL or path, or ``None`` for another database."""
    if db.startswith("sqlite:///"):
        rest = db.removeprefix("sqlite:///").split("?", 1)[0]
        return None if rest in ("", ":memory:") else Path(rest)
    if "://" in db:
        return None
    return Path(db)


def _persisted_secret(db: str) -> str:
    path = sqlite_path(db)
    if path is None:
        print(
            "warning: CK_SECRET is not set: sessions and tokens end when the server stops",
            file=sys.stderr,
        )
        return secrets.token_urlsafe(32)
    secret_file = path.with_name(path.name + ".secret")
    if secret_file.exists():
        return secret_file.read_text(encoding="utf-8").strip()
    secret = secrets.token_urlsafe(32)
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret + "\n")
    return secret


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything :func:`webui.create_app` needs."""

    db: str = DEFAULT_DB
    secret: str = ""
    redis: str | None = None
    session_max_age: int = 12 * 3600
    token_max_age: int = 12 * 3600
    poll_interval: float = 1.0
    heartbeat: float = 15.0
    secure_cookies: bool = False
    debug: bool = False
    gc_thresholds: tuple[int, int, int] | None = None
    login_limits: LoginLimits = LOGIN_LIMITS
    root_path: str = ""
    """The path the room is mounted under (``"/meeting"``), or ``""`` at the root: links, static
    files, redirects and cookie paths carry it. The host strips it from the request's path
    before the room routes it, as Litestar's ``@asgi(path, is_mount=True)`` does."""

    def __post_init__(self) -> None:
        _check_root_path(self.root_path)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``CK_DB``, ``CK_SECRET``, ``CK_REDIS``, ``CK_SECURE_COOKIES``,
        ``CK_DEBUG``, ``CK_HEARTBEAT`` and ``CK_POLL`` (seconds), ``CK_GC_THRESHOLDS``,
        ``CK_LOGIN_PER_ADDRESS`` and ``CK_LOGIN_PER_CODE`` (login limits per 10 minutes),
        ``CK_ROOT_PATH`` (the mount prefix)."""
        env = os.environ if environ is None else environ
        db = env.get("CK_DB") or DEFAULT_DB
        return cls(
            db=db,
            secret=env.get("CK_SECRET") or _persisted_secret(db),
            redis=env.get("CK_REDIS") or None,
            secure_cookies=env.get("CK_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            debug=env.get("CK_DEBUG", "").lower() in ("1", "true", "yes"),
            heartbeat=float(env.get("CK_HEARTBEAT") or 15.0),
            poll_interval=float(env.get("CK_POLL") or 1.0),
            gc_thresholds=_thresholds(env.get("CK_GC_THRESHOLDS")),
            root_path=env.get("CK_ROOT_PATH", "").strip(),
            login_limits=LoginLimits(
                per_address=_count(env, "CK_LOGIN_PER_ADDRESS", LOGIN_LIMITS.per_address),
                per_code=_count(env, "CK_LOGIN_PER_CODE", LOGIN_LIMITS.per_code),
            ),
        )

    def key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose (session, csrf, token), derived from the secret."""
        if not self.secret:
            raise ValueError("Settings.secret is empty: set CK_SECRET")
        return hashlib.sha256(f"consensus-kit/{purpose}/{self.secret}".encode()).digest()


_ROOT_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*")


def _check_root_path(value: str) -> None:
    """``""`` or ``/a/b``: segments of URL-safe characters, no trailing slash."""
    if not _ROOT_PATH.fullmatch(value):
        raise InvalidInput(
            f"expected '' or a path such as /meeting (no trailing slash), got {value!r}",
            field="CK_ROOT_PATH",
        )


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A positive integer from ``env[name]``, or ``default`` when unset."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(f"expected a positive integer, got {value!r}", field=name)
    return int(value)


def _thresholds(value: str | None) -> tuple[int, int, int] | None:
    """``CK_GC_THRESHOLDS``: three positive integers for :func:`gc.set_threshold`, or unset."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise InvalidInput(
            f"expected three positive integers such as 5000,20,1000, got {value!r}",
            field="CK_GC_THRESHOLDS",
        )
    first, second, third = (int(p) for p in parts)
    return first, second, third
