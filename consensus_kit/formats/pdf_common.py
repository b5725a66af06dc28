"""What every PDF of consensus-kit shares: the page, the fonts, numbered lines, the printer.

PDFs are laid out as HTML and printed by WeasyPrint, which shapes every script through Pango
and HarfBuzz with the system's fonts: Chinese and Japanese in Noto CJK (chosen by the ``lang``
attribute, so a Han character takes the Chinese or the Japanese form as it should), Arabic and
Hebrew right to left (``dir="rtl"``: the line numbers move to the right-hand margin). WeasyPrint
is imported only when a PDF is printed; without it, :func:`require_pdf_tools` says what to
install. (``bench/bench_pdf.py`` measured it against LibreOffice converting our Word export.)
"""

from __future__ import annotations

import html

from consensus_kit.domain.lines import number_lines
from consensus_kit.domain.model import LineWidths, Version
from consensus_kit.errors import Unavailable
from consensus_kit.formats.export_common import is_rtl, label, primary

__all__ = [
    "GUTTER_MM",
    "MIN_LINE_PT",
    "document",
    "lang_attrs",
    "line_size",
    "numbered",
    "require_pdf_tools",
    "write_pdf",
]

GUTTER_MM = 10.5
"""The width of the line numbers' column (8 mm and its padding)."""
MIN_LINE_PT = 7.0
"""The smallest type a numbered line is printed in: narrower columns wrap a numbered line
under its own number (a hanging indent) instead of shrinking it further."""
_LATIN_EM = 0.52  # a generous average advance of a Latin character in Noto Serif, in em
_CJK_EM = 1.04  # a full-width character, with room for rounding

_SERIF = '"Noto Serif", "Liberation Serif", "DejaVu Serif", serif'
_CSS = """
@page { size: PAGE; margin: 20mm 18mm 22mm;
  @bottom-center { content: FOOTER; font: 8pt SANS; color: #555; } }
html { font: 10.5pt/1.45 SERIF; color: #111; }
[lang] { font-family: SERIF; }
:lang(zh), :lang(zh-Hans) { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; }
:lang(zh-Hant) { font-family: "Noto Serif CJK TC", "Noto Sans CJK TC", serif; }
:lang(ja) { font-family: "Noto Serif CJK JP", "Noto Sans CJK JP", serif; }
:lang(ko) { font-family: "Noto Serif CJK KR", "Noto Sans CJK KR", serif; }
:lang(ar), :lang(fa), :lang(ur) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", serif; }
:lang(he) { font-family: "Noto Serif Hebrew", "Noto Sans Hebrew", serif; }
h1 { font-size: 16pt; line-height: 1.25; margin: 0 0 2mm; text-align: center; }
.subtitle { font-size: 12pt; text-align: center; margin: 0 0 2mm; }
.dateline { text-align: center; color: #333; margin: 0 0 6mm; }
.preamble { margin: 0 0 4mm; white-space: pre-wrap; font-size: LINE_SIZE; }
.article { margin: 0 0 3.5mm; }
.art-no { font-weight: bold; margin: 0 0 1mm; }
table.lines { border-collapse: collapse; width: 100%; }
table.lines td { padding: 0; vertical-align: baseline; }
table.lines td.lt { white-space: pre; font-size: LINE_SIZE; line-height: 1.5; }
table.lines td.ln { width: 8mm; padding-inline-end: 2.5mm; text-align: end; color: #777;
  font: 7.5pt SANS; font-variant-numeric: tabular-nums; }
table.lines tr { break-inside: avoid; }
.pending { color: #8a5a00; font-style: italic; }
table.parallel { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.parallel > thead th { font: bold 9pt SANS; border-bottom: 0.4mm solid #1a4d80;
  padding: 1mm 2mm; text-align: start; }
table.parallel > tbody > tr > td { width: 50%; vertical-align: top; padding: 1.5mm 2mm;
  border-bottom: 0.2mm solid #ddd; }
.signatures { break-before: page; }
.signatures h2, .votes h2 { font-size: 14pt; margin: 0 0 3mm; }
.attest { margin: 0 0 2mm; }
.bound { font: 8pt SANS; color: #444; margin: 0 0 6mm; overflow-wrap: anywhere; }
.block { width: 48%; margin: 0 2% 7mm 0; break-inside: avoid; display: inline-block;
  vertical-align: top; }
.block .org { font-weight: bold; }
.block .sign { border-bottom: 0.3mm solid #111; height: 12mm; margin: 2mm 0 1mm; }
.block .caption, .block .field { font-size: 9pt; color: #333; }
.vote { break-inside: avoid; margin: 0 0 6mm; border-top: 0.3mm solid #1a4d80; padding-top: 2mm; }
.vote h3 { font-size: 11.5pt; margin: 0 0 1.5mm; }
.vote dl { margin: 0; }
.vote dt { font: bold 8.5pt SANS; color: #333; float: left; clear: left; width: 32mm; }
.vote dd { margin: 0 0 0.8mm 34mm; }
.vote table.roll { border-collapse: collapse; margin-top: 1.5mm; font-size: 9.5pt; }
.vote table.roll td, .vote table.roll th { border: 0.2mm solid #bbb; padding: 0.6mm 2mm;
  text-align: start; }
""".replace("SANS", '"Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif').replace(
    "SERIF", _SERIF
)


