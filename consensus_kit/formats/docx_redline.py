"""A redline: the changes between two versions in one language as Word tracked changes.

Insertions are ``w:ins`` and deletions ``w:del`` (with ``w:delText``) around runs, each with a
unique ``w:id``, an author and a date, so Word and LibreOffice show real revisions that can be
accepted or rejected one by one: accept all gives the newer version, reject all the older.

- A changed part (title, subtitle, date line, preamble, an article) shows its word- or
  character-level diff (:func:`~consensus_kit.domain.diff.diff_texts`).
- An inserted article is a whole inserted paragraph (its paragraph mark is marked inserted
  too); a deleted article is a whole deleted paragraph, mark included, so accepting removes it
  without leaving an empty line.
- A moved article shows as deleted at its old place and inserted at its new place.
- Article numbers follow the position: a renumbered article shows "2." deleted, "3." inserted.

Each change is attributed through ``attributions`` (part key → (author, date)), for instance
the sponsor of the amendment that changed the part and the time it was adopted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import TypeAlias

import msgspec
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Article, Declaration, Meeting, Version
from consensus_kit.formats.docx_common import (
    add_footer,
    add_header_note,
    append_to_body,
    new_document,
    save,
    set_core_properties,
)
from consensus_kit.formats.docx_export import Progress
from consensus_kit.formats.docx_xml import fill_run, paragraph, run_properties
from consensus_kit.formats.export_common import check_languages, check_texts, dateline, label

__all__ = ["DEFAULT_AUTHOR", "Attribution", "export_redline_docx"]

DEFAULT_AUTHOR = "consensus-kit"
"""The author of changes no attribution names."""

Attribution = tuple[str, dt.datetime]
"""Who made a change and when: (author, date)."""

_Element: TypeAlias = etree._Element


class _Piece(msgspec.Struct, frozen=True):
    """A run of a diff and the part it belongs to (for its attribution)."""

    op: str
    text: str
    key: str


class _Writer:
    """Writes diff pieces as paragraphs with tracked changes; numbers revisions uniquely."""

    def __init__(self, lang: str, attributions: Mapping[str, Attribution], default: Attribution):
        self.lang = lang
        self.attributions = attributions
        self.default = default
        self.next_id = 1

    def mark(self, kind: str, key: str) -> _Element:
        author, date = self.attributions.get(key, self.default)
        if date.tzinfo is not None:
            date = date.astimezone(dt.UTC)
        element = etree.Element(
            qn(f"w:{kind}"),
            {
                qn("w:id"): str(self.next_id),
                qn("w:author"): author,
                qn("w:date"): date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        )
        self.next_id += 1
        return element

    def _close(self, p: _Element, op: str, key: str) -> None:
        """Mark ``p``'s paragraph mark inserted or deleted (``op`` of the break ending it)."""
        if op == "equal":
            return
        ppr = p.find(qn("w:pPr"))
        rpr = etree.SubElement(ppr, qn("w:rPr"))
        rpr.append(self.mark("ins" if op == "insert" else "del", key))

    def paragraphs(
        self,
        pieces: Sequence[_Piece],
        style: str,
        continued: str,
        *,
        end: tuple[str, str] = ("equal", ""),
        size: float | None = None,
    ) -> list[_Element]:
        """Paragraphs for ``pieces``; a blank line (``\\n\\n``) inside a piece starts a new
        paragraph in style ``continued``, its mark tracked like the piece. ``end`` is the
        (op, key) of the last paragraph's mark."""
        current = paragraph(self.lang, style)
        out = [current]
        for piece in pieces:
            for i, chunk in enumerate(piece.text.split("\n\n")):
                if i:
                    self._close(current, piece.op, piece.key)
                    current = paragraph(self.lang, continued)
                    out.append(current)
                if chunk:
                    current.append(self._run(chunk, piece.op, piece.key, size))
        self._close(current, *end)
        return out

    def _run(self, text: str, op: str, key: str, size: float | None) -> _Element:
        r = etree.Element(qn("w:r"))
        r.append(run_properties(self.lang, size=size))
        fill_run(r, text, deleted=op == "delete")
        if op == "equal":
            return r
        wrapper = self.mark("ins" if op == "insert" else "del", key)
        wrapper.append(r)
        return wrapper


def _text(texts: Mapping[Lang, str], lang: str) -> str:
    return texts.get(Lang(lang)) or label(lang, "pending")


def _diff(old: str, new: str, lang: str, key: str) -> list[_Piece]:
    ops: list[DiffOp] = diff_texts(old, new, lang=lang)
    return [_Piece(o.op, o.text, key) for o in ops]


def _part(
    writer: _Writer,
    old: Mapping[Lang, str],
    new: Mapping[Lang, str],
    key: str,
    style: str,
    continued: str | None = None,
) -> list[_Element]:
    """A title, subtitle or preamble: diffed when both versions have the part, else wholly
    inserted or deleted (nothing when neither has it)."""
    lang = writer.lang
    if not old and not new:
        return []
    if old and new:
        pieces = _diff(_text(old, lang), _text(new, lang), lang, key)
        return writer.paragraphs(pieces, style, continued or style)
    op = "insert" if new else "delete"
    text = _text(new or old, lang)
    return writer.paragraphs([_Piece(op, text, key)], style, continued or style, end=(op, key))


