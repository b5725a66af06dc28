"""Numbered lines in the Word exports: each article printed along the library's lines
(:func:`~consensus_kit.domain.lines.number_lines`), the number in a narrow left gutter.

Why not Word's own line numbering (``w:lnNumType``): it numbers the lines *Word* wraps, which
depend on the fonts and the program (Word and LibreOffice disagree), so its numbers are not the
ones on the pages, the projector and the PDF; and it numbers nothing inside a table cell, so the
side-by-side document (a table) would print none.

Layout: one paragraph per numbered line, with a hanging indent — the number (a small grey run
in the character style ``CK Line Number``) sits at the left edge, the article number "N." in
the first line at the gutter's tab, the text from the indent on. Should Word still have to wrap
one of our lines (a narrow side-by-side column), the rest goes under the text, never under the
numbers, and the number still marks where the line starts. Every line is numbered (as on the
pages and the PDF: a delegate reads "line 12" where it is printed, without counting).

The text is kept exactly: every paragraph holds its line's characters; the style of the next
line says what stood between them — ``CK Article Line``: one space (where a spaced script
wrapped; not written at the end of the line, where LibreOffice drops it when it saves),
``CK Article Line Unspaced``: nothing (Chinese, a cut word; other wrapping whitespace stays at
the end of the line), ``CK Article New Line``: a line break of the text. The Word import
(:mod:`.docx_import`) drops the numbers and joins the lines back into the article's text.
"""

from __future__ import annotations

import functools

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.lines import number_lines
from consensus_kit.domain.model import LineWidths
from consensus_kit.domain.tokens import is_unspaced_lang
from consensus_kit.formats.docx_xml import new_style, paragraph, run

__all__ = [
    "JOINS",
    "LINE_NUMBER_STYLE",
    "LINE_STYLES",
    "NEW_LINE_STYLE",
    "UNSPACED_LINE_STYLE",
    "WRAPPED_LINE_STYLE",
    "add_line_styles",
    "fitted_size",
    "numbered_article",
]

LINE_NUMBER_STYLE = "CK Line Number"
"""The character style of a line number (and the tabs after it): not part of the text."""
WRAPPED_LINE_STYLE = "CK Article Line"
"""A numbered line continuing the line before, which wrapped at one space."""
UNSPACED_LINE_STYLE = "CK Article Line Unspaced"
"""A numbered line continuing the line before with nothing between (Chinese, Japanese…; a
word cut; or wrapping whitespace other than one space, kept at the end of the line before)."""
NEW_LINE_STYLE = "CK Article New Line"
"""A numbered line after a line break of the text."""
LINE_STYLES = (WRAPPED_LINE_STYLE, UNSPACED_LINE_STYLE, NEW_LINE_STYLE)
JOINS = {WRAPPED_LINE_STYLE: " ", UNSPACED_LINE_STYLE: "", NEW_LINE_STYLE: "\n"}
"""What joins a line in each style to the line before, giving the text back."""

_GUTTER_MM = {1: 7.0, 2: 7.0}  # the number's room, by columns side by side (else 6)
_NUMBER_MM = {1: 10.0, 2: 10.0}  # the article number's room (else 6)
_LATIN_EM = 0.47  # average advance of a Latin character in Times New Roman, in em
_CJK_EM = 1.02  # a full-width character, with room for rounding
_CELL_MARGINS_MM = 4  # a table cell's left and right margins (Word's default 1.9 mm each)
_AFTER_PT = 8  # space after an article (its last line)


def _gutter(columns: int) -> tuple[float, float]:
    """(where the article number starts, where the text starts), in mm from the cell edge."""
    gutter = _GUTTER_MM.get(columns, 6.0)
    return gutter, gutter + _NUMBER_MM.get(columns, 6.0)


def fitted_size(lang: str, widths: LineWidths, column_mm: float, columns: int = 1) -> float:
    """The type size (pt, at most 11) at which one of ``lang``'s numbered lines fits beside
    the gutter in a ``column_mm`` wide column (of ``columns`` side by side), so each numbered
    line prints as one line."""
    room = (column_mm - _gutter(columns)[1] - _CELL_MARGINS_MM * (columns > 1)) / 25.4 * 72
    if is_unspaced_lang(lang):
        size = room / (widths.cjk * _CJK_EM)
    else:
        size = room / (widths.latin * _LATIN_EM)
    return float(min(11.0, int(size * 10) / 10))


