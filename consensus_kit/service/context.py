"""What every room of operations shares, in one place: the store, the clock, reading a meeting,
checking membership, appending an event, and reading or recording a version.

Each room (:mod:`~consensus_kit.service.meetings`, :mod:`~consensus_kit.service.voting`, …)
takes a :class:`Context` and, in its constructor, the other rooms it uses; no room inherits
another. :class:`~consensus_kit.service.service.MeetingService` composes them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from consensus_kit.domain.events import Event, EventBody, VersionPublished, seal_event
from consensus_kit.domain.hashing import HASH_FORMAT, declaration_hash, tracking_hash
from consensus_kit.domain.ids import MeetingId, OrgId
from consensus_kit.domain.logins import LOGIN_LIMITS, LoginLimits
from consensus_kit.domain.model import Declaration, Delegate, Meeting, Role, Version
from consensus_kit.domain.permissions import Action, Console, Principal, authorize
from consensus_kit.errors import NotAuthenticated, NotFound, NotPermitted
from consensus_kit.service.ports import Repository, Store

__all__ = ["Context", "utc_now"]


def utc_now() -> dt.datetime:
    """The current time in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


class Context:
    """The store, an injectable clock and source of randomness, and the checks every room makes.

    >>> ctx = Context(store)  # doctest: +SKIP
    >>> with ctx.store.transaction() as uow:  # doctest: +SKIP
    ...     meeting = ctx.meeting(uow.repo, meeting_id)
    ...     ctx.member(meeting, actor, Action.READ)
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        choice: Callable[[str], str] = secrets.choice,
        login_limits: LoginLimits = LOGIN_LIMITS,
    ) -> None:
        self.store = store
        self.clock = clock
        self.choice = choice
        self.login_limits = login_limits
        # each meeting as last read, with the revision it had then: a transaction that reads the
        # meeting compares the stored revision (one small read, or none when it already read it
        # under the meeting's lock) and reads the meeting again only when it changed, so a change
        # made by any process takes effect in the next transaction of every other
        self._meetings: dict[MeetingId, tuple[int, Meeting]] = {}
        # delegate records this process held before a change replaced them: a login checked a
        # moment before the change may still carry one (see :meth:`member`)
        self._superseded: set[tuple[MeetingId, Delegate]] = set()

    # -- meetings and membership ---------------------------------------------------------------

    def meeting(self, repo: Repository, meeting_id: MeetingId) -> Meeting:
        """The meeting ``meeting_id`` as it is in this unit of work, or :class:`NotFound`.

        Kept in memory between reads; its revision in the database says when to read it again.
        """
        revision = repo.meeting_revision(meeting_id)
        if revision is None:
            raise NotFound(f"no meeting {meeting_id!r} in this database")
        cached = self._meetings.get(meeting_id)
        if cached is not None and cached[0] == revision:
            return cached[1]
        meeting = repo.get_meeting(meeting_id)
        if meeting is None:
            raise NotFound(f"no meeting {meeting_id!r} in this database")
        if cached is not None:
            for before in cached[1].delegates:
                if meeting.delegate(before.id) != before:
                    self._superseded.add((meeting_id, before))
        self._meetings[meeting_id] = (revision, meeting)
        return meeting

    def known_meeting(self, meeting_id: MeetingId) -> Meeting | None:
        """The meeting as this process last read it (no database read: it may be stale)."""
        cached = self._meetings.get(meeting_id)
        return cached[1] if cached is not None else None

    def read_meeting(self, meeting_id: MeetingId) -> Meeting:
        """:meth:`meeting` in a read of its own."""
        with self.store.reading() as uow:
            return self.meeting(uow.repo, meeting_id)

    def member(self, meeting: Meeting, actor: Principal, action: Action) -> None:
        """Check that ``actor`` belongs to ``meeting`` and may perform ``action`` there."""
        if isinstance(actor, Delegate):
            current = meeting.delegate(actor.id)
            if current is None:
                raise NotAuthenticated(f"{actor.id!r} is not a delegate of meeting {meeting.id!r}")
            if current.withdrawn_at is not None:
                raise NotAuthenticated(f"{actor.name} ({actor.id}) withdrew from this meeting")
            if current != actor and (
                (meeting.id, actor) not in self._superseded  # never a record of this meeting
                or actor.roles - current.roles  # a role was taken away since it was read
                or current.organisation != actor.organisation
            ):
                raise NotAuthenticated(
                    f"{actor.id!r} is not a delegate of meeting {meeting.id!r} as given "
                    "(the record changed since this login was checked: try again)"
                )
        authorize(actor, action)

    def acts_for(
        self,
        actor: Principal,
        organisation: OrgId,
        action: Action,
        *,
        secretariat_too: bool = False,
    ) -> None:
        """Refuse a delegate acting for an organisation that is not their own."""
        if isinstance(actor, Console):
            if secretariat_too:
                return
            raise NotPermitted(
                f"the console cannot {action.value.replace('_', ' ')} for an organisation",
                actor=actor.id,
                action=action.value,
            )
        if secretariat_too and actor.has(Role.SECRETARIAT):
            return
        if actor.organisation != organisation:
            raise NotPermitted(
                f"{actor.name} ({actor.id}) acts for {actor.organisation or 'no organisation'}, "
                f"not for {organisation}: cannot {action.value.replace('_', ' ')}",
                actor=actor.id,
                action=action.value,
            )

    # -- the event log -------------------------------------------------------------------------

    def append(
        self,
        repo: Repository,
        meeting_id: MeetingId,
        actor: Principal,
        at: dt.datetime,
        body: EventBody,
        *,
        previous: Event | None = None,
    ) -> Event:
        """Seal and store the next event (``previous``: the last event, when already read)."""
        event = seal_event(
            meeting=meeting_id,
            previous=previous if previous is not None else repo.last_event(meeting_id),
            actor=actor.id,
            at=at,
            body=body,
        )
        repo.add_event(event)
        return event

    # -- versions ------------------------------------------------------------------------------

    def latest(self, repo: Repository, meeting_id: MeetingId) -> Version:
        """The latest version of the meeting's declaration."""
        number = repo.latest_version_number(meeting_id)
        version = repo.get_version(meeting_id, number) if number else None
        if version is None:
            raise NotFound(f"meeting {meeting_id!r} has no version yet")
        return version

    def new_version(
        self,
        repo: Repository,
        meeting: Meeting,
        parent: int | None,
        declaration: Declaration,
        actor: Principal,
        now: dt.datetime,
        note: str,
    ) -> Version:
        """Store the version after ``parent`` — the latest, read by the caller in this unit of
        work (``None``: the first) — with its hash, and append its ``VersionPublished`` event.

        The content hash covers the words alone; the event also records the hash of the
        translation tracking, so ``verify`` covers both through the chain.
        """
        number = (parent or 0) + 1  # the caller holds the meeting's lock: no read again
        version = Version(
            meeting=meeting.id,
            number=number,
            declaration=declaration,
            content_hash=declaration_hash(declaration, HASH_FORMAT),
            parent=parent,
            created_by=actor.id,
            created_at=now,
            note=note,
            hash_format=HASH_FORMAT,
        )
        repo.add_version(version)
        self.append(
            repo,
            meeting.id,
            actor,
            now,
            VersionPublished(
                number=number,
                parent=parent,
                content_hash=version.content_hash,
                note=note,
                tracking_hash=tracking_hash(declaration),
            ),
        )
        return version
