"""Administration after loading: organisations and delegates added, renamed or withdrawn,
roles changed, a head of delegation substituted, an access code re-issued.

The secretariat (and the console, which holds its rights) does this; the library checks it.
Each act is one transaction that stores the changed records, counts one more revision of the
meeting (every process reads the meeting again at its next transaction) and appends one
:class:`~consensus_kit.domain.administration.MeetingChanged` event with who, when, why and the
records as they are after it. Nothing is deleted: a withdrawn organisation keeps its ballots and
endorsements, and its record says when it left. A caller that read a record may pass the tag it
saw (``expected``): if someone else changed the record since, the act is a :class:`Conflict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import msgspec

from consensus_kit.domain.administration import (
    AdminAct,
    active_delegate,
    active_organisation,
    changed,
    check_country_names,
    check_expected,
    check_id,
    check_org_names,
    check_reason,
    keep_a_chair,
    new_organisation,
    person_name,
    roles_for,
)
from consensus_kit.domain.codes import code_hash, new_code
from consensus_kit.domain.events import Event
from consensus_kit.domain.ids import DelegateId, MeetingId
from consensus_kit.domain.model import Delegate, Meeting, Organisation, Role
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, NotFound
from consensus_kit.service.access import Access
from consensus_kit.service.context import Context
from consensus_kit.service.meetings import Meetings

__all__ = ["Administered", "Administration"]


class Administered(msgspec.Struct, frozen=True, kw_only=True):
    """What an administrative act gives back: the meeting after it, its event, and the access
    code of a delegate it added (shown once; only its hash is stored)."""

    meeting: Meeting
    event: Event
    code: str | None = None


class _Plan(msgspec.Struct, frozen=True, kw_only=True):
    """What one act changes: the records as they will be, whose codes end, who gets one."""

    act: AdminAct
    target: str
    organisations: tuple[Organisation, ...] = ()
    delegates: tuple[Delegate, ...] = ()
    codes_end: tuple[DelegateId, ...] = ()
    code_for: DelegateId | None = None


class Administration:
    """Organisations, delegates and roles after loading (uses the context, ends logins
    through ``access`` and issues codes through ``meetings``).

    >>> service.rename_organisation(  # doctest: +SKIP
    ...     secretariat, meeting_id, "org-1", name={"en": "Save the Children"}, reason="typo"
    ... )
    """

    def __init__(self, ctx: Context, access: Access, meetings: Meetings) -> None:
        self._ctx = ctx
        self._access = access
        self._meetings = meetings

    # -- organisations ------------------------------------------------------------------------

    def add_organisation(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        id: str,
        *,
        name: Mapping[str, str],
        reason: str,
        country: str | None = None,
        region: str | None = None,
        observer: bool = False,
        weight: int = 1,
        country_name: Mapping[str, str] | None = None,
    ) -> Administered:
        """Add an organisation (a late delegation) at the end of the list."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            org = new_organisation(
                meeting,
                id,
                name=name,
                country=country,
                region=region,
                observer=observer,
                weight=weight,
                country_name=country_name or {},
            )
            return _Plan(act=AdminAct.ORGANISATION_ADDED, target=org.id, organisations=(org,))

        return self._act(actor, meeting_id, reason, plan)

    def rename_organisation(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        organisation: str,
        *,
        reason: str,
        name: Mapping[str, str] | None = None,
        country_name: Mapping[str, str] | None = None,
        expected: str | None = None,
    ) -> Administered:
        """Change an organisation's display name and/or its country's official name, in the
        languages given (the others stay; an empty country name falls back to CLDR's)."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            org = active_organisation(meeting, organisation)
            check_expected(org, expected)
            if not name and not country_name:
                raise InvalidInput("give a name or a country name to change", field="name")
            names = {**org.name, **check_org_names(meeting, name or {}, org_id=org.id)}
            official = {**org.country_name, **check_country_names(meeting, country_name or {})}
            renamed = msgspec.structs.replace(
                org, name=names, country_name={k: v for k, v in official.items() if v}
            )
            if renamed == org:
                raise InvalidInput("these are already its names: nothing to change", field="name")
            return _Plan(act=AdminAct.ORGANISATION_RENAMED, target=org.id, organisations=(renamed,))

        return self._act(actor, meeting_id, reason, plan)

    def withdraw_organisation(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        organisation: str,
        *,
        reason: str,
        expected: str | None = None,
    ) -> Administered:
        """Record that an organisation left: it and its delegates are withdrawn (their codes
        end). Its ballots and endorsements stay; it is not eligible in votes opened later."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            org = active_organisation(meeting, organisation)
            check_expected(org, expected)
            leaving = [
                d for d in meeting.delegates if d.organisation == org.id and d.withdrawn_at is None
            ]
            keep_a_chair(meeting, [d.id for d in leaving], "organisation")
            return _Plan(
                act=AdminAct.ORGANISATION_WITHDRAWN,
                target=org.id,
                organisations=(msgspec.structs.replace(org, withdrawn_at=now),),
                delegates=tuple(msgspec.structs.replace(d, withdrawn_at=now) for d in leaving),
                codes_end=tuple(d.id for d in leaving),
            )

        return self._act(actor, meeting_id, reason, plan)

    # -- delegates ----------------------------------------------------------------------------

    def add_delegate(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        id: str,
        *,
        name: str,
        reason: str,
        organisation: str | None = None,
        roles: Iterable[str] = ("delegate",),
        title: str = "",
    ) -> Administered:
        """Add a delegate; the answer carries their access code (shown once)."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            delegate_id = check_id(id, "id")
            if meeting.delegate(DelegateId(delegate_id)) is not None:
                raise InvalidInput(f"{delegate_id!r} is already a delegate here", field="id")
            org = active_organisation(meeting, organisation) if organisation else None
            new = Delegate(
                id=DelegateId(delegate_id),
                name=person_name(meeting, name, org.id if org else None),
                organisation=org.id if org else None,
                roles=roles_for(roles, org),
                title=check_text(title, field="title", limit=LIMITS["title"], required=False),
            )
            return _Plan(
                act=AdminAct.DELEGATE_ADDED, target=new.id, delegates=(new,), code_for=new.id
            )

        return self._act(actor, meeting_id, reason, plan)

    def rename_delegate(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        delegate: str,
        *,
        reason: str,
        name: str | None = None,
        title: str | None = None,
        expected: str | None = None,
    ) -> Administered:
        """Change a delegate's name and/or title (as printed under their signature)."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            person = active_delegate(meeting, delegate)
            check_expected(person, expected)
            if name is None and title is None:
                raise InvalidInput("give a name or a title to change", field="name")
            renamed = msgspec.structs.replace(
                person,
                name=person.name
                if name is None
                else person_name(meeting, name, person.organisation, person.id),
                title=person.title
                if title is None
                else check_text(title, field="title", limit=LIMITS["title"], required=False),
            )
            if renamed == person:
                raise InvalidInput("these are already their name and title", field="name")
            return _Plan(act=AdminAct.DELEGATE_RENAMED, target=person.id, delegates=(renamed,))

        return self._act(actor, meeting_id, reason, plan)

    def withdraw_delegate(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        delegate: str,
        *,
        reason: str,
        expected: str | None = None,
    ) -> Administered:
        """Record that a delegate left: their code ends; what they did stays."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            person = active_delegate(meeting, delegate)
            check_expected(person, expected)
            keep_a_chair(meeting, [person.id], "delegate")
            return _Plan(
                act=AdminAct.DELEGATE_WITHDRAWN,
                target=person.id,
                delegates=(msgspec.structs.replace(person, withdrawn_at=now),),
                codes_end=(person.id,),
            )

        return self._act(actor, meeting_id, reason, plan)

    def change_roles(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        delegate: str,
        roles: Iterable[str],
        *,
        reason: str,
        expected: str | None = None,
    ) -> Administered:
        """Give a delegate exactly ``roles`` (chair, secretariat, signatory, delegate,
        observer); the meeting always keeps a chair."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            person = active_delegate(meeting, delegate)
            check_expected(person, expected)
            org = meeting.organisation(person.organisation) if person.organisation else None
            wanted = roles_for(roles, org)
            if wanted == person.roles:
                raise InvalidInput("the delegate already holds exactly these roles", field="roles")
            if person.has(Role.CHAIR) and Role.CHAIR not in wanted:
                keep_a_chair(meeting, [person.id], "roles")
            changed_person = msgspec.structs.replace(person, roles=wanted)
            return _Plan(act=AdminAct.ROLES_CHANGED, target=person.id, delegates=(changed_person,))

        return self._act(actor, meeting_id, reason, plan)

    def substitute_delegate(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        delegate: str,
        *,
        by: str,
        reason: str,
        name: str | None = None,
        title: str | None = None,
        expected: str | None = None,
    ) -> Administered:
        """Substitute a head of delegation: ``by`` (a delegate of the same organisation, or a
        new one named ``name``) takes over ``delegate``'s roles, and ``delegate`` withdraws."""

        def plan(meeting: Meeting, now: dt.datetime) -> _Plan:
            person = active_delegate(meeting, delegate)
            check_expected(person, expected)
            org = meeting.organisation(person.organisation) if person.organisation else None
            other = meeting.delegate(DelegateId(check_id(by, "by")))
            if other is not None:
                other = active_delegate(meeting, by, "by")
                if other.id == person.id or other.organisation != person.organisation:
                    raise InvalidInput(
                        f"{by} does not act for {person.organisation or 'the meeting'}",
                        field="by",
                    )
                if name is not None or title is not None:
                    raise InvalidInput(
                        f"{by} is already a delegate: rename them separately", field="name"
                    )
                roles = roles_for((r.value for r in other.roles | person.roles), org, "by")
                successor = msgspec.structs.replace(other, roles=roles)
            else:
                if name is None:
                    raise InvalidInput(f"{by!r} is a new delegate: give their name", field="name")
                successor = Delegate(
                    id=DelegateId(by),
                    name=person_name(meeting, name, person.organisation),
                    organisation=person.organisation,
                    roles=person.roles,
                    title=person.title
                    if title is None
                    else check_text(title, field="title", limit=LIMITS["title"], required=False),
                )
            return _Plan(
                act=AdminAct.DELEGATE_SUBSTITUTED,
                target=person.id,
                delegates=(msgspec.structs.replace(person, withdrawn_at=now), successor),
                codes_end=(person.id,),
                code_for=None if other is not None else successor.id,
            )

        return self._act(actor, meeting_id, reason, plan)

    def reissue_code(self, actor: Principal, meeting_id: MeetingId, delegate: str) -> str:
        """A new access code for one delegate (the old one, and its logins, end now)."""
        return self._meetings.issue_codes(actor, meeting_id, [delegate])[DelegateId(delegate)]

    # -- the one way every act is made --------------------------------------------------------

    def _act(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        reason: str,
        plan: Callable[[Meeting, dt.datetime], _Plan],
    ) -> Administered:
        why = check_reason(reason)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            if not repo.lock_meeting(meeting_id):
                raise NotFound(f"no meeting {meeting_id!r} in this database")
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.ADMINISTER)
            change = plan(meeting, now)
            after, body = changed(
                meeting,
                act=change.act,
                target=change.target,
                reason=why,
                organisations=change.organisations,
                delegates=change.delegates,
            )
            for org in change.organisations:
                repo.put_organisation(meeting_id, org)
            for person in change.delegates:
                repo.put_delegate(meeting_id, person)
            for delegate_id in change.codes_end:
                repo.clear_code_hash(meeting_id, delegate_id)
            code = None
            if change.code_for is not None:
                code = new_code(self._ctx.choice)
                repo.set_code_hashes(meeting_id, {change.code_for: code_hash(code)})
            repo.bump_revision(meeting_id)
            event = self._ctx.append(repo, meeting_id, actor, now, body)
            uow.commit()
        self._access.forget_logins()  # logins are checked against the new records at once
        return Administered(meeting=after, event=event, code=code)
