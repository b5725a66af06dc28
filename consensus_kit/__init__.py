"""consensus-kit: run the life of a multilingual text negotiated by many organisations.

>>> import consensus_kit as ck
>>> service = ck.open_service("sqlite:///a20.db")                      # doctest: +SKIP
>>> meeting_file = ck.read_meeting_file("meeting.toml")               # doctest: +SKIP
>>> loaded = service.load_meeting(meeting_file, actor=ck.CONSOLE)       # doctest: +SKIP
>>> print(service.version(ck.CONSOLE, loaded.meeting.id).declaration.title["en"])  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import typing

from consensus_kit._exports import EXPORTS as _EXPORTS
from consensus_kit._version import __version__

if (
    typing.TYPE_CHECKING
):  # what type checkers and readers see; at run time each name loads on first use
    import datetime as dt
    from collections.abc import Callable

    from consensus_kit.domain.administration import AdminAct, MeetingChanged, record_tag
    from consensus_kit.domain.agenda import AgendaItem, AgendaKind
    from consensus_kit.domain.amendments import (
        Amendment,
        AmendmentKind,
        AmendmentStatus,
        TranslationIntent,
    )
    from consensus_kit.domain.comments import Anchor, AnchorState, Comment, CommentTarget
    from consensus_kit.domain.compare import ArticleDiff, DeclarationDiff
    from consensus_kit.domain.compromise import MergeConflict, MergeOutcome
    from consensus_kit.domain.declaration import (
        ArticleChange,
        ChangeKind,
        StaleTranslation,
        compare_declarations,
    )
    from consensus_kit.domain.diff import DiffOp, diff_texts, render_html
    from consensus_kit.domain.endorsements import Endorsement, SignatoryLine, SigningRecord
    from consensus_kit.domain.events import (
        AccessCodesIssued,
        Event,
        MeetingLoaded,
        TranslationsConfirmed,
        VersionFrozen,
        VersionPublished,
    )
    from consensus_kit.domain.hashing import HASH_FORMAT, declaration_hash, tracking_hash
    from consensus_kit.domain.ids import ArticleId, DelegateId, Lang, MeetingId, OrgId
    from consensus_kit.domain.lines import LineWidths, lines_touched, number_diff, number_lines
    from consensus_kit.domain.lint import LintFinding, Severity, lint_declaration
    from consensus_kit.domain.logins import LOGIN_LIMITS, LoginLimits
    from consensus_kit.domain.model import (
        Article,
        DecisionDefaults,
        DecisionRule,
        Declaration,
        Delegate,
        Meeting,
        Organisation,
        Role,
        Tracking,
        Version,
        VersionState,
    )
    from consensus_kit.domain.permissions import CONSOLE, Action, Console, Principal
    from consensus_kit.domain.speakers import Intervention, SpeakerRequest, SpeakersList
    from consensus_kit.domain.tracking import TEXT_PARTS, part_texts
    from consensus_kit.domain.voting import (
        Ballot,
        Choice,
        Outcome,
        Tally,
        Vote,
        VoteMode,
        VoteResult,
        VoteState,
    )
    from consensus_kit.errors import (
        Conflict,
        ConsensusError,
        InvalidInput,
        InvalidState,
        MeetingFileError,
        NotAuthenticated,
        NotFound,
        NotPermitted,
        Problem,
        TooManyAttempts,
        Unavailable,
    )
    from consensus_kit.formats.akoma_ntoso import export_akn, export_akn_all
    from consensus_kit.formats.akoma_ntoso_import import import_akn
    from consensus_kit.formats.badges import badge_url, export_badges, require_badge_tools
    from consensus_kit.formats.docx_export import (
        export_bilingual_docx,
        export_docx,
        export_parallel_docx,
    )
    from consensus_kit.formats.docx_import import import_docx, import_parallel_docx, pair_drafts
    from consensus_kit.formats.docx_redline import export_redline_docx
    from consensus_kit.formats.markdown_draft import MarkdownDraft, parse_markdown_draft
    from consensus_kit.formats.meeting_file import (
        MeetingFile,
        parse_meeting_file,
        read_meeting_file,
    )
    from consensus_kit.formats.pdf_export import (
        export_bilingual_pdf,
        export_parallel_pdf,
        export_pdf,
    )
    from consensus_kit.formats.pdf_votes import export_votes_pdf
    from consensus_kit.formats.text_export import export_json, export_markdown
    from consensus_kit.service.access import Login
    from consensus_kit.service.administration import Administered
    from consensus_kit.service.amendments import AmendmentView
    from consensus_kit.service.comments import CommentView, Quote
    from consensus_kit.service.compromise import MergePreview
    from consensus_kit.service.exports import ExportFile, ExportFormat
    from consensus_kit.service.group_commit import GroupCommit
    from consensus_kit.service.meetings import LoadedMeeting
    from consensus_kit.service.ports import VersionSummary
    from consensus_kit.service.service import MeetingService
    from consensus_kit.service.verification import Finding, VerifyReport, verify_store
    from consensus_kit.service.vote_views import PublishedBallot, Receipt, VoteView
    from consensus_kit.storage.store import SqlStore

_ORIGIN = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> object:
    module = _ORIGIN.get(name)
    if module is None:
        raise AttributeError(f"module 'consensus_kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "CONSOLE",
    "HASH_FORMAT",
    "LOGIN_LIMITS",
    "TEXT_PARTS",
    "AccessCodesIssued",
    "Action",
    "AdminAct",
    "Administered",
    "AgendaItem",
    "AgendaKind",
    "Amendment",
    "AmendmentKind",
    "AmendmentStatus",
    "AmendmentView",
    "Anchor",
    "AnchorState",
    "Article",
    "ArticleChange",
    "ArticleDiff",
    "ArticleId",
    "Ballot",
    "ChangeKind",
    "Choice",
    "Comment",
    "CommentTarget",
    "CommentView",
    "Conflict",
    "ConsensusError",
    "Console",
    "DecisionDefaults",
    "DecisionRule",
    "Declaration",
    "DeclarationDiff",
    "Delegate",
    "DelegateId",
    "DiffOp",
    "Endorsement",
    "Event",
    "ExportFile",
    "ExportFormat",
    "Finding",
    "GroupCommit",
    "Intervention",
    "InvalidInput",
    "InvalidState",
    "Lang",
    "LineWidths",
    "LintFinding",
    "LoadedMeeting",
    "Login",
    "LoginLimits",
    "MarkdownDraft",
    "Meeting",
    "MeetingChanged",
    "MeetingFile",
    "MeetingFileError",
    "MeetingId",
    "MeetingLoaded",
    "MeetingService",
    "MergeConflict",
    "MergeOutcome",
    "MergePreview",
    "NotAuthenticated",
    "NotFound",
    "NotPermitted",
    "OrgId",
    "Organisation",
    "Outcome",
    "Principal",
    "Problem",
    "PublishedBallot",
    "Quote",
    "Receipt",
    "Role",
    "Severity",
    "SignatoryLine",
    "SigningRecord",
    "SpeakerRequest",
    "SpeakersList",
    "SqlStore",
    "StaleTranslation",
    "Tally",
    "TooManyAttempts",
    "Tracking",
    "TranslationIntent",
    "TranslationsConfirmed",
    "Unavailable",
    "VerifyReport",
    "Version",
    "VersionFrozen",
    "VersionPublished",
    "VersionState",
    "VersionSummary",
    "Vote",
    "VoteMode",
    "VoteResult",
    "VoteState",
    "VoteView",
    "__version__",
    "badge_url",
    "compare_declarations",
    "declaration_hash",
    "diff_texts",
    "export_akn",
    "export_akn_all",
    "export_badges",
    "export_bilingual_docx",
    "export_bilingual_pdf",
    "export_docx",
    "export_json",
    "export_markdown",
    "export_parallel_docx",
    "export_parallel_pdf",
    "export_pdf",
    "export_redline_docx",
    "export_votes_pdf",
    "import_akn",
    "import_docx",
    "import_parallel_docx",
    "lines_touched",
    "lint_declaration",
    "number_diff",
    "number_lines",
    "open_service",
    "pair_drafts",
    "parse_markdown_draft",
    "parse_meeting_file",
    "part_texts",
    "read_meeting_file",
    "record_tag",
    "render_html",
    "require_badge_tools",
    "schema_revision",
    "tracking_hash",
    "verify_store",
]


def schema_revision() -> str:
    """The database schema revision this version of consensus-kit needs."""
    from consensus_kit.storage.migrate import head_revision  # noqa: PLC0415 - loads Alembic

    return head_revision()


def open_service(
    url: str,
    *,
    migrate: bool = True,
    login_limits: LoginLimits | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> MeetingService:
    """Open the store at ``url`` (SQLite file path or URL, PostgreSQL URL) and return its service.

    ``clock`` replaces the time of day (a historical meeting replayed with its own dates: every
    event, version and signature is dated by it).

    >>> service = open_service("sqlite:///meeting.db")  # doctest: +SKIP
    """
    from consensus_kit.domain.logins import LOGIN_LIMITS  # noqa: PLC0415
    from consensus_kit.service.context import utc_now  # noqa: PLC0415
    from consensus_kit.service.service import MeetingService  # noqa: PLC0415 - see _EXPORTS
    from consensus_kit.storage.store import SqlStore  # noqa: PLC0415

    store = SqlStore.open(url, migrate=migrate)
    return MeetingService(store, login_limits=login_limits or LOGIN_LIMITS, clock=clock or utc_now)
