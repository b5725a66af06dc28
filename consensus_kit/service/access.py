"""Logging in with an access code, rate-limited, and resuming a login from its credential.

The web UI's login form and the API's token endpoint both call :meth:`AccessOperations.log_in`,
so the same limits hold for both, across every worker (attempts are stored in the database).
"""

from __future__ import annotations

import datetime as dt
import time

import msgspec

from consensus_kit.domain.codes import code_hash
from consensus_kit.domain.ids import DelegateId, MeetingId
from consensus_kit.domain.logins import credential_of, retry_after
from consensus_kit.domain.model import Delegate, Meeting
from consensus_kit.errors import NotAuthenticated, NotFound, TooManyAttempts
from consensus_kit.service.base import ServiceBase

__all__ = ["RESUME_CHECK_SECONDS", "AccessOperations", "Login"]

RESUME_CHECK_SECONDS = 1.0
"""How long a login found valid is trusted without reading its code again. A code re-issued by
this process ends its logins at once; one re-issued elsewhere (the CLI, another worker) within
this time. Reading the code on every request was a quarter of the server's time per ballot."""


class Login(msgspec.Struct, frozen=True, kw_only=True):
    """Who logged in, and the credential their session or token must carry."""

    meeting: Meeting
    delegate: Delegate
    credential: str


class AccessOperations(ServiceBase):
    """Access codes in use: logging in and checking a login is still valid."""

    def log_in(self, code: str, *, client: str | None = None) -> Login:
        """The meeting and delegate an access code belongs to, and the login's credential.

        :class:`NotAuthenticated` for an unknown code; :class:`TooManyAttempts` once ``client``
        (an address) has failed too often, or ``code`` was tried too often, within the window.
        """
        limits = self._login_limits
        now = self._clock()
        since = now - limits.window
        text = code if isinstance(code, str) else ""
        keys = [f"code:{code_hash(text[:200])}"]
        if client:
            keys.append(f"address:{client[:80]}")
        with self.store.transaction() as uow:
            repo = uow.repo
            repo.forget_login_attempts(since)
            if client:
                self._within_limit(
                    repo.login_attempts(keys[1], since, failed_only=True),
                    limits.per_address,
                    now,
                    "too many failed logins from this address",
                    "address",
                )
            self._within_limit(
                repo.login_attempts(keys[0], since, failed_only=False),
                limits.per_code,
                now,
                "this access code was tried too often",
                "code",
            )
            found = repo.find_code_hash(code_hash(text)) if 8 <= len(text) <= 40 else None
            repo.add_login_attempt(keys, now, failed=found is None)
            if found is None:
                uow.commit()
                raise NotAuthenticated("unknown access code")
            meeting = self._meeting(repo, found[0])
            stored = repo.code_hash_of(found[0], found[1])
            uow.commit()
        delegate = meeting.delegate(found[1])
        assert delegate is not None
        return Login(meeting=meeting, delegate=delegate, credential=credential_of(stored))

    def _within_limit(
        self, attempts: list[dt.datetime], limit: int, now: dt.datetime, message: str, field: str
    ) -> None:
        """:class:`TooManyAttempts` when ``attempts`` reached ``limit`` within the window."""
        wait = retry_after(attempts, limit, self._login_limits.window, now)
        if wait is not None:
            message = f"{message}: try again in {wait} s"
            raise TooManyAttempts(message, retry_after=wait, field=field)

    def authenticate(self, code: str, *, client: str | None = None) -> tuple[Meeting, Delegate]:
        """The meeting and delegate an access code belongs to (see :meth:`log_in`)."""
        login = self.log_in(code, client=client)
        return login.meeting, login.delegate

    def resume(
        self, meeting_id: str, delegate_id: str, credential: str
    ) -> tuple[Meeting, Delegate]:
        """The delegate of a session or token, while the code it was made with is current.

        :class:`NotAuthenticated` when the delegate is gone or their code was re-issued.
        """
        key = (meeting_id, delegate_id)
        checked = self._resumed.get(key)
        meeting = self._meetings.get(MeetingId(meeting_id))
        trusted = (
            meeting is not None
            and checked is not None
            and time.monotonic() - checked[0] < RESUME_CHECK_SECONDS
            and bool(credential)
            and credential == checked[1]
        )  # anything else is read again: a new code may have just been issued elsewhere
        if not trusted:
            meeting, stored = self._read_login(meeting_id, delegate_id)
            if meeting.delegate(DelegateId(delegate_id)) is None:
                raise NotAuthenticated("this login no longer names a delegate: log in again")
            current = credential_of(stored)
            if not credential or credential != current:
                raise NotAuthenticated(
                    "this login ended: the access code was re-issued; log in with the new code"
                )
            self._resumed[key] = (time.monotonic(), current)
        assert meeting is not None
        delegate = meeting.delegate(DelegateId(delegate_id))
        assert delegate is not None
        return meeting, delegate

    def _read_login(self, meeting_id: str, delegate_id: str) -> tuple[Meeting, str | None]:
        """The meeting and the delegate's current code hash, read now."""
        with self.store.reading() as uow:
            try:
                meeting = self._meeting(uow.repo, MeetingId(meeting_id))
            except NotFound:
                raise NotAuthenticated(
                    "this login no longer names a meeting: log in again"
                ) from None
            return meeting, uow.repo.code_hash_of(meeting.id, DelegateId(delegate_id))
