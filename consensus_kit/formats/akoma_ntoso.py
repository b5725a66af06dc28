"""Akoma Ntoso 3.0 (OASIS LegalDocML) export and import of a declaration.

Akoma Ntoso gives each language version of a text its own document: one FRBR *expression* per
language, all of the same FRBR *work*. So :func:`export_akn` writes one
``<akomaNtoso><statement name="declaration">`` per language and :func:`export_akn_all` all of
them (language → bytes); each carries the same ``FRBRWork`` (``FRBRthis``/``FRBRuri``) and its
own ``FRBRExpression`` with ``FRBRlanguage`` (ISO 639-2: ``eng``, ``zho``…).
:func:`import_akn` reads one or more of them back into one declaration.

- **Articles** are ``<article eId="art_1" wId="art-1">``: the ``eId`` follows the naming
  convention and the position; the ``wId`` — Akoma Ntoso's *work-level* identifier, the one
  meant to survive renumbering — is the article's stable id, so an article keeps it when others
  are inserted, deleted or moved (``refersTo`` points at ontology entries and ``class`` is
  presentational: neither identifies a provision).
- **Signatories** are ``<signature>`` elements in ``<conclusions>``, with ``<person>``,
  ``<role>``, ``<organization>``, ``<location>`` and ``<date>`` pointing at ``TLC…`` entries.
- **Adopted amendments** are ``<textualMod>`` entries (substitution, insertion, repeal, and
  renumbering for a move) in ``<analysis><passiveModifications>``, their source a
  ``<passiveRef>`` to the amendment; a repealed article is referred to by its stable id.
- What Akoma Ntoso cannot say — meeting dates and languages, content hash, translation
  tracking, sponsors — is in ``<proprietary source="#consensus-kit">`` in :data:`CK_NS`.

FRBR URIs use the country ``xx`` (ISO 3166 user-assigned: no single jurisdiction) unless
``country`` is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.amendments import Amendment, AmendmentKind
from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Meeting, Version, VersionState
from consensus_kit.formats.akoma_ntoso_import import (
    AKN_NS,
    CK_NS,
    LANG3,
    MAX_AKN_BYTES,
    import_akn,
)
from consensus_kit.formats.export_common import (
    adoption_date,
    check_languages,
    check_texts,
    label,
    long_date,
    paragraphs_of,
)

__all__ = ["AKN_NS", "CK_NS", "MAX_AKN_BYTES", "export_akn", "export_akn_all", "import_akn"]

_MIXED = {"p", "num", "docTitle", "docDate", "signature", "old", "new", "text", "title"}
_MODS = {
    AmendmentKind.REPLACE: "substitution",
    AmendmentKind.TITLE: "substitution",
    AmendmentKind.PREAMBLE: "substitution",
    AmendmentKind.INSERT: "insertion",
    AmendmentKind.DELETE: "repeal",
    AmendmentKind.MOVE: "renumbering",
}
_SOURCE = {"source": "#consensus-kit"}


def _lang3(lang: str) -> str:
    primary = lang.split("-", 1)[0]
    return LANG3.get(primary, primary)


def _e(
    parent: etree._Element | None, tag: str, text: str | None = None, /, **attrs: str
) -> etree._Element:
    name = f"{{{CK_NS}}}{tag[3:]}" if tag.startswith("ck:") else f"{{{AKN_NS}}}{tag}"
    nsmap = {None: AKN_NS, "ck": CK_NS}
    element = (
        etree.Element(name, attrs, nsmap=nsmap)
        if parent is None
        else etree.SubElement(parent, name, attrs)
    )
    if text is not None:
        element.text = text
    return element


def _lines(parent: etree._Element, text: str) -> None:
    """``text`` into a mixed-content element, line feeds as ``<eol/>``."""
    lines = text.split("\n")
    parent.text = lines[0]
    for line in lines[1:]:
        _e(parent, "eol").tail = line


def _p(parent: etree._Element, text: str, cls: str | None = None) -> etree._Element:
    p = _e(parent, "p", **({"class": cls} if cls else {}))
    _lines(p, text)
    return p


def _indent(element: etree._Element, level: int = 0) -> None:
    """Indent block structure only: text inside mixed content stays exactly as it is."""
    if etree.QName(element).localname in _MIXED or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level


class _Uris:
    def __init__(self, meeting: Meeting, version: Version, lang: str, country: str) -> None:
        day = (version.declaration.date or meeting.end).isoformat()
        self.work = f"/akn/{country}/statement/declaration/{day}/{meeting.id}"
        self.expression = f"{self.work}/{_lang3(lang)}@v{version.number}"
        self.day = day


def _identification(
    meta: etree._Element,
    meeting: Meeting,
    version: Version,
    lang: str,
    uris: _Uris,
    country: str,
    generated: str,
) -> None:
    ident = _e(meta, "identification", **_SOURCE)
    made, expr = version.created_at.date().isoformat(), uris.expression
    if version.state is VersionState.FROZEN:  # only a frozen text has been adopted
        work_date, work_event = adoption_date(meeting, version).isoformat(), "adoption"
    else:
        work_date, work_event = made, "draft"
    for level, this, uri, date, name, author in (
        ("FRBRWork", f"{uris.work}/!main", uris.work, work_date, work_event, "#meeting"),
        ("FRBRExpression", f"{expr}/!main", expr, made, "version", "#meeting"),
        ("FRBRManifestation", f"{expr}/!main.xml", f"{expr}.akn", generated, "generation", "#ck"),
    ):
        frbr = _e(ident, level)
        _e(frbr, "FRBRthis", value=this)
        _e(frbr, "FRBRuri", value=uri)
        _e(frbr, "FRBRdate", date=date, name=name)
        _e(frbr, "FRBRauthor", href=author.replace("#ck", "#consensus-kit"))
        if level == "FRBRWork":
            _e(frbr, "FRBRcountry", value=country)
            _e(frbr, "FRBRsubtype", value="declaration")
            _e(frbr, "FRBRnumber", value=meeting.id)
            _e(frbr, "FRBRname", value="declaration")
        elif level == "FRBRExpression":
            _e(frbr, "FRBRversionNumber", value=str(version.number))
            _e(frbr, "FRBRlanguage", language=_lang3(lang))
        else:
            _e(frbr, "FRBRformat", value="application/akn+xml")


def _destination(kind: AmendmentKind, amendment: Amendment, eids: dict[str, str]) -> dict[str, str]:
    if kind is AmendmentKind.TITLE:
        return {"href": "#preface__docTitle_1"}
    if kind is AmendmentKind.PREAMBLE:
        return {"href": "#preamble"}
    if kind is AmendmentKind.INSERT:
        after = amendment.after
        if after is not None and after in eids:
            return {"href": f"#{eids[after]}", "pos": "after"}
        return {"href": "#mainBody", "pos": "start"}
    target = amendment.article or ""
    return {"href": f"#{eids.get(target, target)}"}


def _analysis(
    meta: etree._Element, adopted: Sequence[Amendment], lang: str, eids: dict[str, str]
) -> None:
    if not adopted:
        return
    mods = _e(_e(meta, "analysis", **_SOURCE), "passiveModifications")
    for a in adopted:
        mod = _e(mods, "textualMod", type=_MODS[a.kind], eId=f"pmod_{a.number}")
        _e(mod, "source", href=f"#amendment_{a.number}")
        _e(mod, "destination", **_destination(a.kind, a, eids))
        for tag, texts in (("old", a.base_texts), ("new", a.texts)):
            if Lang(lang) in texts:
                _e(_e(mod, tag), "ck:text", texts[Lang(lang)], lang=lang)


def _tlc(refs: etree._Element, tag: str, eid: str, href: str, show: str) -> None:
    _e(refs, tag, eId=eid, href=href, showAs=show)


def _references(
    meta: etree._Element,
    meeting: Meeting,
    lang: str,
    uris: _Uris,
    signatories: Sequence[SignatoryLine],
    adopted: Sequence[Amendment],
) -> None:
    refs = _e(meta, "references", **_SOURCE)
    _tlc(refs, "original", "original", f"{uris.work}/{_lang3(lang)}@v1", "Version 1")
    country = uris.work.split("/")[2]
    for a in adopted:
        href = f"/akn/{country}/amendment/{a.created_at.date()}/{meeting.id}-{a.number}"
        _tlc(refs, "passiveRef", f"amendment_{a.number}", href, f"Amendment {a.number}")
    name, place = _in(meeting.title, lang, meeting), _in(meeting.place, lang, meeting)
    _tlc(refs, "TLCEvent", "meeting", f"/ontology/event/{meeting.id}", name)
    _tlc(refs, "TLCLocation", "place", f"/ontology/location/{meeting.id}", place)
    ck = "consensus-kit"
    _tlc(refs, "TLCOrganization", ck, f"/ontology/organization/{ck}", ck)
    _tlc(refs, "TLCRole", "signatory", "/ontology/role/signatory", "signatory")
    done: set[str] = set()
    for i, line in enumerate(signatories, start=1):
        org, country_eid = f"org_{line.organisation}", f"country_{line.country}"
        if org not in done:
            done.add(org)
            href = f"/ontology/organization/{line.organisation}"
            _tlc(refs, "TLCOrganization", org, href, _name(line, lang, meeting))
        _tlc(refs, "TLCPerson", f"person_{i}", f"/ontology/person/{meeting.id}.{i}", line.signer)
        if line.signer_title:
            href = f"/ontology/role/{meeting.id}.{i}"
            _tlc(refs, "TLCRole", f"role_{i}", href, line.signer_title)
        if line.country and country_eid not in done:
            done.add(country_eid)
            href = f"/ontology/location/{line.country.lower()}"
            _tlc(refs, "TLCLocation", country_eid, href, line.country_in(lang))


def _in(texts: dict[Lang, str], lang: str, meeting: Meeting) -> str:
    return texts.get(Lang(lang)) or texts.get(meeting.negotiating_language, "")


def _name(line: SignatoryLine, lang: str, meeting: Meeting) -> str:
    names = line.names
    return (
        names.get(Lang(lang))
        or names.get(meeting.negotiating_language)
        or next(iter(names.values()), str(line.organisation))
    )


def _attrs(value: object, names: str) -> dict[str, str]:
    """Attributes named in camelCase from fields of ``value`` (snake_case), as text."""
    out = {}
    for name in names.split():
        field = getattr(value, name)
        text = field.isoformat() if isinstance(field, dt.date) else getattr(field, "value", field)
        head, *rest = name.split("_")
        out[head + "".join(w.title() for w in rest)] = "" if text is None else str(text)
    return out


def _proprietary(
    meta: etree._Element,
    meeting: Meeting,
    version: Version,
    lang: str,
    adopted: Sequence[Amendment],
) -> None:
    ck = _e(_e(meta, "proprietary", **_SOURCE), "ck:consensusKit", format="consensus-kit/akn/1")
    m = _e(ck, "ck:meeting", **_attrs(meeting, "id start end negotiating_language"))
    m.set("languages", " ".join(meeting.languages))
    for tag in ("title", "place", "organisers"):
        for code, text in getattr(meeting, tag).items():
            _e(m, f"ck:{tag}", text, lang=code)
    d = version.declaration
    fields = "number parent content_hash state created_at created_by frozen_at frozen_by"
    _e(ck, "ck:version", **_attrs(version, fields), **_attrs(d, "date"), lang=lang)
    for i, article in enumerate(d.articles, start=1):
        a = _e(ck, "ck:article", eId=f"art_{i}", **_attrs(article, "id revision"))
        for code, revision in article.in_step.items():
            _e(a, "ck:inStep", lang=code, revision=str(revision))
    for am in adopted:
        fields = "number kind sponsor base_version adopted_in article after rationale"
        _e(ck, "ck:amendment", **_attrs(am, fields), cosponsors=" ".join(am.cosponsors))


def _conclusions(
    statement: etree._Element, meeting: Meeting, lang: str, signatories: Sequence[SignatoryLine]
) -> None:
    if not signatories:
        return
    conclusions = _e(statement, "conclusions")
    _p(conclusions, label(lang, "signatories"), "heading")
    for i, line in enumerate(signatories, start=1):
        sig = _e(_e(conclusions, "p", **{"class": "signature"}), "signature")
        _e(sig, "person", line.signer, refersTo=f"#person_{i}", **{"as": "#signatory"}).tail = ", "
        if line.signer_title:
            _e(sig, "role", line.signer_title, refersTo=f"#role_{i}").tail = ", "
        name = _name(line, lang, meeting)
        org = _e(sig, "organization", name, refersTo=f"#org_{line.organisation}")
        org.tail = ", "
        if line.country:
            org.tail = " ("
            where = line.country_in(lang)
            _e(sig, "location", where, refersTo=f"#country_{line.country}").tail = "), "
        signed = line.signed_at.date()
        _e(sig, "date", long_date(signed, lang), date=signed.isoformat(), refersTo="#signatory")


def export_akn(
    meeting: Meeting,
    version: Version,
    signatories: Sequence[SignatoryLine] = (),
    adopted: Sequence[Amendment] = (),
    *,
    lang: str | None = None,
    country: str = "xx",
    generated: dt.date | None = None,
) -> bytes:
    """One language of ``version`` (the negotiating language by default) as an Akoma Ntoso 3.0
    ``statement``, UTF-8 XML bytes.

    Dates: the work's is the adoption (frozen versions only; a draft's work date is named
    "draft"), the expression's the version's creation, the manifestation's ``generated``
    (default: today, UTC) — when this file was made.

    >>> xml = export_akn(meeting, version, lines, adopted, lang="en")  # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` for a language the meeting lacks or a
    text XML cannot hold.
    """
    lang = lang or meeting.negotiating_language
    check_languages(meeting, version, [lang])
    d = version.declaration
    amendment_texts = [
        (f"amendments[{a.number}].texts.{k}", v)
        for a in adopted
        for k, v in [*a.texts.items(), *a.base_texts.items()]
    ]
    check_texts(meeting, [d], [lang], signatories, extra=amendment_texts)
    uris = _Uris(meeting, version, lang, country)
    eids: dict[str, str] = {a.id: f"art_{i}" for i, a in enumerate(d.articles, start=1)}
    root = _e(None, "akomaNtoso")
    statement = _e(root, "statement", name="declaration")
    meta = _e(statement, "meta")
    made = (generated or dt.datetime.now(dt.UTC).date()).isoformat()
    _identification(meta, meeting, version, lang, uris, country, made)
    _analysis(meta, adopted, lang, eids)
    _references(meta, meeting, lang, uris, signatories, adopted)
    _proprietary(meta, meeting, version, lang, adopted)
    preface = _e(statement, "preface")
    title = d.title.get(Lang(lang))
    doc_title = _e(_e(preface, "p", **{"class": "title"}), "docTitle", eId="preface__docTitle_1")
    _lines(doc_title, label(lang, "pending") if title is None else title)
    if title is None:
        doc_title.set("class", "pending")
    if Lang(lang) in d.subtitle:
        _p(preface, d.subtitle[Lang(lang)], "subtitle")
    day = d.date or meeting.end
    place = _in(meeting.place, lang, meeting)
    line = _e(preface, "p", **{"class": "dateline"})
    _e(line, "docDate", long_date(day, lang), date=day.isoformat()).tail = " · "
    _e(line, "location", place, refersTo="#place")
    if Lang(lang) in d.preamble:
        preamble = _e(statement, "preamble", eId="preamble")
        for chunk in paragraphs_of(d.preamble[Lang(lang)]):
            _p(preamble, chunk)
    body = _e(statement, "mainBody", eId="mainBody")
    for i, article in enumerate(d.articles, start=1):
        element = _e(body, "article", eId=f"art_{i}", wId=article.id)
        _e(element, "num", f"{i}.")
        content = _e(element, "content")
        text = article.text.get(Lang(lang))
        if text is None:
            _p(content, label(lang, "pending"), "pending")
        for chunk in paragraphs_of(text) if text is not None else ():
            _p(content, chunk)
    _conclusions(statement, meeting, lang, signatories)
    _indent(root)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def export_akn_all(
    meeting: Meeting,
    version: Version,
    signatories: Sequence[SignatoryLine] = (),
    adopted: Sequence[Amendment] = (),
    *,
    country: str = "xx",
    generated: dt.date | None = None,
) -> dict[str, bytes]:
    """Every meeting language of ``version`` as Akoma Ntoso documents: language → bytes.

    >>> docs = export_akn_all(meeting, version, lines, adopted)  # doctest: +SKIP
    >>> sorted(docs)                                             # doctest: +SKIP
    ['en', 'zh']
    """
    return {
        lang: export_akn(
            meeting, version, signatories, adopted, lang=lang, country=country, generated=generated
        )
        for lang in meeting.languages
    }
