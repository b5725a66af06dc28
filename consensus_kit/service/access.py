"""Logging in with an access code, rate-limited, and resuming a login from its credential.

The web UI's login form and the API's token endpoint both call :meth:`Access.log_in`,
so the same limits hold for both, across every worker (attempts are stored in the database).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from functools import cached_property

import msgspec

from consensus_kit.domain.codes import code_hash
from consensus_kit.domain.ids import DelegateId, MeetingId
from consensus_kit.domain.logins import (
    credential_of,
    login_credential,
    retry_after,
    split_credential,
)
from consensus_kit.domain.model import Delegate, Meeting
from consensus_kit.errors import NotAuthenticated, NotFound, TooManyAttempts
from consensus_kit.service.context import Context
from consensus_kit.service.group_commit import GroupCommit

__all__ = ["RESUME_CHECK_SECONDS", "Access", "Login"]

RESUME_CHECK_SECONDS = 1.0
"""How long a login found valid is trusted without reading its code again. A code re-issued by
this process ends its logins at once; one re-issued elsewhere (the CLI, another worker) within
this time. Reading the code on every request was a quarter of the server's time per ballot."""


_LoginRead = tuple[Meeting, str | None, bool]
"""A login as read: its meeting, the delegate's current code hash (``None``: no code), and
whether the login ended (logged out)."""


class Login(msgspec.Struct, frozen=True, kw_only=True):
    """Who logged in, and the credential their session or token must carry."""

    meeting: Meeting
    delegate: Delegate
    credential: str