def _article_sequence(
    old: Sequence[Article], new: Sequence[Article]
) -> list[tuple[Article | None, int, Article | None, int]]:
    """(old article, old number, new article, new number) in reading order: kept articles
    paired; the others deleted at their old place or inserted at their new place."""
    old_ids = [a.id for a in old]
    new_ids = [a.id for a in new]
    out: list[tuple[Article | None, int, Article | None, int]] = []
    matcher = SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [
                (old[i], i + 1, new[j], j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        out += [(old[i], i + 1, None, 0) for i in range(i1, i2)]
        out += [(None, 0, new[j], j + 1) for j in range(j1, j2)]
    return out


def _article(
    writer: _Writer,
    old: Article | None,
    old_number: int,
    new: Article | None,
    new_number: int,
) -> list[_Element]:
    lang = writer.lang
    if old is not None and new is not None:
        number: list[_Piece] = [_Piece("equal", f"{new_number}.", "")]
        if old_number != new_number:
            number = [
                _Piece("delete", f"{old_number}.", ""),
                _Piece("insert", f"{new_number}.", ""),
            ]
        text = _diff(_text(old.text, lang), _text(new.text, lang), lang, new.id)
        pieces = [*number, _Piece("equal", "\t", new.id), *text]
        return writer.paragraphs(pieces, "CKArticle", "CKArticleContinued")
    article, number_of, op = (new, new_number, "insert") if new else (old, old_number, "delete")
    assert article is not None
    whole = _Piece(op, f"{number_of}.\t{_text(article.text, lang)}", article.id)
    return writer.paragraphs([whole], "CKArticle", "CKArticleContinued", end=(op, article.id))


def _dateline(writer: _Writer, meeting: Meeting, old: Version, new: Version) -> list[_Element]:
    lang = writer.lang
    before, after = dateline(meeting, old, lang), dateline(meeting, new, lang)
    return writer.paragraphs(_diff(before, after, lang, "date"), "CKDateline", "CKDateline")


def _track_revisions(settings: _Element) -> None:
    """Switch on "track changes" so edits made to the redline are tracked too.

    ``w:trackRevisions`` follows ``w:zoom`` and ``w:proofState`` in the settings of the
    template :func:`~.docx_common.new_document` starts from."""
    anchor = settings.find(qn("w:proofState"))
    if anchor is None:
        anchor = settings.find(qn("w:zoom"))
    element = etree.Element(qn("w:trackRevisions"))
    if anchor is None:
        settings.insert(0, element)
    else:
        anchor.addnext(element)


def export_redline_docx(
    meeting: Meeting,
    old: Version,
    new: Version,
    lang: str,
    attributions: Mapping[str, Attribution] | None = None,
    *,
    progress: Progress | None = None,
) -> bytes:
    """The changes from ``old`` to ``new`` in ``lang`` as a DOCX with tracked changes.

    ``attributions`` maps a part ("title", "subtitle", "preamble", "date" or an article id) to
    the (author, date) its changes are shown with; other changes are by "consensus-kit" at
    ``new.created_at``.

    >>> who = {"art-2": ("Kenya Alliance for Advancement of Children", adopted_at)}
    ... # doctest: +SKIP
    >>> data = export_redline_docx(meeting, v2, v3, "en", who)  # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` for a language the meeting lacks or a
    text XML cannot hold, before anything is written.
    """
    attributions = dict(attributions or {})
    check_languages(meeting, old, [lang])
    check_languages(meeting, new, [lang])
    authors = [(f"attributions[{key!r}]", author) for key, (author, _) in attributions.items()]
    check_texts(meeting, [old.declaration, new.declaration], [lang], extra=authors)
    writer = _Writer(lang, attributions, (DEFAULT_AUTHOR, new.created_at))
    a: Declaration = old.declaration
    b: Declaration = new.declaration
    parts = _part(writer, a.title, b.title, "title", "Title")
    parts += _part(writer, a.subtitle, b.subtitle, "subtitle", "Subtitle")
    parts += _dateline(writer, meeting, old, new)
    parts += _part(writer, a.preamble, b.preamble, "preamble", "CKPreamble")
    sequence = _article_sequence(a.articles, b.articles)
    step: Callable[[int], None] = (
        (lambda done: progress(done, len(sequence))) if progress else (lambda done: None)
    )
    for done, (before, old_number, after, new_number) in enumerate(sequence, start=1):
        parts += _article(writer, before, old_number, after, new_number)
        step(done)
    # a body ends with a paragraph whose mark is not deleted (Word cannot delete the last mark):
    # an empty one, so that a deleted last article still has a paragraph to join
    parts.append(paragraph(lang))
    document = new_document(lang)
    append_to_body(document, parts)
    add_header_note(document, label(lang, "redline", old=old.number, new=new.number), lang)
    add_footer(document, new, lang)
    title = b.title.get(Lang(lang)) or label(lang, "pending")
    set_core_properties(document, meeting, new, lang, title)
    document.core_properties.comments = (
        f"Changes from version {old.number} (sha256 {old.content_hash}) "
        f"to version {new.number} (sha256 {new.content_hash})"
    )
    _track_revisions(document.settings.element)
    return save(document)
