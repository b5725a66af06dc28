"""Shared machinery of the Word exports: fonts and styles, runs, paragraphs, tables, footer.

Everything here writes WordprocessingML through python-docx's low-level XML (``oxml``): the
high-level API cannot express East Asian fonts, right-to-left runs, fields or tracked changes,
and it is slow at building large tables. The rules (see ``shared/pitfalls.md``):

- East Asian text needs ``w:eastAsia`` on ``w:rFonts`` in ``w:docDefaults`` *and* in every style
  that names fonts; the default template's ``*Theme`` font attributes override explicit names,
  so they are removed. Each run carries ``w:lang`` for its language (``w:eastAsia`` for CJK,
  ``w:bidi`` for right-to-left scripts).
- Right-to-left languages (Arabic, Hebrew, Persian, Urdu…) get ``w:bidi`` on paragraphs and
  ``w:rtl`` on runs.
- A4 pages; literal article numbers ("1.", "2."…) rather than Word auto-numbering.

Runs, paragraphs and tables are built in :mod:`.docx_xml`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Meeting, Version
from consensus_kit.formats.docx_package import set_package_metadata
from consensus_kit.formats.docx_xml import (
    COMPLEX_FONT,
    LATIN_FONT,
    east_asian_font,
    new_style,
    paragraph,
    run,
)
from consensus_kit.formats.export_common import is_east_asian, is_rtl, label, word_lang

__all__ = [
    "LANDSCAPE_TEXT_WIDTH_MM",
    "Document",
    "add_footer",
    "add_header_note",
    "append_to_body",
    "new_document",
    "save",
    "set_core_properties",
]

# --- document, styles and fonts --------------------------------------------------------------


def _set_fonts(rfonts: etree._Element, lang: str) -> None:
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    if rfonts.get(qn("w:ascii")) in (None, "Courier"):
        rfonts.set(qn("w:ascii"), LATIN_FONT[0])
        rfonts.set(qn("w:hAnsi"), LATIN_FONT[0])
    rfonts.set(qn("w:eastAsia"), east_asian_font(lang)[0])
    rfonts.set(qn("w:cs"), COMPLEX_FONT[0])


def _font_table(document: Document, lang: str) -> None:
    """Name our fonts, with their alternatives, in ``fontTable.xml``."""
    part = next(
        (r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")),
        None,
    )
    if part is None:  # pragma: no cover - the default template has one
        return
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    fonts = [(LATIN_FONT, "roman", "00"), (COMPLEX_FONT, "roman", "B2")]
    fonts.append((east_asian_font(lang), "roman", "86"))
    for (name, alt), family, charset in fonts:
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): charset})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _doc_defaults(document: Document, lang: str) -> None:
    styles = document.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rfonts = rpr.find(qn("w:rFonts"))
    _set_fonts(rfonts, lang)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = etree.SubElement(rpr, qn("w:lang"))
    lang_el.set(qn("w:val"), word_lang(lang) if not is_east_asian(lang) else "en-US")
    lang_el.set(qn("w:eastAsia"), word_lang(lang) if is_east_asian(lang) else "zh-CN")
    lang_el.set(qn("w:bidi"), word_lang(lang) if is_rtl(lang) else "ar-SA")
    for rfonts in styles.iter(qn("w:rFonts")):
        _set_fonts(rfonts, lang)


def _style(
    document: Document,
    name: str,
    *,
    base: str = "Normal",
    size: float | None = None,
    italic: bool = False,
    bold: bool = False,
    after: float = 6,
    before: float = 0,
    left_mm: float = 0,
    hanging_mm: float = 0,
    center: bool = False,
    character: bool = False,
    grey: bool = False,
    keep_next: bool = False,
    page_break: bool = False,
    rule_below: bool = False,
) -> None:
    kind = WD_STYLE_TYPE.CHARACTER if character else WD_STYLE_TYPE.PARAGRAPH
    style = new_style(document, name, kind)
    font = style.font
    if size:
        font.size = Pt(size)
    font.italic = italic or None
    font.bold = bold or None
    if grey:
        font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    if character:
        return
    style.base_style = document.styles[base]
    fmt = style.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    if left_mm:
        fmt.left_indent = Mm(left_mm)
    if hanging_mm:
        fmt.first_line_indent = Mm(-hanging_mm)
        fmt.tab_stops.add_tab_stop(Mm(left_mm))
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.keep_with_next = keep_next or None
    fmt.page_break_before = page_break or None
    if rule_below:  # a line to sign on: the paragraph's bottom border
        ppr = style.element.get_or_add_pPr()
        borders = etree.Element(qn("w:pBdr"))
        etree.SubElement(
            borders,
            qn("w:bottom"),
            {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "000000"},
        )
        # schema order: w:pBdr comes after w:keepNext … w:numPr and before w:shd, w:tabs, w:spacing
        later = [ppr.find(qn(t)) for t in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")]
        anchor = next((e for e in later if e is not None), None)
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            ppr.append(borders)


def _restyle_builtins(document: Document) -> None:
    black = RGBColor(0, 0, 0)
    for name, size in (("Title", 20), ("Subtitle", 13), ("Heading 1", 13)):
        style = document.styles[name]
        style.font.color.rgb = black
        style.font.size = Pt(size)
        style.font.bold = name != "Subtitle"
        style.font.italic = name == "Subtitle"
        ppr, rpr = style.element.get_or_add_pPr(), style.element.get_or_add_rPr()
        # no rule under the title, no letter-spacing or kerning from the template
        for parent, tag in ((ppr, "w:pBdr"), (rpr, "w:spacing"), (rpr, "w:kern")):
            found = parent.find(qn(tag))
            if found is not None:
                parent.remove(found)
        if name != "Heading 1":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            style.paragraph_format.space_after = Pt(10)
        else:
            style.paragraph_format.space_before = Pt(18)
            style.paragraph_format.space_after = Pt(8)
    # the font color of the theme-coloured headings comes from w:color themeColor attributes
    for color in document.styles.element.iter(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)


def _mirror_complex_scripts(document: Document) -> None:
    """Give complex scripts (Arabic, Hebrew…) the size, bold and italic of the style: Word keeps
    them apart (``w:szCs``, ``w:bCs``, ``w:iCs``) and python-docx sets only the Latin ones."""
    pairs = [(qn(latin), qn(f"{latin}Cs")) for latin in ("w:b", "w:i", "w:sz")]
    val = qn("w:val")  # (the tags spelt out once: the template has ~170 styles)
    for rpr in document.styles.element.iter(qn("w:rPr")):
        for latin, complex_ in pairs:
            old = rpr.find(complex_)
            if old is not None:
                rpr.remove(old)
            element = rpr.find(latin)
            if element is not None:
                mirror = etree.Element(complex_)
                if element.get(val) is not None:
                    mirror.set(val, element.get(val))
                element.addnext(mirror)


LANDSCAPE_TEXT_WIDTH_MM = 267  # A4 across (297 mm) less two 15 mm margins

_COMPACT_SIZES = {3: 10.5, 4: 10.0, 5: 9.5, 6: 9.0}
"""Body type size (points) of a side-by-side document by number of columns: six columns of
44 mm at 9 pt hold about as many characters a line as two of 80 mm at 11 pt."""


def _compact(document: Document, columns: int) -> None:
    """Narrower columns: smaller type and a shorter hanging indent for the article numbers."""
    size = Pt(_COMPACT_SIZES.get(columns, 9.0))
    for name in ("CK Preamble", "CK Article", "CK Article Continued", "CK Dateline"):
        style = document.styles[name]
        style.font.size = size
        style.paragraph_format.space_after = Pt(6)
    # signature blocks, three a row, each naming its organisation in every language
    for name, points, before in (
        ("CK Signature Organisation", 9.0, 8),
        ("CK Signature Text", 8.0, 0),
        ("CK Signature Line", 8.0, 18),
        ("CK Signature Caption", 6.5, 0),
    ):
        style = document.styles[name]
        style.font.size = Pt(points)
        style.paragraph_format.space_before = Pt(before)
    for name in ("CK Article", "CK Article Continued"):
        fmt = document.styles[name].paragraph_format
        fmt.left_indent = Mm(6)
        if name == "CK Article":
            fmt.first_line_indent = Mm(-6)
            fmt.tab_stops.clear_all()
            fmt.tab_stops.add_tab_stop(Mm(6))


def new_document(lang: str, *, columns: int = 1, landscape: bool = False) -> Document:
    """A blank A4 document for ``lang``: fonts for every script, our styles, right-to-left
    sections for right-to-left languages. ``columns`` is the number of languages side by side:
    three or more make a landscape page with smaller type (``landscape``: two, too)."""
    document = docx.Document()
    # Word 2010's duplicate of the styles (with theme fonts); Word 2013+ reads styles.xml
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    _doc_defaults(document, lang)
    _font_table(document, lang)
    _restyle_builtins(document)
    _style(document, "CK Dateline", italic=True, after=18, center=True)
    _style(document, "CK Preamble", after=8)
    _style(document, "CK Article", after=8, left_mm=10, hanging_mm=10)
    _style(document, "CK Article Continued", after=8, left_mm=10)
    _style(document, "CK Table Text", size=9, after=0)
    _style(document, "CK Note", size=9, italic=True, after=6, before=12, grey=True)
    _style(document, "CK Pending", italic=True, grey=True, character=True)
    _signature_styles(document)
    if columns >= 3:
        _compact(document, columns)
    _mirror_complex_scripts(document)
    section = document.sections[0]
    if columns >= 3 or landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(15))
        section.top_margin, section.bottom_margin = Mm(18), Mm(15)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(25))
        section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    if is_rtl(lang):
        sect = section._sectPr
        sect.insert(_sect_index(sect), etree.Element(qn("w:bidi")))
    body = document.element.body
    for p in body.findall(qn("w:p")):  # the template's empty first paragraph
        body.remove(p)
    return document


def _signature_styles(document: Document) -> None:
    """The signature page's styles (:mod:`.docx_signatures`); the Word import stops at them."""
    _style(document, "CK Signature Heading", base="Heading 1", size=13, bold=True, center=True,
           page_break=True, keep_next=True, after=12)  # fmt: skip
    _style(document, "CK Signature Attestation", after=6, center=True, keep_next=True)
    _style(document, "CK Signature Note", size=8, after=14, center=True, grey=True, keep_next=True)
    # a block is one table row that cannot split: its paragraphs need no keep-with-next
    _style(document, "CK Signature Organisation", size=10, bold=True, before=16, after=0)
    _style(document, "CK Signature Text", size=9, after=0)
    _style(document, "CK Signature Line", size=9, before=28, after=0, rule_below=True)
    _style(document, "CK Signature Caption", size=7, after=4, grey=True)
    _style(document, "CK Signature Label", grey=True, character=True)