class Access:
    """Access codes in use: logging in and checking a login is still valid (uses the context
    only)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        # when each resumed login was last found valid: (meeting, delegate) -> credential -> time
        self._resumed: dict[tuple[str, str], dict[str, float]] = {}

    def forget_logins(self) -> None:
        """Check every login against the database again (codes were re-issued here)."""
        self._resumed.clear()

    def log_in(self, code: str, *, client: str | None = None) -> Login:
        """The meeting and delegate an access code belongs to, and the login's credential.

        :class:`NotAuthenticated` for an unknown code; :class:`TooManyAttempts` once ``code``
        was tried too often within the window (valid or not), or for a wrong code once
        ``client`` (an address) has failed too often. A valid code is never refused for its
        address: a room behind one router is not locked out by one guesser among them.
        """
        limits = self._ctx.login_limits
        now = self._ctx.clock()
        since = now - limits.window
        text = code if isinstance(code, str) else ""
        keys = [f"code:{code_hash(text[:200])}"]
        if client:
            keys.append(f"address:{client[:80]}")
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.forget_login_attempts(since)
            self._within_limit(
                repo.login_attempts(keys[0], since, failed_only=False),
                limits.per_code,
                now,
                "this access code was tried too often",
                "code",
            )
            found = repo.find_code_hash(code_hash(text)) if 8 <= len(text) <= 40 else None
            failures = (
                repo.login_attempts(keys[1], since, failed_only=True)
                if client and found is None
                else []
            )
            repo.add_login_attempt(keys, now, failed=found is None)
            if found is None:
                uow.commit()  # the attempt counts whatever the answer
                self._within_limit(
                    failures,
                    limits.per_address,
                    now,
                    "too many failed logins from this address (a valid code still works)",
                    "address",
                )
                raise NotAuthenticated("unknown access code")
            meeting = self._ctx.meeting(repo, found[0])
            stored = repo.code_hashes_of(found[0], [found[1]]).get(found[1])
            uow.commit()
        delegate = meeting.delegate(found[1])
        assert delegate is not None
        login = secrets.token_hex(8)  # this login's own id: logging out ends it alone
        return Login(meeting=meeting, delegate=delegate, credential=login_credential(stored, login))

    def _within_limit(
        self, attempts: list[dt.datetime], limit: int, now: dt.datetime, message: str, field: str
    ) -> None:
        """:class:`TooManyAttempts` when ``attempts`` reached ``limit`` within the window."""
        wait = retry_after(attempts, limit, self._ctx.login_limits.window, now)
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

        :class:`NotAuthenticated` when the delegate is gone, their code was re-issued, or this
        login was ended (:meth:`log_out`).
        """
        found = self._trusted(meeting_id, delegate_id, credential)
        if found is None:
            [read] = self._read_logins([(meeting_id, delegate_id, _login_of(credential))])
            found = self._check(read, meeting_id, delegate_id, credential)
        return found

    def log_out(self, meeting_id: str, delegate_id: str, credential: str) -> None:
        """End the login that ``credential`` belongs to: its session or token, and any copy of
        it, is refused from now on (other workers: within a second). Other logins of the same
        delegate go on. :class:`NotAuthenticated` if the login is not valid now."""
        meeting, delegate = self.resume(meeting_id, delegate_id, credential)
        with self._ctx.store.transaction() as uow:
            uow.repo.end_login(meeting.id, delegate.id, _login_of(credential), self._ctx.clock())
            uow.commit()
        self._resumed.get((meeting_id, delegate_id), {}).pop(credential, None)

    async def resume_async(
        self, meeting_id: str, delegate_id: str, credential: str
    ) -> tuple[Meeting, Delegate]:
        """:meth:`resume` for a coroutine: a login checked within the last second costs nothing,
        and logins checked at the same moment (2,000 delegates voting) share one read."""
        found = self._trusted(meeting_id, delegate_id, credential)
        if found is None:
            read = await self._login_reads.submit_async(
                (meeting_id, delegate_id, _login_of(credential))
            )
            found = self._check(read, meeting_id, delegate_id, credential)
        return found

    def recheck_logins(self, logins: list[tuple[str, str, str]]) -> list[bool]:
        """Check each login (meeting, delegate, credential) against the database now, all in
        one read (three statements, whatever the number of meetings), as :meth:`resume` would:
        whether it is still valid. Those valid are trusted for the next second, so a server
        holding many logins open (live feeds) keeps them checked with one read instead of one
        check each."""
        unique = list(dict.fromkeys(logins))
        reads = self._read_logins([(m, d, _login_of(c)) for m, d, c in unique])
        valid: dict[tuple[str, str, str], bool] = {}
        for login, read in zip(unique, reads, strict=True):
            try:
                self._check(read, *login)
                valid[login] = True
            except NotAuthenticated:
                valid[login] = False
        return [valid[login] for login in logins]

    @cached_property
    def _login_reads(self) -> GroupCommit[tuple[str, str, str], _LoginRead | NotAuthenticated]:
        return GroupCommit(self._read_logins)

    def _trusted(
        self, meeting_id: str, delegate_id: str, credential: str
    ) -> tuple[Meeting, Delegate] | None:
        """The login if it was found valid with this credential within the last second."""
        checked = self._resumed.get((meeting_id, delegate_id), {}).get(credential)
        meeting = self._ctx.known_meeting(MeetingId(meeting_id))
        if (
            meeting is None or checked is None or time.monotonic() - checked >= RESUME_CHECK_SECONDS
        ):  # anything else is read again: a new code may have just been issued elsewhere
            return None
        delegate = meeting.delegate(DelegateId(delegate_id))
        return (meeting, delegate) if delegate is not None and not delegate.withdrawn_at else None

    def _check(
        self,
        read: _LoginRead | NotAuthenticated,
        meeting_id: str,
        delegate_id: str,
        credential: str,
    ) -> tuple[Meeting, Delegate]:
        """The login read from the database, if ``credential`` is still its current one."""
        if isinstance(read, NotAuthenticated):
            raise read
        meeting, stored, ended = read
        delegate = meeting.delegate(DelegateId(delegate_id))
        if delegate is None:
            raise NotAuthenticated("this login no longer names a delegate: log in again")
        if delegate.withdrawn_at is not None:
            raise NotAuthenticated(f"{delegate.name} ({delegate.id}) withdrew from this meeting")
        code, login = split_credential(credential)
        current = credential_of(stored)
        if not stored or not code or code != current:
            trusted = self._resumed.get((meeting_id, delegate_id), {})
            for old in [c for c in trusted if split_credential(c)[0] != current]:
                del trusted[old]  # other logins made with a code that is no longer current
            raise NotAuthenticated(
                "this login ended: the access code was re-issued; log in with the new code"
            )
        if not login or ended:
            raise NotAuthenticated("this login ended (logged out): log in again")
        self._resumed.setdefault((meeting_id, delegate_id), {})[credential] = time.monotonic()
        return meeting, delegate

    def _read_logins(
        self, logins: list[tuple[str, str, str]]
    ) -> list[_LoginRead | NotAuthenticated]:
        """Each login's meeting, current code hash and whether it ended, read now in three
        statements whatever the number of meetings (a hundred meetings voting at once share
        one check), plus two for a meeting changed since this process last read it."""
        ids = sorted({MeetingId(m) for m, _, _ in logins})
        with self._ctx.store.reading() as uow:
            uow.repo.meeting_revisions(ids)  # then each meeting's revision is known
            meetings: dict[str, Meeting | NotAuthenticated] = {}
            for meeting_id in ids:
                try:
                    meetings[meeting_id] = self._ctx.meeting(uow.repo, meeting_id)
                except NotFound:
                    meetings[meeting_id] = NotAuthenticated(
                        "this login no longer names a meeting: log in again"
                    )
            live = [(MeetingId(m), d, i) for m, d, i in logins if isinstance(meetings[m], Meeting)]
            hashes = uow.repo.code_hashes_in(sorted({(m, DelegateId(d)) for m, d, _ in live}))
            ended = uow.repo.ended_logins_in(sorted({(m, i) for m, _, i in live if i}))
        found: list[_LoginRead | NotAuthenticated] = []
        for meeting, delegate_id, login in logins:
            known = meetings[meeting]
            if isinstance(known, NotAuthenticated):
                found.append(known)
            else:
                code = hashes.get((known.id, DelegateId(delegate_id)))
                found.append((known, code, (known.id, login) in ended))
        return found


def _login_of(credential: str) -> str:
    """The login id a credential carries ("" if none)."""
    return split_credential(credential if isinstance(credential, str) else "")[1][:32]
