"""The signature page of a Word export: what makes a frozen text look like a signed declaration.

On a new page: the heading ("Signatures" / "签署"), the attestation — where and when the text
was adopted, in each language's words and date style ("Adopted by consensus at Beijing, China,
on 23 March 2018." / "2018年3月23日于中国北京协商一致通过。") and "In witness whereof…" —, the
version and content hash the signatures are bound to, then one block per endorsing
organisation, two blocks side by side:

    1. Shaishav
    India
    ____________________________
    Signature
    Name: …   Title: …   Date of signature: 23 March 2018

Every block is one table row that cannot split across pages; the heading and the attestation
keep with the first row, so nothing is stranded at the foot of a page.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from typing import TypeAlias

from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.endorsements import SignatoryLine, SigningRecord
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import DecisionRule, Meeting, Version, VersionState
from consensus_kit.formats.docx_xml import PAGE_TEXT_WIDTH_MM, paragraph, run, table, table_row
from consensus_kit.formats.export_common import (
    adoption_date,
    guess_lang,
    is_east_asian,
    is_rtl,
    label,
    long_date,
)

__all__ = ["adoption_date", "attestation", "signature_page"]

_Element: TypeAlias = etree._Element


def attestation(meeting: Meeting, version: Version, lang: str) -> str:
    """ "Adopted by consensus at <place>, on <date>." in ``lang`` (the place as the meeting file
    names it in ``lang``, the date in ``lang``'s style)."""
    place = meeting.place.get(Lang(lang)) or meeting.place.get(meeting.negotiating_language, "")
    day = long_date(adoption_date(meeting, version), lang)
    key = "adopted_consensus" if meeting.decision.rule is DecisionRule.CONSENSUS else "adopted"
    return label(lang, key, place=place, date=day)


def _distinct(values: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for text, lang in values:
        if text and text not in seen:
            seen[text] = lang
    return list(seen.items())


def _labelled(
    langs: Sequence[str], key: str, values: Sequence[tuple[str, str]], *, bold: bool = False
) -> _Element:
    """ "Name / 姓名: value / 值": the label in each language, then the distinct values."""
    p = paragraph(langs[0], "CKSignatureText")
    labels = _distinct([(label(lg, key), lg) for lg in langs])
    for i, (text, lang) in enumerate(labels):
        if i:
            p.append(run(" / ", lang))
        p.append(run(text, lang, style="CKSignatureLabel"))
    colon = "：" if all(is_east_asian(lang) for _, lang in labels) else ": "
    if len({is_rtl(lang) for _, lang in labels}) > 1:
        # the paragraph's own direction mark after the colon: otherwise the digits of "23 March
        # 2018" follow the Arabic label before them and are drawn on its side
        colon += "\u200f" if is_rtl(langs[0]) else "\u200e"
    p.append(run(colon, labels[-1][1], style="CKSignatureLabel"))
    for i, (text, lang) in enumerate(_distinct(values)):
        if i:  # one value per line: "23 March 2018" never wraps into "2018年3月23日"
            p.append(run("\n", lang))
        p.append(run(text, lang, bold=bold))
    return p


def _fallback_name(line: SignatoryLine, negotiating: str) -> str:
    for candidate in (negotiating, *line.names):
        if name := line.names.get(Lang(candidate)):
            return name
    return str(line.organisation)


def _block(
    number: int, line: SignatoryLine, langs: Sequence[str], negotiating: str
) -> list[_Element]:
    first = langs[0]
    names: list[tuple[str, str]] = []
    for lang in langs:
        if name := line.names.get(Lang(lang)):
            names.append((name, lang))
        else:
            name = _fallback_name(line, negotiating)
            names.append((name, guess_lang(name, lang)))
    head = paragraph(first, "CKSignatureOrganisation")
    for i, (name, lang) in enumerate(_distinct(names)):
        if i:
            head.append(run("\n", lang))
        head.append(run(f"{number}. {name}" if i == 0 else name, lang, bold=True))
    out = [head]
    if line.country or line.country_names:
        country = paragraph(first, "CKSignatureText")
        for i, (name, lang) in enumerate(_distinct([(line.country_in(lg), lg) for lg in langs])):
            if i:
                country.append(run(" / ", lang))
            country.append(run(name, lang))
        out.append(country)
    out.append(paragraph(first, "CKSignatureLine"))  # the line to sign on (a bottom border)
    caption = paragraph(first, "CKSignatureCaption")
    for i, (text, lang) in enumerate(_distinct([(label(lg, "signature"), lg) for lg in langs])):
        if i:
            caption.append(run(" / ", lang))
        caption.append(run(text, lang))
    out.append(caption)
    out.append(_labelled(langs, "name", [(line.signer, guess_lang(line.signer, first))]))
    if line.signer_title:
        title_lang = guess_lang(line.signer_title, first)
        out.append(_labelled(langs, "title", [(line.signer_title, title_lang)]))
    day = line.signed_at.date()
    out.append(_labelled(langs, "signed_on", [(long_date(day, lg), lg) for lg in langs]))
    return out


def _local_day(meeting: Meeting, at: dt.datetime) -> dt.date:
    """The day of ``at`` where the meeting is held (its time zone; UTC if unknown)."""
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(meeting.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return at.astimezone(zone).date()


def _borderless(tbl: _Element) -> _Element:
    pr = tbl.find(qn("w:tblPr"))
    borders = etree.Element(qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        etree.SubElement(borders, qn(f"w:{side}"), {qn("w:val"): "nil"})
    pr.find(qn("w:tblW")).addnext(borders)
    return tbl


def signature_page(
    meeting: Meeting,
    version: Version,
    signatories: Sequence[SignatoryLine],
    langs: Sequence[str],
    progress: Callable[[], None] | None = None,
    *,
    width_mm: float = PAGE_TEXT_WIDTH_MM,
    record: Sequence[SigningRecord] = (),
) -> list[_Element]:
    """The signature page in ``langs`` (one language, or several side by side): heading,
    attestation (only for a frozen version: "adopted" must be true), the version and hash the
    signatures are bound to, each time signing was closed or reopened (``record``), and one
    block per endorsement (two a row; three on a landscape page, ``width_mm`` over 200)."""
    first = langs[0]
    heading = paragraph(first, "CKSignatureHeading")
    for i, (text, lang) in enumerate(_distinct([(label(lg, "signatures"), lg) for lg in langs])):
        if i:
            heading.append(run(" / ", lang))
        heading.append(run(text, lang))  # each language's word tagged with its language
    out = [heading]
    if version.state is VersionState.FROZEN:
        for lang in langs:
            p = paragraph(lang, "CKSignatureAttestation")
            p.append(run(attestation(meeting, version, lang), lang))
            out.append(p)
        for lang in langs:
            p = paragraph(lang, "CKSignatureAttestation")
            p.append(run(label(lang, "witness"), lang))
            out.append(p)
    for lang in langs:
        p = paragraph(lang, "CKSignatureNote")
        p.append(run(label(lang, "bound", version=version.number, hash=version.content_hash), lang))
        out.append(p)
    for change in record:
        day = _local_day(meeting, change.at)
        for lang in langs:
            p = paragraph(lang, "CKSignatureNote")
            if change.kind == "closed":
                text = label(
                    lang, "signing_closed", date=long_date(day, lang), count=change.endorsements
                )
            else:
                text = label(
                    lang, "signing_reopened", date=long_date(day, lang), reason=change.reason
                )
            p.append(run(text, lang))
            out.append(p)
    if not signatories:
        for lang in langs:
            p = paragraph(lang, "CKSignatureAttestation")
            p.append(run(label(lang, "none_yet"), lang))
            out.append(p)
        return out
    across = 3 if width_mm > 200 else 2
    tbl = _borderless(table([width_mm / across] * across, rtl=is_rtl(first)))
    blocks: list[list[_Element]] = []
    for number, line in enumerate(signatories, start=1):
        blocks.append(_block(number, line, langs, meeting.negotiating_language))
        if progress:
            progress()
    for i in range(0, len(blocks), across):
        row = blocks[i : i + across]
        table_row(tbl, row + [[]] * (across - len(row)))
    return [*out, tbl]
