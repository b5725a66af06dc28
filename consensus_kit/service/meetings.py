"""Operations on meetings: load, read, access codes, the item on the floor, the event log.

Every operation takes the acting principal (a delegate, or the console for the CLI), checks the
role inside the library, and runs in one unit of work that stores the new state and appends its
event together, or does neither.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from consensus_kit.domain.agenda import AgendaItem, AgendaKind
from consensus_kit.domain.codes import code_hash, new_code
from consensus_kit.domain.declaration import (
    check_declaration,
)
from consensus_kit.domain.events import (
    AccessCodesIssued,
    AgendaSet,
    Event,
    MeetingLoaded,
)
from consensus_kit.domain.hashing import meeting_hash
from consensus_kit.domain.ids import ArticleId, DelegateId, MeetingId
from consensus_kit.domain.model import Delegate, Meeting, Version
from consensus_kit.domain.permissions import Action, Principal, authorize
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import Conflict, InvalidInput, InvalidState, NotFound
from consensus_kit.formats.meeting_file import MeetingFile
from consensus_kit.service.access import Access
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["LoadedMeeting", "Meetings"]


class LoadedMeeting(msgspec.Struct, frozen=True, kw_only=True):
    """What loading a meeting file gives back: the meeting, version 1, and the access codes."""

    meeting: Meeting
    version: Version
    codes: dict[DelegateId, str]


class Meetings:
    """Meetings, access codes, the agenda and the event log; ends logins through ``access``.

    >>> service = MeetingService(store)  # doctest: +SKIP
    >>> loaded = service.load_meeting(read_meeting_file("meeting.toml"))  # doctest: +SKIP
    """

    def __init__(self, ctx: Context, access: Access) -> None:
        self._ctx = ctx
        self._access = access

    def _issue(self, meeting: Meeting, delegates: Iterable[Delegate]) -> dict[DelegateId, str]:
        return {d.id: new_code(self._ctx.choice) for d in delegates}

    # -- meetings -----------------------------------------------------------------------------

    def load_meeting(self, meeting_file: MeetingFile, *, actor: Principal) -> LoadedMeeting:
        """Create a meeting from a validated meeting file, with its first draft as version 1.

        Every delegate gets a fresh access code, returned once (and kept for one
        :meth:`take_pending_codes`); only hashes are stored.
        """
        authorize(actor, Action.ISSUE_CODES)
        meeting = meeting_file.meeting
        declaration = meeting_file.declaration
        check_declaration(declaration, meeting)
        now = self._ctx.clock()
        codes = self._issue(meeting, meeting.delegates)
        with self._ctx.store.transaction() as uow:
            if uow.repo.get_meeting(meeting.id) is not None:
                raise Conflict(f"a meeting {meeting.id!r} is already in this database")
            uow.repo.add_meeting(meeting, now)
            uow.repo.set_code_hashes(meeting.id, {d: code_hash(c) for d, c in codes.items()})
            uow.repo.put_pending_codes(meeting.id, codes)
            self._ctx.append(
                uow.repo,
                meeting.id,
                actor,
                now,
                MeetingLoaded(
                    meeting_hash=meeting_hash(meeting),
                    title={str(k): v for k, v in meeting.title.items()},
                    organisations=len(meeting.organisations),
                    delegates=len(meeting.delegates),
                    source=meeting_file.source[-200:],
                ),
            )
            self._ctx.append(
                uow.repo,
                meeting.id,
                actor,
                now,
                AccessCodesIssued(delegates=[d.id for d in meeting.delegates]),
            )
            version = self._ctx.new_version(
                uow.repo,
                meeting,
                None,
                declaration,
                actor,
                now,
                "first draft, from the meeting file",
            )
            uow.commit()
        return LoadedMeeting(meeting=meeting, version=version, codes=codes)

    def meeting_ids(self) -> list[MeetingId]:
        """The ids of every meeting in the store, oldest first."""
        with self._ctx.store.reading() as uow:
            return uow.repo.meeting_ids()

    def meeting(self, meeting_id: MeetingId) -> Meeting:
        """A meeting's public description (organisations, delegates; never codes)."""
        with self._ctx.store.reading() as uow:
            return self._ctx.meeting(uow.repo, meeting_id)

    def the_meeting(self, meeting_id: str | None = None) -> MeetingId:
        """Resolve ``meeting_id``, or the only meeting in the store when it is ``None``."""
        ids = self.meeting_ids()
        if meeting_id is not None:
            if meeting_id not in ids:
                raise NotFound(f"no meeting {meeting_id!r} in this database")
            return MeetingId(meeting_id)
        if not ids:
            raise NotFound("this database holds no meeting yet: load one with 'consensus-kit load'")
        if len(ids) > 1:
            raise InvalidInput(
                f"this database holds {len(ids)} meetings ({', '.join(ids)}): say which",
                field="meeting",
            )
        return ids[0]

    def delegate(self, meeting_id: MeetingId, delegate_id: str) -> Delegate:
        """The delegate ``delegate_id`` of a meeting (the CLI's ``--as``)."""
        meeting = self.meeting(meeting_id)
        found = meeting.delegate(DelegateId(delegate_id))
        if found is None:
            raise NotFound(f"no delegate {delegate_id!r} in meeting {meeting_id!r}")
        return found

    # -- access codes -------------------------------------------------------------------------

    def issue_codes(
        self, actor: Principal, meeting_id: MeetingId, delegates: Iterable[str] | None = None
    ) -> dict[DelegateId, str]:
        """Issue new access codes (old ones stop working) to ``delegates`` (default: everyone)."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.ISSUE_CODES)
            if delegates is None:
                chosen = [d for d in meeting.delegates if d.withdrawn_at is None]
            else:
                chosen = []
                for delegate_id in delegates:
                    found = meeting.delegate(DelegateId(delegate_id))
                    if found is None:
                        raise NotFound(f"no delegate {delegate_id!r} in meeting {meeting_id!r}")
                    if found.withdrawn_at is not None:
                        raise InvalidState(f"delegate {delegate_id} withdrew: no new code")
                    chosen.append(found)
            codes = self._issue(meeting, chosen)
            uow.repo.set_code_hashes(meeting_id, {d: code_hash(c) for d, c in codes.items()})
            uow.repo.put_pending_codes(meeting_id, {})
            self._ctx.append(
                uow.repo,
                meeting_id,
                actor,
                now,
                AccessCodesIssued(delegates=[d.id for d in chosen]),
            )
            uow.commit()
        self._access.forget_logins()  # the logins made with the old codes end now here
        return codes

    def take_pending_codes(self, actor: Principal, meeting_id: MeetingId) -> dict[DelegateId, str]:
        """The codes issued at loading, shown once: they are erased as they are returned."""
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.ISSUE_CODES)
            codes = uow.repo.take_pending_codes(meeting_id)
            uow.commit()
        return codes

    # -- the floor ----------------------------------------------------------------------------

    def set_agenda(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        kind: AgendaKind | str,
        ref: str = "",
        note: str = "",
    ) -> AgendaItem:
        """Put an item on the floor (the chair): an article, an amendment, a vote, signing."""
        try:
            kind = AgendaKind(kind)
        except ValueError:
            raise InvalidInput(
                f"{kind!r} is not an agenda item ({', '.join(k.value for k in AgendaKind)})",
                field="kind",
            ) from None
        ref = check_text(ref, field="ref", limit=64, required=kind is not AgendaKind.NONE)
        note = check_text(note, field="note", limit=LIMITS["note"], required=False)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.SET_AGENDA)
            self._check_agenda_ref(repo, meeting, kind, ref)
            item = AgendaItem(kind=kind, ref=ref, note=note, set_by=actor.id, set_at=now)
            repo.set_agenda(meeting_id, item)
            self._ctx.append(
                repo, meeting_id, actor, now, AgendaSet(kind=kind.value, ref=ref, note=note)
            )
            uow.commit()
        return item

    def _check_agenda_ref(
        self, repo: Repository, meeting: Meeting, kind: AgendaKind, ref: str
    ) -> None:
        number = int(ref) if ref.isdigit() else -1
        if kind is AgendaKind.ARTICLE:
            latest = repo.get_version(meeting.id, repo.latest_version_number(meeting.id) or 0)
            found = latest is not None and latest.declaration.article(ArticleId(ref)) is not None
        elif kind is AgendaKind.AMENDMENT:
            found = repo.get_amendment(meeting.id, number) is not None
        elif kind is AgendaKind.VOTE:
            found = repo.get_vote(meeting.id, number) is not None
        elif kind is AgendaKind.SIGNING:
            found = repo.get_version(meeting.id, number) is not None
        else:
            found = True
        if not found:
            raise InvalidInput(f"no {kind.value} {ref!r} in this meeting", field="ref")

    def agenda(self, actor: Principal, meeting_id: MeetingId) -> AgendaItem:
        """The item on the floor (``kind="none"`` when the chair has set nothing)."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            return uow.repo.get_agenda(meeting_id) or AgendaItem()

    # -- events -------------------------------------------------------------------------------

    def check_event_reader(self, actor: Principal, meeting: Meeting) -> None:
        """Check that ``actor`` may read the event log of ``meeting`` as given (no database
        read: pass the meeting a login check just returned); :class:`NotAuthenticated` or
        :class:`NotPermitted` if not."""
        self._ctx.member(meeting, actor, Action.READ_EVENTS)

    def events_after(
        self, actor: Principal, meeting_id: MeetingId, after: int = 0, limit: int | None = 1000
    ) -> list[Event]:
        """The meeting's events with a sequence number greater than ``after``, in order."""
        if after < 0:
            raise InvalidInput("must be 0 or more", field="after")
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ_EVENTS)
            return uow.repo.events_after(meeting_id, after, limit)
