"""Exports of a version: Word (per language, side by side, redline), PDF (per language, side by
side, the record of votes), Markdown, JSON, Akoma Ntoso.

The formats themselves are pure functions in :mod:`consensus_kit.formats`; this module gathers
what they need from the store (the version, the signatory list, the adopted amendments and who
sponsored them) and names the files.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence

import msgspec

from consensus_kit.domain.amendments import Amendment, AmendmentStatus
from consensus_kit.domain.endorsements import SignatoryLine, SigningRecord
from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import Meeting, Version
from consensus_kit.domain.permissions import Principal
from consensus_kit.errors import InvalidInput
from consensus_kit.service.context import Context
from consensus_kit.service.credits import author, changed_parts, changes
from consensus_kit.service.drafting import Drafting
from consensus_kit.service.signing import Signing
from consensus_kit.service.versions import Versions
from consensus_kit.service.voting import Voting

__all__ = ["ExportFile", "ExportFormat", "Exports"]

Progress = Callable[[int, int], None]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


class ExportFormat(enum.StrEnum):
    """The formats a version can be exported to."""

    DOCX = "docx"
    BILINGUAL_DOCX = "bilingual-docx"
    PARALLEL_DOCX = "parallel-docx"
    REDLINE_DOCX = "redline-docx"
    MARKDOWN = "md"
    JSON = "json"
    AKOMA_NTOSO = "akn"
    PDF = "pdf"
    BILINGUAL_PDF = "bilingual-pdf"
    PARALLEL_PDF = "parallel-pdf"
    VOTES_PDF = "votes-pdf"


_WORD = (ExportFormat.DOCX, ExportFormat.BILINGUAL_DOCX, ExportFormat.PARALLEL_DOCX)
_PDFS = (
    ExportFormat.PDF,
    ExportFormat.BILINGUAL_PDF,
    ExportFormat.PARALLEL_PDF,
    ExportFormat.VOTES_PDF,
)


class ExportFile(msgspec.Struct, frozen=True, kw_only=True):
    """One exported document: a file name, its media type and its bytes."""

    filename: str
    media_type: str
    data: bytes


class Exports:
    """Export a version in any format, for anyone who may read it: the texts come from
    ``versions``, the amendments from ``drafting``, the signatory list from ``signing``, the
    record of votes from ``voting``."""

    def __init__(
        self,
        ctx: Context,
        versions: Versions,
        drafting: Drafting,
        signing: Signing,
        voting: Voting,
    ) -> None:
        self._ctx = ctx
        self._versions = versions
        self._drafting = drafting
        self._signing = signing
        self._voting = voting

    def export(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        fmt: ExportFormat | str,
        *,
        langs: Sequence[str] | None = None,
        version: int | None = None,
        from_version: int | None = None,
        progress: Progress | None = None,
        line_numbers: bool = True,
    ) -> list[ExportFile]:
        """Export ``version`` (default: the latest) as ``fmt``.

        ``langs``: the languages (default: all). Side by side (``parallel-docx``, or its
        older name ``bilingual-docx``, whose default is the first two languages) takes two to
        six, in the order given, and so does ``parallel-pdf``; ``bilingual-pdf`` exactly two;
        ``from_version`` is the older side of a redline (default: the version before). The
        PDFs (``pdf``, ``bilingual-pdf``, ``parallel-pdf`` and ``votes-pdf``, the record of
        votes, one per language) need WeasyPrint (``consensus-kit[pdf]``).
        ``line_numbers=False``: Word documents without the numbered lines (articles as plain
        paragraphs).
        """
        try:
            fmt = ExportFormat(fmt)
        except ValueError:
            raise InvalidInput(
                f"{fmt!r} is not a format ({', '.join(f.value for f in ExportFormat)})",
                field="format",
            ) from None
        meeting = self._ctx.read_meeting(meeting_id)
        target = self._versions.version(actor, meeting_id, version)
        chosen = [str(lang) for lang in (langs or meeting.languages)]
        for lang in chosen:
            if lang not in meeting.languages:
                raise InvalidInput(
                    f"{lang!r} is not one of the meeting's languages "
                    f"({', '.join(meeting.languages)})",
                    field="lang",
                )
        lines = self._signing.signatories(actor, meeting_id, target.number)
        stem = f"{meeting.id}-v{target.number}"
        if fmt in _PDFS:
            return self._pdfs(actor, meeting, target, fmt, chosen, lines)
        # each format loads its writer (python-docx, lxml) only when it is asked for: a command
        # that exports Markdown, or reads nothing but a version, does not pay for Word, and one
        # that exports Word does not pay for Akoma Ntoso
        if fmt in _WORD:
            signing = self._signing.signing_record(actor, meeting_id, target.number)
            return self._word(
                fmt, meeting, target, chosen, lines, signing, langs, progress, line_numbers
            )
        if fmt is ExportFormat.REDLINE_DOCX:
            return self._redlines(actor, meeting, target, chosen, from_version, progress)
        from consensus_kit.formats.text_export import export_json, export_markdown  # noqa: PLC0415

        if fmt is ExportFormat.MARKDOWN:
            return [
                ExportFile(
                    filename=f"{stem}.md",
                    media_type="text/markdown; charset=utf-8",
                    data=export_markdown(meeting, target, lines).encode(),
                )
            ]
        if fmt is ExportFormat.JSON:
            return [
                ExportFile(
                    filename=f"{stem}.json",
                    media_type="application/json",
                    data=export_json(meeting, target, lines),
                )
            ]
        from consensus_kit.formats.akoma_ntoso import export_akn  # noqa: PLC0415

        adopted = self._adopted(actor, meeting_id, None, target.number)
        return [
            ExportFile(
                filename=f"{stem}.{lang}.akn.xml",
                media_type="application/xml",
                data=export_akn(
                    meeting,
                    target,
                    lines,
                    [a for a in adopted if changes(a, lang)],
                    lang=lang,
                    generated=self._ctx.clock().date(),  # the service's clock, like every date
                ),
            )
            for lang in chosen
        ]

    def _word(
        self,
        fmt: ExportFormat,
        meeting: Meeting,
        target: Version,
        chosen: list[str],
        lines: list[SignatoryLine],
        signing: list[SigningRecord],
        langs: Sequence[str] | None,
        progress: Progress | None,
        line_numbers: bool,
    ) -> list[ExportFile]:
        """One Word document per language, or one with the languages side by side; ``signing``:
        each time signing was closed or reopened."""
        from consensus_kit.formats.docx_export import (  # noqa: PLC0415
            MAX_PARALLEL,
            export_docx,
            export_parallel_docx,
        )

        stem = f"{meeting.id}-v{target.number}"
        if fmt is ExportFormat.DOCX:
            return [
                ExportFile(
                    filename=f"{stem}.{lang}.docx",
                    media_type=DOCX,
                    data=export_docx(
                        meeting,
                        target,
                        lang,
                        lines,
                        progress=progress,
                        number_lines=line_numbers,
                        signing=signing,
                    ),
                )
                for lang in chosen
            ]
        if fmt is ExportFormat.BILINGUAL_DOCX and not langs:
            chosen = chosen[:2]
        if not 2 <= len(chosen) <= MAX_PARALLEL or len(set(chosen)) != len(chosen):
            raise InvalidInput(
                f"side by side takes two to six different languages, got "
                f"{len(chosen)} ({', '.join(chosen)}): choose them with lang",
                field="lang",
            )
        data = export_parallel_docx(
            meeting,
            target,
            chosen,
            lines,
            progress=progress,
            number_lines=line_numbers,
            signing=signing,
        )
        name = f"{stem}.{'-'.join(chosen)}.docx"
        return [ExportFile(filename=name, media_type=DOCX, data=data)]

    def export_all(
        self, actor: Principal, meeting_id: MeetingId, version: int | None = None
    ) -> list[ExportFile]:
        """Every format in every language (side by side: the first two languages, and every
        language when the meeting has three to six)."""
        meeting = self._ctx.read_meeting(meeting_id)
        number = self._versions.version(actor, meeting_id, version).number
        files: list[ExportFile] = []
        for fmt in ExportFormat:
            if fmt in _PDFS:  # printed on request: they need WeasyPrint and take the longest
                continue
            if fmt is ExportFormat.BILINGUAL_DOCX and len(meeting.languages) < 2:
                continue
            if fmt is ExportFormat.PARALLEL_DOCX and not 3 <= len(meeting.languages) <= 6:
                continue
            if fmt is ExportFormat.REDLINE_DOCX and number == 1:
                continue
            langs = meeting.languages[:2] if fmt is ExportFormat.BILINGUAL_DOCX else None
            files += self.export(actor, meeting_id, fmt, langs=langs, version=number)
        return files

    def _pdfs(
        self,
        actor: Principal,
        meeting: Meeting,
        target: Version,
        fmt: ExportFormat,
        langs: list[str],
        lines: list[SignatoryLine],
    ) -> list[ExportFile]:
        from consensus_kit.formats.pdf_common import require_pdf_tools  # noqa: PLC0415
        from consensus_kit.formats.pdf_export import (  # noqa: PLC0415
            MAX_PARALLEL,
            export_bilingual_pdf,
            export_parallel_pdf,
            export_pdf,
        )
        from consensus_kit.formats.pdf_votes import export_votes_pdf  # noqa: PLC0415

        stem = f"{meeting.id}-v{target.number}"
        if fmt is ExportFormat.BILINGUAL_PDF and len(langs) != 2:
            raise InvalidInput("a bilingual document takes exactly two languages", field="lang")
        if fmt is ExportFormat.PARALLEL_PDF and (
            not 2 <= len(langs) <= MAX_PARALLEL or len(set(langs)) != len(langs)
        ):
            raise InvalidInput(
                f"side by side takes two to six different languages, got {len(langs)} "
                f"({', '.join(langs)}): choose them with lang",
                field="lang",
            )
        require_pdf_tools()
        if fmt is ExportFormat.PARALLEL_PDF:
            data = export_parallel_pdf(meeting, target, langs, lines)
            return [ExportFile(filename=f"{stem}.{'-'.join(langs)}.pdf", media_type=PDF, data=data)]
        if fmt is ExportFormat.BILINGUAL_PDF:
            a, b = langs
            data = export_bilingual_pdf(meeting, target, a, b, lines)
            return [ExportFile(filename=f"{stem}.{a}-{b}.pdf", media_type=PDF, data=data)]
        if fmt is ExportFormat.PDF:
            return [
                ExportFile(
                    filename=f"{stem}.{lang}.pdf",
                    media_type=PDF,
                    data=export_pdf(meeting, target, lang, lines),
                )
                for lang in langs
            ]
        views = [
            self._voting.vote(actor, meeting.id, v.number)
            for v in self._voting.votes(actor, meeting.id)
        ]
        return [
            ExportFile(
                filename=f"{meeting.id}-votes.{lang}.pdf",
                media_type=PDF,
                data=export_votes_pdf(meeting, views, lang),
            )
            for lang in langs
        ]

    def _adopted(
        self, actor: Principal, meeting_id: MeetingId, after: int | None, upto: int
    ) -> list[Amendment]:
        return [
            view.amendment
            for view in self._drafting.amendments(actor, meeting_id)
            if view.amendment.status is AmendmentStatus.ADOPTED
            and view.amendment.adopted_in is not None
            and (after or 0) < view.amendment.adopted_in <= upto
        ]

    def _redlines(
        self,
        actor: Principal,
        meeting: Meeting,
        new: Version,
        langs: list[str],
        from_version: int | None,
        progress: Progress | None,
    ) -> list[ExportFile]:
        from consensus_kit.formats.docx_redline import export_redline_docx  # noqa: PLC0415

        old_number = from_version if from_version is not None else (new.parent or new.number)
        if old_number >= new.number:
            raise InvalidInput(
                f"the older version ({old_number}) must come before version {new.number}",
                field="from_version",
            )
        old = self._versions.version(actor, meeting.id, old_number)
        attributions = self._attributions(actor, meeting, old_number, new.number)
        return [
            ExportFile(
                filename=f"{meeting.id}-v{old.number}-v{new.number}.{lang}.redline.docx",
                media_type=DOCX,
                data=export_redline_docx(
                    meeting, old, new, lang, attributions.get(lang, {}), progress=progress
                ),
            )
            for lang in langs
        ]

    def _attributions(
        self, actor: Principal, meeting: Meeting, old: int, new: int
    ) -> dict[str, dict[str, tuple[str, dt.datetime]]]:
        """Language → part → (author, time) of the last change to that part's words in that
        language between versions ``old`` and ``new``: the sponsor of the adopted amendment
        that changed them (named in that language), otherwise whoever made the version (the
        secretariat correcting a translation, the chair publishing a text)."""
        adopted = {a.adopted_in: a for a in self._adopted(actor, meeting.id, old, new)}
        found: dict[str, dict[str, tuple[str, dt.datetime]]] = {
            lang: {} for lang in meeting.languages
        }
        first, *later = self._versions.span(actor, meeting.id, old, new)
        before = first.declaration
        for version in later:
            amendment = adopted.get(version.number)
            for lang in meeting.languages:
                credited = author(meeting, version, amendment, lang)
                for part in changed_parts(before, version.declaration, lang):
                    found[lang][part] = (credited, version.created_at)
            before = version.declaration
        return found
