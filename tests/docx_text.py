"""Reading our Word exports' text the way a reader sees it: the numbered lines' numbers (runs
in the ``CK Line Number`` style) left out and each article's lines joined back (the join each
line's style names), so tests compare texts; and the numbers themselves, to check them."""

from __future__ import annotations

from collections.abc import Iterable

import docx
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.formats.docx_lines import JOINS

__all__ = ["W", "article_lines", "cell_text", "joined", "number_of", "plain_text", "styled"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_number(r: etree._Element) -> bool:
    style = r.find(f"{W}rPr/{W}rStyle")
    return style is not None and style.get(W + "val") == "CKLineNumber"


def plain_text(p: etree._Element) -> str:
    """A paragraph's text as python-docx reads it, the line numbers left out."""
    parts: list[str] = []
    for r in p.iter(W + "r"):
        if _is_number(r):
            continue
        for el in r:
            if el.tag == W + "t":
                parts.append(el.text or "")
            elif el.tag == W + "tab":
                parts.append("\t")
            elif el.tag in (W + "br", W + "cr"):
                parts.append("\n")
    return "".join(parts)


def number_of(p: etree._Element) -> int | None:
    """The line number a paragraph carries (None: not a numbered line)."""
    for r in p.iter(W + "r"):
        if _is_number(r):
            digits = "".join(t.text or "" for t in r.iter(W + "t"))
            return int(digits) if digits else None
    return None


def joined(paragraphs: Iterable[docx.text.paragraph.Paragraph]) -> list[tuple[str, str]]:
    """(style name, text) of paragraphs, numbered lines joined into their article's one."""
    out: list[tuple[str, str]] = []
    for p in paragraphs:
        style, text = p.style.name, plain_text(p._p)
        if style in JOINS and out:
            out[-1] = (out[-1][0], out[-1][1] + JOINS[style] + text)
        else:
            out.append((style, text))
    return out


def styled(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph of DOCX bytes, lines joined."""
    import io

    return joined(docx.Document(io.BytesIO(data)).paragraphs)


def cell_text(cell: docx.table._Cell) -> str:
    """A table cell's text as python-docx's ``cell.text`` (paragraphs joined by a line feed),
    the numbered lines joined back into their paragraph."""
    return "\n".join(text for _, text in joined(cell.paragraphs))


def article_lines(
    paragraphs: Iterable[docx.text.paragraph.Paragraph],
) -> list[list[tuple[int | None, str]]]:
    """Every article's printed lines: (number, text) per line paragraph, one list an article."""
    articles: list[list[tuple[int | None, str]]] = []
    for p in paragraphs:
        style = p.style.name
        if style == "CK Article":
            articles.append([])
        if style == "CK Article" or style in JOINS:
            articles[-1].append((number_of(p._p), plain_text(p._p)))
    return articles
