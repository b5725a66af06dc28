"""Changing a meeting after it was loaded: the rules, and the one event every change makes.

Pure functions: each takes the meeting as it is and returns the records that change (an
organisation, a delegate, or two for a substitution), or raises a clear error naming the field.
:func:`changed` applies the records and builds the :class:`MeetingChanged` event, which carries
the records as they are after the change and the meeting's new hash: replaying the event on the
meeting before it (:func:`replay`) gives the meeting after it. Nothing is ever deleted: a
withdrawn organisation or delegate keeps its record, marked with the time it left.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from consensus_kit.domain.hashing import canonical_json, meeting_hash, sha256_hex
from consensus_kit.domain.ids import DelegateId, Lang, OrgId, is_valid_id
from consensus_kit.domain.locales import is_country_code
from consensus_kit.domain.model import Delegate, Meeting, Organisation, Role
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import Conflict, InvalidInput, InvalidState, NotFound

__all__ = [
    "ACTING_ROLES",
    "AdminAct",
    "MeetingChanged",
    "active_chairs",
    "active_delegate",
    "active_organisation",
    "changed",
    "check_country",
    "check_country_names",
    "check_expected",
    "check_id",
    "check_org_names",
    "check_reason",
    "keep_a_chair",
    "new_organisation",
    "parse_roles",
    "person_name",
    "record_tag",
    "replay",
    "role_problem",
    "roles_for",
]

ACTING_ROLES = frozenset({Role.DELEGATE, Role.SIGNATORY})


class AdminAct(enum.StrEnum):
    """What an administrative change did."""

    ORGANISATION_ADDED = "organisation_added"
    ORGANISATION_RENAMED = "organisation_renamed"
    ORGANISATION_WITHDRAWN = "organisation_withdrawn"
    DELEGATE_ADDED = "delegate_added"
    DELEGATE_RENAMED = "delegate_renamed"
    DELEGATE_WITHDRAWN = "delegate_withdrawn"
    ROLES_CHANGED = "roles_changed"
    DELEGATE_SUBSTITUTED = "delegate_substituted"


class MeetingChanged(msgspec.Struct, frozen=True, kw_only=True, tag="meeting_changed"):
    """The secretariat changed the meeting after loading: one act, on ``target``, for
    ``reason``. ``organisations`` and ``delegates`` are the records it touched, as they are
    after the change; ``meeting_hash`` is the meeting's hash after it (``verify`` compares the
    stored meeting with the last one)."""

    act: str
    target: str
    reason: str
    meeting_hash: str
    organisations: list[dict[str, Any]] = msgspec.field(default_factory=list)
    delegates: list[dict[str, Any]] = msgspec.field(default_factory=list)


def _record(value: Organisation | Delegate) -> dict[str, Any]:
    """A record as plain builtins, its later-added fields left out at their defaults (as in
    :func:`~consensus_kit.domain.hashing.meeting_hash`)."""
    encoded: dict[str, Any] = msgspec.to_builtins(value, order="sorted")
    if not encoded.get("country_name"):
        encoded.pop("country_name", None)
    if encoded.get("withdrawn_at") is None:
        encoded.pop("withdrawn_at", None)
    return encoded


def record_tag(value: Organisation | Delegate) -> str:
    """A short tag of a record as it is now (16 hex digits). A caller that read the record
    passes it back as ``expected``: a record changed since is a :class:`Conflict`.

    >>> from consensus_kit.domain.model import Organisation
    >>> len(record_tag(Organisation(id="a", name={"en": "A"})))
    16
    """
    return sha256_hex(canonical_json(_record(value)))[:16]


def check_expected(value: Organisation | Delegate, expected: str | None) -> None:
    """:class:`Conflict` when ``expected`` (a :func:`record_tag` the caller saw) is no longer
    the record's tag: someone else changed it in between (``None``: no check)."""
    if expected is None:
        return
    now = record_tag(value)
    if expected != now:
        kind = "organisation" if isinstance(value, Organisation) else "delegate"
        raise Conflict(
            f"{kind} {value.id} was changed by someone else since you read it "
            f"(you saw revision {expected}, it is now {now}): read it again, then retry"
        )


def changed(
    meeting: Meeting,
    *,
    act: AdminAct,
    target: str,
    reason: str,
    organisations: Sequence[Organisation] = (),
    delegates: Sequence[Delegate] = (),
) -> tuple[Meeting, MeetingChanged]:
    """The meeting with ``organisations`` and ``delegates`` put in (replacing the records with
    the same ids, new ones at the end), and the event that records it."""
    after = _put(meeting, organisations, delegates)
    body = MeetingChanged(
        act=act.value,
        target=target,
        reason=reason,
        meeting_hash=meeting_hash(after),
        organisations=[_record(o) for o in organisations],
        delegates=[_record(d) for d in delegates],
    )
    return after, body


