"""Bodies of the administration API: organisations and delegates after loading."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from consensus_kit import Delegate, Organisation, record_tag

__all__ = [
    "CodeOut",
    "DelegateIn",
    "DelegateOut",
    "DelegatePatch",
    "OrganisationIn",
    "OrganisationOut",
    "OrganisationPatch",
    "ReasonIn",
    "RolesIn",
    "SubstituteIn",
    "SubstituteOut",
]

Name = Annotated[str, msgspec.Meta(max_length=300)]
Ref = Annotated[str, msgspec.Meta(max_length=64)]
LangCode = Annotated[str, msgspec.Meta(max_length=35)]
Reason = Annotated[str, msgspec.Meta(max_length=2_000, description="why: kept in the event log")]
Expected = (
    Annotated[
        str,
        msgspec.Meta(
            max_length=64,
            description="the revision of the record you read (or send it as If-Match): a "
            "record changed by someone else since is a 409",
        ),
    ]
    | None
)
Names = Annotated[dict[LangCode, Name], msgspec.Meta(description="one text per language")]


class OrganisationOut(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation, and the revision to send back with a change."""

    id: str
    name: dict[str, str]
    country: str | None
    country_name: dict[str, str]
    region: str | None
    observer: bool
    weight: int
    withdrawn_at: dt.datetime | None
    revision: str

    @classmethod
    def of(cls, org: Organisation) -> OrganisationOut:
        """The organisation as the API shows it."""
        return cls(
            id=org.id,
            name={str(k): v for k, v in org.name.items()},
            country=org.country,
            country_name={str(k): v for k, v in org.country_name.items()},
            region=org.region,
            observer=org.observer,
            weight=org.weight,
            withdrawn_at=org.withdrawn_at,
            revision=record_tag(org),
        )


class DelegateOut(msgspec.Struct, frozen=True, kw_only=True):
    """A delegate (never their code), and the revision to send back with a change."""

    id: str
    name: str
    organisation: str | None
    roles: list[str]
    title: str
    withdrawn_at: dt.datetime | None
    revision: str

    @classmethod
    def of(cls, person: Delegate) -> DelegateOut:
        """The delegate as the API shows them."""
        return cls(
            id=person.id,
            name=person.name,
            organisation=person.organisation,
            roles=sorted(r.value for r in person.roles),
            title=person.title,
            withdrawn_at=person.withdrawn_at,
            revision=record_tag(person),
        )


class OrganisationIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new organisation (a late delegation)."""

    id: Ref
    name: Names
    reason: Reason
    country: Annotated[str, msgspec.Meta(max_length=2)] | None = None
    region: Ref | None = None
    observer: bool = False
    weight: Annotated[int, msgspec.Meta(ge=1, le=1_000)] = 1
    country_name: Names = msgspec.field(default_factory=dict)


class OrganisationPatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """New names, per language (the languages left out keep theirs); an empty country name
    falls back to CLDR's."""

    reason: Reason
    name: Names | None = None
    country_name: Names | None = None
    expected: Expected = None


class ReasonIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Why, and the revision you saw."""

    reason: Reason
    expected: Expected = None


class DelegateIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new delegate."""

    id: Ref
    name: Name
    reason: Reason
    organisation: Ref | None = None
    roles: Annotated[list[Ref], msgspec.Meta(max_length=5)] = msgspec.field(
        default_factory=lambda: ["delegate"]
    )
    title: Name = ""


class DelegatePatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new name and/or title."""

    reason: Reason
    name: Name | None = None
    title: Name | None = None
    expected: Expected = None


class RolesIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Exactly the roles the delegate holds from now on."""

    roles: Annotated[
        list[Ref],
        msgspec.Meta(
            max_length=5,
            description="any of: delegate, signatory, chair, secretariat, observer",
        ),
    ]
    reason: Reason
    expected: Expected = None


class SubstituteIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who takes over: an existing delegate of the same organisation, or a new one (``name``)."""

    by: Ref
    reason: Reason
    name: Name | None = None
    title: Name | None = None
    expected: Expected = None


class SubstituteOut(msgspec.Struct, frozen=True, kw_only=True):
    """The delegate who left, their successor, and the successor's code if new (shown once)."""

    left: DelegateOut
    successor: DelegateOut
    code: str | None


class CodeOut(msgspec.Struct, frozen=True, kw_only=True):
    """A delegate's new access code (shown once; the old one ends now)."""

    delegate: DelegateOut
    code: str
