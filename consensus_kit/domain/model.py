"""The value types of a meeting: plain, frozen msgspec structs with no behaviour and no I/O.

Per-language texts are ``dict[Lang, str]`` keyed by BCP 47 code. Structs are frozen; treat the
dicts inside them as read-only too (every operation builds new values).
"""

from __future__ import annotations

import datetime as dt
import enum
from functools import cached_property

import msgspec

from consensus_kit.domain.ids import ArticleId, DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.locales import country_in

__all__ = [
    "Article",
    "DecisionDefaults",
    "DecisionRule",
    "Declaration",
    "Delegate",
    "LineWidths",
    "Meeting",
    "Organisation",
    "Procedure",
    "Reconsideration",
    "Role",
    "Tracking",
    "Version",
    "VersionState",
]

Texts = dict[Lang, str]


class Role(enum.StrEnum):
    """What a delegate may do; a delegate may hold several roles."""

    DELEGATE = "delegate"
    SIGNATORY = "signatory"
    CHAIR = "chair"
    SECRETARIAT = "secretariat"
    OBSERVER = "observer"


class DecisionRule(enum.StrEnum):
    """How a vote is decided (see the voting rules in the design brief)."""

    SIMPLE_MAJORITY = "simple_majority"
    TWO_THIRDS = "two_thirds"
    ABSOLUTE_MAJORITY = "absolute_majority"
    CONSENSUS = "consensus"
    UNANIMITY = "unanimity"


class VersionState(enum.StrEnum):
    """A version is a draft until the chair freezes it as the final text."""

    DRAFT = "draft"
    FROZEN = "frozen"


class DecisionDefaults(msgspec.Struct, frozen=True, kw_only=True):
    """The meeting's default decision rule, quorum (share of eligible organisations) and secrecy."""

    rule: DecisionRule = DecisionRule.CONSENSUS
    quorum: float = 0.5
    secret: bool = False


class Reconsideration(enum.StrEnum):
    """Who may reopen a rejected amendment under the rules of procedure: nobody, the chair
    alone, or the meeting, by a recorded vote on a motion to reconsider (under
    ``Procedure.reconsideration_rule``)."""

    NONE = "none"
    CHAIR = "chair"
    VOTE = "vote"