def replay(meeting: Meeting, body: MeetingChanged) -> Meeting:
    """The meeting after the change ``body`` records, from the meeting before it."""
    return _put(
        meeting,
        [msgspec.convert(o, Organisation) for o in body.organisations],
        [msgspec.convert(d, Delegate) for d in body.delegates],
    )


def _put(
    meeting: Meeting, organisations: Iterable[Organisation], delegates: Iterable[Delegate]
) -> Meeting:
    orgs = list(meeting.organisations)
    for org in organisations:
        at = next((i for i, o in enumerate(orgs) if o.id == org.id), None)
        orgs.append(org) if at is None else orgs.__setitem__(at, org)
    people = list(meeting.delegates)
    for person in delegates:
        at = next((i for i, d in enumerate(people) if d.id == person.id), None)
        people.append(person) if at is None else people.__setitem__(at, person)
    return msgspec.structs.replace(meeting, organisations=tuple(orgs), delegates=tuple(people))


# -- checks -----------------------------------------------------------------------------------


def check_reason(reason: object) -> str:
    """Why the change is made: required, one short text (it goes into the event log)."""
    return check_text(reason, field="reason", limit=LIMITS["note"]).strip()


def check_id(value: object, field: str) -> str:
    """An id as the meeting file allows them: lowercase letters, digits and '-'."""
    if not isinstance(value, str) or not is_valid_id(value):
        raise InvalidInput(
            f"{value!r} is not a valid id (lowercase letters, digits and '-', 1–64 characters)",
            field=field,
        )
    return value


def _language(meeting: Meeting, lang: object, field: str) -> Lang:
    if not isinstance(lang, str) or lang not in meeting.languages:
        raise InvalidInput(
            f"{lang!r} is not a language of this meeting ({', '.join(meeting.languages)})",
            field=field,
        )
    return Lang(lang)


def check_org_names(
    meeting: Meeting,
    names: Mapping[str, str],
    *,
    org_id: str | None = None,
    field: str = "name",
) -> dict[Lang, str]:
    """Display names per language: each a language of the meeting, not empty, and not the
    name another organisation has in that language (compared without case)."""
    if not isinstance(names, Mapping):
        raise InvalidInput("expected one name per language, e.g. {en = '…'}", field=field)
    checked: dict[Lang, str] = {}
    for lang, text in names.items():
        where = f"{field}.{lang}"
        code = _language(meeting, lang, where)
        words = check_text(text, field=where, limit=LIMITS["name"]).strip()
        for other in meeting.organisations:
            if other.id != org_id and other.name.get(code, "").strip().casefold() == (
                words.casefold()
            ):
                raise InvalidInput(
                    f"{other.id} is already called {words!r} in {lang}: names must differ",
                    field=where,
                )
        checked[code] = words
    return checked


def check_country_names(
    meeting: Meeting, names: Mapping[str, str], field: str = "country_name"
) -> dict[Lang, str]:
    """Official country names per language ("" removes the one given for that language)."""
    if not isinstance(names, Mapping):
        raise InvalidInput("expected one name per language, e.g. {en = '…'}", field=field)
    return {
        _language(meeting, lang, f"{field}.{lang}"): check_text(
            text, field=f"{field}.{lang}", limit=LIMITS["name"], required=False
        ).strip()
        for lang, text in names.items()
    }


def check_country(code: object, *, observer: bool) -> str | None:
    """An ISO 3166-1 alpha-2 code; required for an organisation that votes."""
    if code in (None, ""):
        if observer:
            return None
        raise InvalidInput(
            "is required for an organisation that votes (ISO 3166-1 alpha-2, e.g. 'KE')",
            field="country",
        )
    if not isinstance(code, str) or not is_country_code(code):
        raise InvalidInput(
            f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. 'CN', 'KE')",
            field="country",
        )
    return code


def parse_roles(values: Iterable[object], field: str = "roles") -> frozenset[Role]:
    """Role names as given (``"chair"``, ``"signatory"`` …): at least one, each a role."""
    roles: set[Role] = set()
    for value in values:
        try:
            roles.add(Role(str(value)) if isinstance(value, str) else Role(repr(value)))
        except ValueError:
            raise InvalidInput(
                f"{value!r} is not a role (expected one of: {', '.join(r.value for r in Role)})",
                field=field,
            ) from None
    if not roles:
        raise InvalidInput("give at least one role", field=field)
    return frozenset(roles)


