"""What every group of operations shares: the store, the clock, membership and the event log."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from consensus_kit.domain.events import Event, EventBody, seal_event
from consensus_kit.domain.ids import MeetingId, OrgId
from consensus_kit.domain.logins import LOGIN_LIMITS, LoginLimits
from consensus_kit.domain.model import Delegate, Meeting, Role
from consensus_kit.domain.permissions import Action, Console, Principal, authorize
from consensus_kit.errors import NotAuthenticated, NotFound, NotPermitted
from consensus_kit.service.ports import Repository, Store

__all__ = ["ServiceBase", "utc_now"]


def utc_now() -> dt.datetime:
    """The current time in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


class ServiceBase:
    """The store, an injectable clock and source of randomness, and shared checks."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        choice: Callable[[str], str] = secrets.choice,
        login_limits: LoginLimits = LOGIN_LIMITS,
    ) -> None:
        self.store = store
        self._clock = clock
        self._choice = choice
        self._login_limits = login_limits
        # a meeting's details, organisations and delegates never change once it is loaded
        # (verify re-reads them from the database to detect tampering)
        self._meetings: dict[MeetingId, Meeting] = {}
        # when each resumed login was last found valid, and its credential (see ``resume``)
        self._resumed: dict[tuple[str, str], tuple[float, str]] = {}

    def _meeting(self, repo: Repository, meeting_id: MeetingId) -> Meeting:
        cached = self._meetings.get(meeting_id)
        if cached is not None:
            return cached
        meeting = repo.get_meeting(meeting_id)
        if meeting is None:
            raise NotFound(f"no meeting {meeting_id!r} in this database")
        self._meetings[meeting_id] = meeting
        return meeting

    def _member(self, meeting: Meeting, actor: Principal, action: Action) -> None:
        """Check that ``actor`` belongs to ``meeting`` and may perform ``action`` there."""
        if isinstance(actor, Delegate) and meeting.delegate(actor.id) != actor:
            raise NotAuthenticated(f"{actor.id!r} is not a delegate of meeting {meeting.id!r}")
        authorize(actor, action)

    def _acts_for(
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

    def _append(
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
