"""Bearer tokens for the JSON API: ``meeting.delegate.credential.expiry.signature``, HMAC-SHA256
signed.

A token carries no secret of its own: whoever holds it acts as that delegate until it expires,
or until the delegate's access code is re-issued (the library then no longer accepts the
``credential`` it carries: :meth:`consensus_kit.MeetingService.resume`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from consensus_kit import NotAuthenticated

__all__ = ["issue_token", "read_token"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest())


def issue_token(key: bytes, meeting: str, delegate: str, expires: int, credential: str = "") -> str:
    """A token for ``delegate`` of ``meeting`` valid until ``expires`` (Unix time), made with
    the login ``credential``."""
    body = ".".join((_b64(meeting.encode()), _b64(delegate.encode()), credential, str(expires)))
    return f"{body}.{_sign(key, body)}"


def read_token(key: bytes, token: str, now: float | None = None) -> tuple[str, str, str, int]:
    """``(meeting, delegate, credential, expires)`` of a valid token; :class:`NotAuthenticated`
    otherwise."""
    parts = token.split(".")
    if len(parts) != 5 or len(token) > 1000:
        raise NotAuthenticated("malformed token")
    body, signature = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(_sign(key, body), signature):
        raise NotAuthenticated("invalid token")
    try:
        meeting, delegate = _unb64(parts[0]).decode(), _unb64(parts[1]).decode()
        expires = int(parts[3])
    except (ValueError, UnicodeDecodeError):
        raise NotAuthenticated("malformed token") from None
    if expires < (time.time() if now is None else now):
        raise NotAuthenticated("the token has expired: ask for a new one")
    return meeting, delegate, parts[2], expires