def require_pdf_tools() -> None:
    """Raise :class:`~consensus_kit.errors.Unavailable` unless WeasyPrint (with the Pango
    library) can be used to print a PDF."""
    try:
        import weasyprint  # noqa: F401, PLC0415 - optional: the 'pdf' extra
    except (ImportError, OSError) as exc:
        raise Unavailable(
            "PDF exports need WeasyPrint (with the Pango library): "
            f"pip install 'consensus-kit[pdf]' ({exc})"
        ) from None


def line_size(widths: LineWidths, column_mm: float) -> float:
    """The font size (pt) at which a numbered line of the meeting's widths fits in
    ``column_mm``, so each numbered line prints as one line (at most 10.5 pt)."""
    room = (column_mm - GUTTER_MM) / 25.4 * 72
    size = min(10.5, room / (widths.latin * _LATIN_EM), room / (widths.cjk * _CJK_EM))
    return float(int(size * 10) / 10)


def lang_attrs(lang: str) -> str:
    """``lang`` and ``dir`` attributes for an element holding text in ``lang``."""
    direction = "rtl" if is_rtl(lang) else "ltr"
    return f'lang="{html.escape(lang)}" dir="{direction}"'


def numbered(text: str, lang: str, widths: LineWidths) -> str:
    """A text as its numbered lines (the library's lines: the same numbers as on the pages)."""
    rows = "".join(
        f'<tr><td class="ln">{line.number}</td><td class="lt">{html.escape(line.text)}</td></tr>'
        for line in number_lines(text, lang, widths)
    )
    return f'<table class="lines">{rows}</table>'


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _footer(version: Version, lang: str) -> str:
    """The footer as CSS ``content``: "Version N · <hash> · page X of Y" in ``lang``."""
    words = label(
        lang,
        "footer",
        version=version.number,
        hash=version.content_hash[:12],
        page="\0",
        pages="\1",
    )
    head, rest = words.split("\0")
    middle, tail = rest.split("\1")
    return (
        f"{_css_string(head)} counter(page) {_css_string(middle)} counter(pages) "
        f"{_css_string(tail)}"
    )


def document(
    body: str,
    *,
    lang: str,
    title: str,
    version: Version | None,
    landscape: bool = False,
    line_pt: float = 10.5,
    columns: int = 1,
) -> str:
    """A whole HTML document for WeasyPrint: the page (A4, upright or ``landscape``), the
    fonts, the footer, numbered lines at ``line_pt``, and ``body``.

    ``line_pt`` below :data:`MIN_LINE_PT` is raised to it, and a numbered line then wraps in
    its column, under its own number. ``columns`` (three to six side by side) narrows the
    headings and shares the page's width evenly between the columns."""
    footer = _footer(version, lang) if version is not None else '""'
    wrap = line_pt < MIN_LINE_PT
    css = (
        _CSS.replace("FOOTER", footer)
        .replace("PAGE", "A4 landscape" if landscape else "A4")
        .replace("LINE_SIZE", f"{max(line_pt, MIN_LINE_PT)}pt")
    )
    if wrap:  # the line's cell is beside its number's, so a wrapped line hangs under its text
        css += "table.lines td.lt { white-space: pre-wrap; overflow-wrap: anywhere; }\n"
    if columns > 2:
        css += (
            f"table.parallel > tbody > tr > td {{ width: {100 / columns:.4f}%; }}\n"
            "h1 { font-size: 12pt; } .subtitle { font-size: 10pt; }\n"
            "table.parallel > thead th { font-size: 8pt; }\n"
        )
    return (
        f"<!DOCTYPE html><html {lang_attrs(lang)}><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{css}</style></head>"
        f'<body class="lang-{html.escape(primary(lang))}">{body}</body></html>'
    )


def write_pdf(markup: str) -> bytes:
    """Print an HTML document to PDF bytes with WeasyPrint."""
    require_pdf_tools()
    from weasyprint import HTML  # noqa: PLC0415 - heavy, and only PDFs need it

    pdf: bytes = HTML(string=markup).write_pdf()
    return pdf