class Procedure(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The meeting's rules of procedure (``[procedure]`` in the meeting file).

    ``consensus_fallback``: the rule of the recorded vote the chair may put a question to after a
    call for consensus drew an objection (``None``: an objection stays binding).
    ``text_rule`` / ``text_quorum``: the defaults for a vote on adopting the whole text (``None``:
    the meeting's decision defaults). ``reconsideration``: who may reopen a rejected amendment.
    ``min_consensus_window``: the shortest call for consensus, in seconds.
    ``reconsideration_rule``: the rule a motion to reconsider is decided under, when
    ``reconsideration`` is ``vote`` (two thirds, as in most rules of procedure). Left out of
    the meeting hash at its default, like every field here.
    """

    consensus_fallback: DecisionRule | None = None
    text_rule: DecisionRule | None = None
    text_quorum: float | None = None
    reconsideration: Reconsideration = Reconsideration.NONE
    min_consensus_window: int = 10
    reconsideration_rule: DecisionRule = DecisionRule.TWO_THIRDS


class LineWidths(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """How long a numbered line is (``[lines]`` in the meeting file; see
    :mod:`consensus_kit.domain.lines`): ``latin`` columns in spaced scripts, ``cjk`` full-width
    characters in Chinese, Japanese and other unspaced scripts."""

    latin: int = 80
    cjk: int = 40


class Organisation(msgspec.Struct, frozen=True, kw_only=True):
    """A signing party (or, with ``observer``, an organisation that only reads and comments)."""

    id: OrgId
    name: Texts
    country: str | None = None
    region: str | None = None
    observer: bool = False
    weight: int = 1
    country_name: Texts = msgspec.field(default_factory=dict)
    """The official name of its country per language, where CLDR's short form will not do
    ("Democratic People's Republic of Korea", not "North Korea")."""
    withdrawn_at: dt.datetime | None = None
    """When it left the meeting (``None``: it takes part). A withdrawn organisation keeps its
    ballots and endorsements; it is not eligible in a vote opened after it left."""

    def country_in(self, lang: Lang) -> str:
        """Its country's name in ``lang``: the official name given, else CLDR's ("" without
        a country)."""
        return country_in(self.country, self.country_name, lang)

    def name_in(self, lang: Lang, fallback: Lang | None = None) -> str:
        """The organisation's name in ``lang``, else in ``fallback``, else any name it has."""
        if lang in self.name:
            return self.name[lang]
        if fallback is not None and fallback in self.name:
            return self.name[fallback]
        return next(iter(self.name.values()))


class Delegate(msgspec.Struct, frozen=True, kw_only=True):
    """A person acting for one organisation (or for the meeting itself: chair, secretariat)."""

    id: DelegateId
    name: str
    organisation: OrgId | None = None
    roles: frozenset[Role]
    title: str = ""
    withdrawn_at: dt.datetime | None = None
    """When the delegate left the meeting (``None``: active); a withdrawn delegate cannot log
    in or act, and the record stays for the history."""

    def has(self, role: Role) -> bool:
        """Whether this delegate holds ``role``."""
        return role in self.roles


class Meeting(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    """One event: its metadata, languages, decision defaults, organisations and delegates.

    ``dict=True`` only lets :meth:`delegate` and :meth:`organisation` cache an index by id on
    the instance (not a field: it is neither compared nor stored); a scan of 2,000 delegates
    was a quarter of the cost of a ballot.
    """

    id: MeetingId
    title: Texts
    place: Texts
    start: dt.date
    end: dt.date
    languages: tuple[Lang, ...]
    negotiating_language: Lang
    organisers: Texts = msgspec.field(default_factory=dict)
    timezone: str = "UTC"
    """The IANA time zone of the venue (``Africa/Nairobi``): times are shown to people in it."""
    decision: DecisionDefaults = DecisionDefaults()
    procedure: Procedure = Procedure()
    lines: LineWidths = LineWidths()
    """The length of a numbered line per script (the line numbers of every text follow it)."""
    organisations: tuple[Organisation, ...] = ()
    delegates: tuple[Delegate, ...] = ()

    def organisation(self, org_id: OrgId) -> Organisation | None:
        """The organisation with ``org_id``, or ``None``."""
        return self._organisations_by_id.get(org_id)

    def delegate(self, delegate_id: DelegateId) -> Delegate | None:
        """The delegate with ``delegate_id``, or ``None``."""
        return self._delegates_by_id.get(delegate_id)

    @cached_property
    def _organisations_by_id(self) -> dict[OrgId, Organisation]:
        return {o.id: o for o in reversed(self.organisations)}  # the first with an id wins

    @cached_property
    def _delegates_by_id(self) -> dict[DelegateId, Delegate]:
        return {d.id: d for d in reversed(self.delegates)}


class Article(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One numbered clause: a stable id and one text per language.

    Translation tracking: ``revision`` is the version in which the negotiating-language text
    last changed; ``in_step[lang]`` is the revision of the negotiating text that the ``lang``
    text was translated from. A translation is stale while ``in_step[lang] < revision``.
    """

    id: ArticleId
    text: Texts
    revision: int = 1
    in_step: dict[Lang, int] = msgspec.field(default_factory=dict)

    @classmethod
    def tracked(
        cls, *, id: ArticleId, text: Texts, revision: int, in_step: dict[Lang, int]
    ) -> Article:
        """An article in canonical form: a translation in step with the current revision is
        not listed (that is what a missing entry means), so equal texts and equal tracking
        always give equal articles, and equal content hashes."""
        lagging = {lang: n for lang, n in in_step.items() if n < revision and lang in text}
        return cls(id=id, text=dict(text), revision=revision, in_step=lagging)

    def is_stale(self, lang: Lang, negotiating: Lang) -> bool:
        """Whether the ``lang`` text lags behind the article's latest substantive change."""
        del negotiating  # the tracking says who lags (the negotiating language only rarely)
        if lang not in self.text:
            return False
        return self.in_step.get(lang, self.revision) < self.revision


class Tracking(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Translation tracking of the title, subtitle or preamble, as :class:`Article` keeps it:
    ``revision`` is the version in which the negotiating-language words last changed, and
    ``in_step[lang]`` the revision the ``lang`` words follow (missing: in step)."""

    revision: int = 1
    in_step: dict[Lang, int] = msgspec.field(default_factory=dict)


class Declaration(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The text under negotiation, in every language of the meeting.

    ``tracking`` holds the translation status of ``"title"``, ``"subtitle"`` and
    ``"preamble"`` (articles carry theirs); it is not part of the words, so it does not enter
    the content hash (:func:`~consensus_kit.domain.hashing.declaration_hash`).
    """

    title: Texts
    subtitle: Texts = msgspec.field(default_factory=dict)
    preamble: Texts = msgspec.field(default_factory=dict)
    articles: tuple[Article, ...] = ()
    date: dt.date | None = None
    tracking: dict[str, Tracking] = msgspec.field(default_factory=dict)

    def article(self, article_id: ArticleId) -> Article | None:
        """The article with ``article_id``, or ``None``."""
        return next((a for a in self.articles if a.id == article_id), None)

    def languages(self) -> frozenset[Lang]:
        """Every language any part of the declaration has text in."""
        langs: set[Lang] = set(self.title) | set(self.subtitle) | set(self.preamble)
        for article in self.articles:
            langs |= set(article.text)
        return frozenset(langs)


class Version(msgspec.Struct, frozen=True, kw_only=True):
    """An immutable, numbered snapshot of the whole declaration, sealed by its content hash."""

    meeting: MeetingId
    number: int
    declaration: Declaration
    content_hash: str
    parent: int | None
    created_by: str
    created_at: dt.datetime
    note: str = ""
    state: VersionState = VersionState.DRAFT
    frozen_at: dt.datetime | None = None
    frozen_by: str | None = None
    hash_format: int = 1  # how content_hash was computed (see domain.hashing); never changes