def _sect_index(sect: etree._Element) -> int:
    # w:bidi comes after w:textDirection and before w:rtlGutter / w:docGrid / w:printerSettings
    for i, child in enumerate(sect):
        if child.tag in (qn("w:rtlGutter"), qn("w:docGrid"), qn("w:printerSettings")):
            return i
    return len(sect)


_PROPERTY_LIMIT = 255
"""python-docx (as Word) holds at most 255 characters in a core property."""


def _fit(text: str) -> str:
    """``text`` cut to a core property's 255 characters, with "…" when cut (six titles side by
    side run past it)."""
    if len(text) <= _PROPERTY_LIMIT:
        return text
    return text[: _PROPERTY_LIMIT - 1].rstrip() + "…"


def set_core_properties(
    document: Document, meeting: Meeting, version: Version, lang: str, title: str
) -> None:
    """Title, language, subject (the meeting), identifier (meeting/version/hash), dates
    (created = the version's creation); then the package's app and custom properties."""
    props = document.core_properties
    created = version.created_at
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    props.title = _fit(title)
    props.language = lang
    props.subject = _fit(
        meeting.title.get(Lang(lang)) or meeting.title.get(meeting.negotiating_language, "")
    )
    props.identifier = f"{meeting.id}/v{version.number}/sha256:{version.content_hash}"
    props.author = "consensus-kit"
    props.last_modified_by = "consensus-kit"
    props.revision = version.number
    props.created = created
    props.modified = created
    props.comments = f"Version {version.number}, sha256 {version.content_hash}"
    props.keywords = f"consensus-kit; {meeting.id}; version {version.number}"
    set_package_metadata(document, meeting, version, lang)


