"""Request and response bodies of the JSON API (msgspec, with size limits)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter

from consensus_kit import DecisionRule

__all__ = [
    "MAX_NUMBER",
    "AgendaIn",
    "AmendmentIn",
    "BallotIn",
    "CodeIn",
    "CommentEditIn",
    "CommentIn",
    "ConfirmIn",
    "ConsensusCallIn",
    "DiffIn",
    "DiffOut",
    "DispositionIn",
    "EndorseIn",
    "InPath",
    "InQuery",
    "MaybeInQuery",
    "MeOut",
    "Number",
    "PartLang",
    "ReviseIn",
    "TokenOut",
    "TranslationUpdate",
    "TranslationsIn",
    "VoteIn",
]

Short = Annotated[str, msgspec.Meta(max_length=200)]
Ref = Annotated[str, msgspec.Meta(max_length=64)]
LangCode = Annotated[str, msgspec.Meta(max_length=35)]
LongText = Annotated[str, msgspec.Meta(max_length=100_000)]
Note = Annotated[str, msgspec.Meta(max_length=5_000)]
MAX_NUMBER = 2**31 - 1
"""The largest version, amendment, vote or comment number (what every database column holds)."""
Number = Annotated[int, msgspec.Meta(ge=0, le=MAX_NUMBER)]
InPath = Annotated[int, PathParameter(ge=0, le=MAX_NUMBER)]
"""A number in the path, bounded: a larger one is a 400 naming the parameter, not a 500."""
InQuery = Annotated[int, QueryParameter(ge=0, le=MAX_NUMBER)]
MaybeInQuery = Annotated[int | None, QueryParameter(ge=0, le=MAX_NUMBER)]


class CodeIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An access code, as the secretariat gave it."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class TokenOut(msgspec.Struct, frozen=True, kw_only=True):
    """A bearer token for ``Authorization: Bearer …`` and whom it acts for."""

    token: str
    token_type: str
    expires_at: dt.datetime
    meeting: str
    delegate: str


class MeOut(msgspec.Struct, frozen=True, kw_only=True):
    """Who the token acts for."""

    meeting: str
    delegate: str
    name: str
    organisation: str | None
    roles: list[str]


class AgendaIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What the chair puts on the floor."""

    kind: Ref
    ref: Ref = ""
    note: Note = ""


class AmendmentIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new amendment (texts per language; the library checks everything)."""

    kind: Ref
    texts: dict[LangCode, LongText] = msgspec.field(default_factory=dict)
    article: Ref | None = None
    after: Ref | None = None
    rationale: Note = ""
    base_version: Number | None = None
    draft: bool = False
    # per language: "changed", "confirmed" (checked: still matches) or "secretariat" (default)
    intent: dict[LangCode, Ref] = msgspec.field(default_factory=dict)


class ReviseIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A revision of an amendment: texts merged per language, or a new rationale."""

    texts: dict[LangCode, LongText] | None = None
    rationale: Note | None = None
    intent: dict[LangCode, Ref] | None = None  # as in AmendmentIn


class DispositionIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The chair's reason for setting an amendment aside or asking its sponsor to update it."""

    reason: Note


class DiffIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Two texts to compare."""

    old: LongText
    new: LongText
    lang: LangCode | None = None


class DiffOut(msgspec.Struct, frozen=True, kw_only=True):
    """A diff as operations and as safe HTML."""

    ops: list[dict[str, str]]
    html: str


class CommentIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A comment on an article or amendment; ``quote`` is a span of the text in ``quote_lang``."""

    target: Ref
    target_id: Ref
    body: Annotated[str, msgspec.Meta(max_length=5_000)]
    parent: Number | None = None
    quote_lang: LangCode | None = None
    quote_start: Number | None = None
    quote_end: Number | None = None
    quote: Note | None = None


class CommentEditIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new wording of one's own comment."""

    body: Annotated[str, msgspec.Meta(max_length=5_000)]


class TranslationUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One part's words in one language: ``article`` is "title", "subtitle", "preamble" or an
    article id."""

    article: Ref
    lang: LangCode
    text: LongText


class TranslationsIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Translations brought in step (the secretariat)."""

    updates: Annotated[list[TranslationUpdate], msgspec.Meta(max_length=500)]
    note: Note = ""


class PartLang(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One language of one part: "title", "subtitle", "preamble" or an article id."""

    part: Ref
    lang: LangCode


class ConfirmIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Stale translations confirmed on purpose as still matching (the secretariat)."""

    parts: Annotated[list[PartLang], msgspec.Meta(max_length=500)]
    note: Note = ""
    version: Number | None = None  # the version checked (refused if no longer the latest)


class VoteIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A vote to open on an amendment or on adopting a whole version."""

    amendment: Number | None = None
    version: Number | None = None
    rule: Annotated[
        DecisionRule | None,
        msgspec.Meta(description="The decision rule; default: the meeting's own."),
    ] = None
    quorum: float | None = None
    secret: bool | None = None
    weighted: bool = False


class ConsensusCallIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The chair's call for consensus: objections are possible for ``window_seconds``."""

    amendment: Number
    window_seconds: Annotated[
        int,
        msgspec.Meta(
            ge=10,
            le=86_400,
            description="Seconds for objections: at least the meeting's `min_consensus_window` "
            "(10 unless its rules of procedure say more), at most 24 hours.",
        ),
    ]


class BallotIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A ballot; send the same ``key`` again to retry safely."""

    choice: Ref
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class EndorseIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An endorsement of a frozen version; signer defaults to the delegate."""

    signer: Short | None = None
    signer_title: Short | None = None
    detached_signature: Annotated[str, msgspec.Meta(max_length=1_000)] | None = None