def role_problem(roles: frozenset[Role], organisation: Organisation | None) -> str | None:
    """What is wrong with ``roles`` for a delegate of ``organisation`` (``None``: fine)."""
    acting = roles & ACTING_ROLES
    if acting and organisation is None:
        return "a delegate or signatory acts for an organisation: give one"
    if acting and organisation is not None and organisation.observer:
        return f"an observer organisation ({organisation.id}) cannot have delegates or signatories"
    if Role.OBSERVER in roles and acting:
        return "an observer cannot also be a delegate or signatory"
    return None


def active_chairs(meeting: Meeting) -> list[Delegate]:
    """The delegates who hold the chair and have not withdrawn."""
    return [d for d in meeting.delegates if d.has(Role.CHAIR) and d.withdrawn_at is None]


def keep_a_chair(meeting: Meeting, leaving: Iterable[DelegateId], field: str) -> None:
    """:class:`InvalidInput` when the delegates ``leaving`` the chair are all it has."""
    gone = set(leaving)
    if active_chairs(meeting) and not [d for d in active_chairs(meeting) if d.id not in gone]:
        raise InvalidInput(
            "this would leave the meeting without a chair: give the role to another delegate first",
            field=field,
        )


def active_organisation(meeting: Meeting, org_id: str, field: str = "organisation") -> Organisation:
    """The organisation ``org_id``, which has not withdrawn."""
    org = meeting.organisation(OrgId(org_id))
    if org is None:
        raise NotFound(f"{field}: no organisation {org_id!r} in meeting {meeting.id!r}")
    if org.withdrawn_at is not None:
        raise InvalidState(f"{field}: organisation {org_id} withdrew on {_day(org.withdrawn_at)}")
    return org


def active_delegate(meeting: Meeting, delegate_id: str, field: str = "delegate") -> Delegate:
    """The delegate ``delegate_id``, who has not withdrawn."""
    found = meeting.delegate(DelegateId(delegate_id))
    if found is None:
        raise NotFound(f"{field}: no delegate {delegate_id!r} in meeting {meeting.id!r}")
    if found.withdrawn_at is not None:
        raise InvalidState(
            f"{field}: delegate {delegate_id} withdrew on {_day(found.withdrawn_at)}"
        )
    return found


def _day(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def person_name(
    meeting: Meeting, name: object, organisation: str | None, itself: str | None = None
) -> str:
    """A delegate's name: not empty, and not another active delegate's of the same
    organisation (compared without case; ``itself``: the delegate being renamed)."""
    text = check_text(name, field="name", limit=LIMITS["name"]).strip()
    for other in meeting.delegates:
        if (
            other.organisation == organisation
            and other.id != itself
            and other.withdrawn_at is None
            and other.name.strip().casefold() == text.casefold()
        ):
            raise InvalidInput(
                f"{other.id} is already called {text!r} in {organisation or 'the meeting'}",
                field="name",
            )
    return text


def roles_for(
    roles: Iterable[object], organisation: Organisation | None, field: str = "roles"
) -> frozenset[Role]:
    """Roles as given, checked against the organisation the delegate acts for."""
    if isinstance(roles, str):
        roles = [roles]
    wanted = parse_roles(roles, field)
    problem = role_problem(wanted, organisation)
    if problem is not None:
        raise InvalidInput(problem, field=field)
    return wanted


def new_organisation(
    meeting: Meeting,
    id: object,
    *,
    name: Mapping[str, str],
    country: object,
    region: object,
    observer: bool,
    weight: object,
    country_name: Mapping[str, str],
) -> Organisation:
    """A new organisation for ``meeting``, every field checked as the meeting file checks it."""
    org_id = check_id(id, "id")
    if meeting.organisation(OrgId(org_id)) is not None:
        raise InvalidInput(f"{org_id!r} is already an organisation here", field="id")
    if not name:
        raise InvalidInput("give at least one name, per language", field="name")
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
        raise InvalidInput(f"{weight!r} is not a whole number ≥ 1", field="weight")
    place = None
    if region not in (None, ""):
        place = check_text(region, field="region", limit=64).strip()
    elif not observer:
        raise InvalidInput("is required for an organisation that votes", field="region")
    official = check_country_names(meeting, country_name)
    return Organisation(
        id=OrgId(org_id),
        name=check_org_names(meeting, name, org_id=org_id),
        country=check_country(country, observer=bool(observer)),
        region=place,
        observer=bool(observer),
        weight=weight,
        country_name={k: v for k, v in official.items() if v},
    )