def append_to_body(document: Document, elements: Sequence[etree._Element]) -> None:
    """Append block elements (paragraphs, tables) to the body, before its section properties."""
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    for element in elements:
        if sect is not None:
            sect.addprevious(element)
        else:
            body.append(element)


def save(document: Document) -> bytes:
    """The document as DOCX bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _field(instruction: str, lang: str) -> etree._Element:
    field = etree.Element(qn("w:fldSimple"), {qn("w:instr"): f" {instruction} "})
    field.append(run("1", lang, size=8))
    return field


def add_header_note(document: Document, text: str, lang: str) -> None:
    """A note in the page header: outside the body, so it is not part of the text (accepting
    or rejecting a redline's changes leaves it out)."""
    header = document.sections[0].header
    p = header.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    for child in paragraph(lang, "CKNote"):
        p.append(child)
    p.append(run(text, lang, size=8))


def add_footer(document: Document, version: Version, lang: str) -> None:
    """ "Version N · <12 hex of the hash> · page X of Y" with PAGE and NUMPAGES fields."""
    footer = document.sections[0].footer
    p = footer.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    for child in paragraph(lang, "Footer", center=True):
        p.append(child)
    template = label(lang, "footer", version=version.number, hash=version.content_hash[:12],
                     page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")  # fmt: skip
    for piece in template.split("\x00"):
        if piece in ("PAGE", "NUMPAGES"):
            p.append(_field(piece, lang))
        elif piece:
            p.append(run(piece, lang, size=8))