def add_line_styles(
    document: Document, *, columns: int, size: float | None, base: str = "CK Article"
) -> None:
    """The numbered lines' styles: ``CK Article`` turned into the first line (hanging indent
    over the gutter), the two continuation styles like it, and the grey number style.
    ``size``: the text's size (None: the article style's)."""
    number_at, text_at = _gutter(columns)
    styles = document.styles
    article = styles[base]
    for name in (base, *LINE_STYLES):
        style = article if name == base else new_style(document, name, WD_STYLE_TYPE.PARAGRAPH)
        if name != base:
            style.base_style = article
        fmt = style.paragraph_format
        fmt.left_indent = Mm(text_at)
        fmt.first_line_indent = Mm(-text_at)
        fmt.space_after = Pt(0)
        fmt.space_before = Pt(0)
        fmt.tab_stops.clear_all()
        fmt.tab_stops.add_tab_stop(Mm(number_at))
        fmt.tab_stops.add_tab_stop(Mm(text_at))
        if size is not None:
            style.font.size = Pt(size)
            _mirror_size(style.element)
    number = new_style(document, LINE_NUMBER_STYLE, WD_STYLE_TYPE.CHARACTER)
    number.font.size = Pt(7.5)
    number.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    number.font.bold = False
    number.font.italic = False
    _mirror_size(number.element)


def _mirror_size(style: etree._Element) -> None:
    """``w:szCs`` as ``w:sz`` (complex scripts have their own size)."""
    rpr = style.find(qn("w:rPr"))
    if rpr is None:
        return
    size = rpr.find(qn("w:sz"))
    old = rpr.find(qn("w:szCs"))
    if old is not None:
        rpr.remove(old)
    if size is not None:
        mirror = etree.Element(qn("w:szCs"), {qn("w:val"): size.get(qn("w:val"))})
        size.addnext(mirror)


def _style_id(name: str) -> str:
    return name.replace(" ", "")


def _number_run(number: int, lang: str, tabs: int) -> etree._Element:
    """The number and the tabs to the text column, in the line-number style. In the writing
    direction of ``lang`` (right to left: the gutter is on the right)."""
    return _cached_number_run(number, lang, tabs).__copy__()  # a deep copy


@functools.lru_cache(maxsize=4096)
def _cached_number_run(number: int, lang: str, tabs: int) -> etree._Element:
    return run(f"{number}" + "\t" * tabs, lang, style=_style_id(LINE_NUMBER_STYLE))


def numbered_article(text: str, number: int, lang: str, widths: LineWidths) -> list[etree._Element]:
    """An article as its numbered lines: a paragraph each; the first in ``CK Article`` with
    "N." at the gutter's tab. The texts of the paragraphs (numbers left out) joined as their
    styles say give ``text`` back exactly."""
    out: list[etree._Element] = []
    join = ""
    for line in number_lines(text, lang, widths):
        segment = text[line.start : line.end]
        if not out:
            p = paragraph(lang, _style_id("CK Article"))
            p.append(_number_run(line.number, lang, 1))
            p.append(run(f"{number}.\t", lang))
        else:
            style = next(name for name, between in JOINS.items() if between == join)
            p = paragraph(lang, _style_id(style))
            p.append(_number_run(line.number, lang, 2))
        join = ""
        if segment.endswith("\n"):
            segment, join = segment[:-1], "\n"
        elif segment.endswith(" ") and not segment.endswith("  ") and line.end < len(text):
            segment, join = segment[:-1], " "
        if segment:
            p.append(run(segment, lang))
        out.append(p)
    if not out:  # an empty text: the article number alone
        p = paragraph(lang, _style_id("CK Article"))
        p.append(run(f"{number}.\t", lang))
        out.append(p)
    last = out[-1].find(qn("w:pPr"))
    spacing = etree.Element(qn("w:spacing"), {qn("w:after"): str(_AFTER_PT * 20)})
    # schema order: w:spacing after w:pStyle, w:keepNext…, w:bidi; before w:ind, w:jc
    jc = last.find(qn("w:jc"))
    if jc is not None:
        jc.addprevious(spacing)
    else:
        last.append(spacing)
    return out
