"""Logging in: how often a code may be tried, and the credential a login carries.

Threat model. An access code is 12 characters from a 31-letter alphabet: about 59 bits, so a
meeting of 2,000 delegates holds 2,000 valid codes among 2^59 ≈ 5.8 × 10^17. A guesser who
got 2,000 answers a second for a whole week (1.2 × 10^9 guesses, more than one server gives)
would find a valid code with a probability of about 4 × 10^-6. Guessing is defeated by the
size of the code, not by the limits; the limits keep one code from being hammered and make a
guessing machine stand out, and they must never lock out a room of honest people who share one
public address (a conference router, every phone and the projector behind it).

Two limits hold within a sliding window (ten minutes by default):

- per code, every attempt (``per_code``, 10): a code — valid or not — cannot be tried or
  exchanged for tokens in a loop. A delegate has one code at a time, so for a valid code this is
  also the limit per delegate; a wrong code names no delegate.
- per client address, failed attempts (``per_address``, 1,000): beyond it the address gets
  429 for a *wrong* code, and a *valid* code still logs in. 1,000 leaves room for a few hundred
  people behind one router each mistyping their code two or three times.

A login carries a *credential*: a short digest of the stored code hash, and the login's own
random id (``<digest>-<login id>``). When the secretariat re-issues a delegate's code the hash
changes, so every session and token made with the old code stops working at once; logging out
records the login's id as ended, so that one session or token (and any copy of it) stops.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence

import msgspec

__all__ = [
    "LOGIN_LIMITS",
    "LoginLimits",
    "credential_of",
    "login_credential",
    "retry_after",
    "split_credential",
]


class LoginLimits(msgspec.Struct, frozen=True, kw_only=True):
    """How many login attempts are allowed within ``window``."""

    per_address: int = 1000
    per_code: int = 10
    window: dt.timedelta = dt.timedelta(minutes=10)


LOGIN_LIMITS = LoginLimits()
"""The default limits: 1,000 failed attempts per address (a valid code always passes), 10
attempts per code, per 10 minutes."""


def retry_after(
    attempts: Sequence[dt.datetime], limit: int, window: dt.timedelta, now: dt.datetime
) -> int | None:
    """Seconds to wait before another attempt, or ``None`` when one is allowed now.

    ``attempts`` are the times of the attempts that count (any order).

    >>> t = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> retry_after([t], 1, dt.timedelta(seconds=60), t + dt.timedelta(seconds=20))
    40
    >>> retry_after([t], 2, dt.timedelta(seconds=60), t) is None
    True
    """
    recent = sorted(a for a in attempts if a > now - window)
    if len(recent) < limit:
        return None
    # the attempt that must leave the window before one more fits
    frees_at = recent[len(recent) - limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def credential_of(code_hash: str | None) -> str:
    """The credential a login with the code of ``code_hash`` carries (empty without a code).

    >>> len(credential_of("ab" * 32))
    16
    """
    if not code_hash:
        return ""
    return hashlib.sha256(f"consensus-kit/credential/1:{code_hash}".encode()).hexdigest()[:16]


def login_credential(code_hash: str | None, login: str) -> str:
    """The credential of login ``login`` made with the code of ``code_hash``.

    >>> login_credential("ab" * 32, "0123456789abcdef")[16:]
    '-0123456789abcdef'
    """
    return f"{credential_of(code_hash)}-{login}" if code_hash else ""


def split_credential(credential: str) -> tuple[str, str]:
    """(the code's digest, the login id) of a credential; the login id is empty in a credential
    made before logins had ids.

    >>> split_credential("0123456789abcdef-fedcba9876543210")
    ('0123456789abcdef', 'fedcba9876543210')
    """
    code, _, login = credential.partition("-")
    return code, login
