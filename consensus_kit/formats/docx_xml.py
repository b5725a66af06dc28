"""Low-level WordprocessingML builders: runs, paragraphs and tables as ``lxml`` elements.

Building elements directly (rather than through python-docx's high-level API) is what lets a
run carry its language's fonts and direction, a run sit inside ``w:ins``/``w:del``, and a
table of hundreds of rows be built in milliseconds.

- East Asian runs get ``w:rFonts w:eastAsia`` (with ``w:hint="eastAsia"``) and
  ``w:lang w:eastAsia``; right-to-left runs ``w:rtl`` and ``w:lang w:bidi``; paragraphs in a
  right-to-left language ``w:bidi``.
- Line feeds become ``w:br`` and tabs ``w:tab``, so ``paragraph.text`` gives the text back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import StyleFactory
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.formats.export_common import (
    is_east_asian,
    is_rtl,
    is_upright,
    label,
    primary,
    word_lang,
)

__all__ = [
    "COMPLEX_FONT",
    "EAST_ASIAN_FONTS",
    "LATIN_FONT",
    "PAGE_TEXT_WIDTH_MM",
    "east_asian_font",
    "fill_run",
    "new_style",
    "paragraph",
    "pending_paragraph",
    "run",
    "run_properties",
    "table",
    "table_row",
    "text_paragraph",
]

EAST_ASIAN_FONTS: dict[str, tuple[str, str]] = {
    "zh": ("Noto Serif CJK SC", "SimSun"),
    "zh-Hant": ("Noto Serif CJK TC", "PMingLiU"),
    "ja": ("Noto Serif CJK JP", "MS Mincho"),
    "ko": ("Noto Serif CJK KR", "Batang"),
}
"""East Asian font per language: the font we name and the alternative Word may substitute."""

LATIN_FONT = ("Times New Roman", "Liberation Serif")
COMPLEX_FONT = ("Noto Naskh Arabic", "Arial")

_TWIPS_PER_MM = 56.7
PAGE_TEXT_WIDTH_MM = 160  # A4 (210 mm) less two 25 mm margins


def east_asian_font(lang: str) -> tuple[str, str]:
    """The East Asian font (and its alternative) for ``lang``; Simplified Chinese otherwise."""
    if primary(lang) == "zh" and ("Hant" in lang or lang.endswith(("-TW", "-HK", "-MO"))):
        return EAST_ASIAN_FONTS["zh-Hant"]
    return EAST_ASIAN_FONTS.get(primary(lang), EAST_ASIAN_FONTS["zh"])


# --- runs and paragraphs ---------------------------------------------------------------------


def run_properties(
    lang: str,
    *,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    size: float | None = None,
) -> etree._Element:
    """``w:rPr`` for a run of text in ``lang`` (children in schema order)."""
    rpr = etree.Element(qn("w:rPr"))
    if style:
        etree.SubElement(rpr, qn("w:rStyle"), {qn("w:val"): style})
    if is_east_asian(lang):
        etree.SubElement(
            rpr,
            qn("w:rFonts"),
            {qn("w:eastAsia"): east_asian_font(lang)[0], qn("w:hint"): "eastAsia"},
        )
    if bold:
        etree.SubElement(rpr, qn("w:b"))
        etree.SubElement(rpr, qn("w:bCs"))
    if is_upright(lang):  # no slanted ideographs or Arabic, whatever the style says
        etree.SubElement(rpr, qn("w:i"), {qn("w:val"): "0"})
        etree.SubElement(rpr, qn("w:iCs"), {qn("w:val"): "0"})
    elif italic:
        etree.SubElement(rpr, qn("w:i"))
        etree.SubElement(rpr, qn("w:iCs"))
    if size:
        half_points = str(round(size * 2))
        etree.SubElement(rpr, qn("w:sz"), {qn("w:val"): half_points})
        etree.SubElement(rpr, qn("w:szCs"), {qn("w:val"): half_points})
    if is_rtl(lang):
        etree.SubElement(rpr, qn("w:rtl"))
    tag = word_lang(lang)
    attrs = {qn("w:val"): tag}
    if is_east_asian(lang):
        attrs[qn("w:eastAsia")] = tag
    if is_rtl(lang):
        attrs[qn("w:bidi")] = tag
    etree.SubElement(rpr, qn("w:lang"), attrs)
    return rpr


def new_style(document: Document, name: str, kind: WD_STYLE_TYPE) -> Any:
    """A style of our own (``CK …``) added to a new document: python-docx's ``add_style``
    without its check that no style bears the name, a scan of the template's ~170 styles for
    each of ours, which a new document (the template and our other styles) never fails.
    Typed as ``add_style`` is: a paragraph or a character style, as ``kind`` says."""
    return StyleFactory(document.styles.element.add_style_of_type(name, kind, False))


_SPECIAL = re.compile(r"(\n|\t)")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# the tags of every run, spelt out once (a document has thousands of runs)
_R, _T, _DEL_TEXT, _BR, _TAB = (qn(f"w:{tag}") for tag in ("r", "t", "delText", "br", "tab"))


def fill_run(run: etree._Element, text: str, *, deleted: bool = False) -> None:
    """Append ``text`` to a ``w:r``: ``w:t`` (``w:delText`` when deleted), ``w:br`` for line
    feeds, ``w:tab`` for tabs."""
    tag = _DEL_TEXT if deleted else _T
    for piece in _SPECIAL.split(text) if "\n" in text or "\t" in text else (text,):
        if piece == "\n":
            etree.SubElement(run, _BR)
        elif piece == "\t":
            etree.SubElement(run, _TAB)
        elif piece:
            etree.SubElement(run, tag, {_XML_SPACE: "preserve"}).text = piece


def run(
    text: str,
    lang: str,
    *,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    size: float | None = None,
    deleted: bool = False,
) -> etree._Element:
    """A ``w:r`` holding ``text`` in ``lang``."""
    # a copy of a run built once per combination (an element's __copy__ copies it whole, as
    # copy.deepcopy does, without its bookkeeping): a document has thousands of runs, one per
    # numbered line and number, and most hold one piece of text
    if text and "\n" not in text and "\t" not in text:
        r = _empty_run(lang, bold, italic, style, size, _DEL_TEXT if deleted else _T).__copy__()
        r[-1].text = text
        return r
    r = _empty_run(lang, bold, italic, style, size, None).__copy__()
    fill_run(r, text, deleted=deleted)
    return r


@functools.lru_cache(maxsize=512)
def _empty_run(
    lang: str, bold: bool, italic: bool, style: str | None, size: float | None, text: str | None
) -> etree._Element:
    """A ``w:r`` with its :func:`run_properties` and, given its tag, an empty ``w:t`` (or
    ``w:delText``) as :func:`fill_run` adds it."""
    r = etree.Element(_R)
    r.append(run_properties(lang, bold=bold, italic=italic, style=style, size=size))
    if text is not None:
        etree.SubElement(r, text, {_XML_SPACE: "preserve"})
    return r


def paragraph(
    lang: str, style: str | None = None, *, center: bool = False, keep_next: bool = False
) -> etree._Element:
    """An empty ``w:p`` in ``style``, right-to-left for right-to-left languages."""
    return _empty_paragraph(lang, style, center, keep_next).__copy__()  # a deep copy


@functools.lru_cache(maxsize=256)
def _empty_paragraph(lang: str, style: str | None, center: bool, keep_next: bool) -> etree._Element:
    p = etree.Element(qn("w:p"))
    ppr = etree.SubElement(p, qn("w:pPr"))
    if style:
        etree.SubElement(ppr, qn("w:pStyle"), {qn("w:val"): style})
    if keep_next:
        etree.SubElement(ppr, qn("w:keepNext"))
    if is_rtl(lang):
        etree.SubElement(ppr, qn("w:bidi"))
    if center:
        etree.SubElement(ppr, qn("w:jc"), {qn("w:val"): "center"})
    return p


def text_paragraph(
    text: str,
    lang: str,
    style: str | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: float | None = None,
) -> etree._Element:
    """A paragraph holding one run of ``text``."""
    p = paragraph(lang, style, center=center)
    p.append(run(text, lang, bold=bold, italic=italic, size=size))
    return p


def pending_paragraph(lang: str, style: str | None = None, prefix: str = "") -> etree._Element:
    """The "[translation pending]" marker, so a missing text is never silently dropped."""
    p = paragraph(lang, style)
    if prefix:
        p.append(run(prefix, lang))
    p.append(run(label(lang, "pending"), lang, style="CKPending"))
    return p


# --- tables and footer -----------------------------------------------------------------------


def twips(mm: float) -> str:
    """Millimetres as twentieths of a point, the unit of table widths."""
    return str(round(mm * _TWIPS_PER_MM))


def table(widths_mm: Sequence[float], *, rtl: bool = False) -> etree._Element:
    """An empty bordered ``w:tbl`` with fixed column widths (rows via :func:`table_row`)."""
    tbl = etree.Element(qn("w:tbl"))
    pr = etree.SubElement(tbl, qn("w:tblPr"))
    etree.SubElement(pr, qn("w:tblStyle"), {qn("w:val"): "TableGrid"})
    if rtl:
        etree.SubElement(pr, qn("w:bidiVisual"))
    etree.SubElement(pr, qn("w:tblW"), {qn("w:w"): twips(sum(widths_mm)), qn("w:type"): "dxa"})
    etree.SubElement(pr, qn("w:tblLayout"), {qn("w:type"): "fixed"})
    etree.SubElement(
        pr,
        qn("w:tblLook"),
        {qn("w:val"): "04A0", qn("w:firstRow"): "1", qn("w:noHBand"): "0", qn("w:noVBand"): "1"},
    )
    grid = etree.SubElement(tbl, qn("w:tblGrid"))
    for width in widths_mm:
        etree.SubElement(grid, qn("w:gridCol"), {qn("w:w"): twips(width)})
    return tbl


def table_row(
    tbl: etree._Element,
    cells: Sequence[Sequence[etree._Element]],
    *,
    header: bool = False,
    shade: bool = False,
    can_split: bool = False,
) -> etree._Element:
    """Append a row: each cell gets the given paragraphs (an empty one when none). A row stays
    whole on one page unless ``can_split`` (then a long row continues on the next page, below
    the repeated header row)."""
    widths = [col.get(qn("w:w")) for col in tbl.find(qn("w:tblGrid"))]
    tr = etree.SubElement(tbl, qn("w:tr"))
    trpr = etree.SubElement(tr, qn("w:trPr"))
    if not can_split:
        etree.SubElement(trpr, qn("w:cantSplit"))
    if header:
        etree.SubElement(trpr, qn("w:tblHeader"))
    for width, content in zip(widths, cells, strict=True):
        tc = etree.SubElement(tr, qn("w:tc"))
        tcpr = etree.SubElement(tc, qn("w:tcPr"))
        etree.SubElement(tcpr, qn("w:tcW"), {qn("w:w"): str(width), qn("w:type"): "dxa"})
        if shade:
            etree.SubElement(
                tcpr,
                qn("w:shd"),
                {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "E7E6E6"},
            )
        tc.extend(content or [etree.Element(qn("w:p"))])
    return tr
