"""Reading Akoma Ntoso 3.0 declarations back (see :mod:`.akoma_ntoso` for the format).

>>> declaration = import_akn(en_xml, zh_xml)  # doctest: +SKIP

The parser resolves no entities, loads no DTD and reaches no network.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.model import Article, Declaration
from consensus_kit.errors import InvalidInput

__all__ = ["AKN_NS", "CK_NS", "LANG3", "MAX_AKN_BYTES", "import_akn"]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
CK_NS = "urn:consensus-kit:akn:1"
"""Namespace of the ``<proprietary>`` data."""
MAX_AKN_BYTES = 50_000_000

LANG3 = {
    "ar": "ara", "az": "aze", "bn": "ben", "de": "deu", "en": "eng", "es": "spa", "fa": "fas",
    "fr": "fra", "he": "heb", "hi": "hin", "hu": "hun", "id": "ind", "it": "ita", "ja": "jpn",
    "km": "khm", "ko": "kor", "lo": "lao", "mn": "mon", "nl": "nld", "pl": "pol", "pt": "por",
    "ru": "rus", "sq": "sqi", "sw": "swa", "th": "tha", "tr": "tur", "uk": "ukr", "ur": "urd",
    "vi": "vie", "zh": "zho",
}  # fmt: skip
"""ISO 639-1 → ISO 639-2 codes, for ``FRBRlanguage`` and expression URIs (others: as given)."""

_NS = {"a": AKN_NS, "ck": CK_NS}


_NOT_TEXT = {
    etree.Comment: "an XML comment",
    etree.ProcessingInstruction: "a processing instruction",
    etree.Entity: "an entity reference",
}


def _read_lines(element: etree._Element) -> str:
    for node in element.iter(*_NOT_TEXT):
        what = next(name for kind, name in _NOT_TEXT.items() if node.tag is kind)
        raise InvalidInput(
            f"{what} in the text on line {node.sourceline} ({str(node)[:40]!r}): texts hold "
            "only characters and <eol/>; remove it",
            field="akn",
        )
    parts = [element.text or ""]
    for child in element:
        if etree.QName(child).localname == "eol":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _parse(data: bytes) -> etree._Element:
    if len(data) > MAX_AKN_BYTES:
        raise InvalidInput(
            f"the document is {len(data):,} bytes; the limit is {MAX_AKN_BYTES:,}", field="akn"
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(f"not well-formed XML ({exc})", field="akn") from exc
    if root.tag != f"{{{AKN_NS}}}akomaNtoso" or root.find("a:statement", _NS) is None:
        raise InvalidInput("not an Akoma Ntoso 3.0 statement", field="akn")
    return root


class _Expression(msgspec.Struct, frozen=True):
    """What one language's document holds."""

    work: str
    lang: str
    texts: dict[str, str | None]  # "title", "subtitle", "preamble", "article:<id>"
    articles: list[tuple[str, int, dict[str, int]]]  # (id, revision, in step) in order
    date: dt.date | None


def _paragraphs(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    ps = element.findall("a:p", _NS)
    if len(ps) == 1 and ps[0].get("class") == "pending":
        return None
    return "\n\n".join(_read_lines(p) for p in ps)


def _expression(root: etree._Element) -> _Expression:
    s = root.find("a:statement", _NS)
    ck = s.find("a:meta/a:proprietary/ck:consensusKit", _NS)
    ck_version = ck.find("ck:version", _NS) if ck is not None else None
    work = s.xpath("string(a:meta/a:identification/a:FRBRWork/a:FRBRthis/@value)", namespaces=_NS)
    lang3 = s.xpath("string(.//a:FRBRExpression/a:FRBRlanguage/@language)", namespaces=_NS)
    lang = ck_version.get("lang") if ck_version is not None else None
    lang = lang or next((k for k, v in LANG3.items() if v == lang3), lang3)
    day = ck_version.get("date") if ck_version is not None else None
    if day is None:
        day = s.xpath("string(.//a:FRBRWork/a:FRBRdate/@date)", namespaces=_NS)
    tracking = {a.get("id"): a for a in ck.iterfind("ck:article", _NS)} if ck is not None else {}
    title = s.find("a:preface/a:p/a:docTitle", _NS)
    subtitle = s.find("a:preface/a:p[@class='subtitle']", _NS)
    texts: dict[str, str | None] = {
        "title": None if title is None or title.get("class") == "pending" else _read_lines(title),
        "subtitle": None if subtitle is None else _read_lines(subtitle),
        "preamble": _paragraphs(s.find("a:preamble", _NS)),
    }
    articles = []
    for i, article in enumerate(s.iterfind("a:mainBody/a:article", _NS), start=1):
        article_id = article.get("wId") or f"art-{i}"
        texts[f"article:{article_id}"] = _paragraphs(article.find("a:content", _NS))
        info = tracking.get(article_id)
        where = f"article {article_id}"
        revision = _revision(info.get("revision", "1"), where) if info is not None else 1
        steps: dict[str, int] = {}
        for step in info.iterfind("ck:inStep", _NS) if info is not None else ():
            lang_of = str(step.get("lang"))
            steps[lang_of] = _revision(step.get("revision"), f"{where}, {lang_of}")
        articles.append((article_id, revision, steps))
    return _Expression(work, lang, texts, articles, _date(day) if day else None)


def _revision(value: str | None, where: str) -> int:
    """A revision number from the document: a whole number from 1 to 2147483647."""
    if value is None or not value.isascii() or not value.isdigit() or not value.strip("0"):
        raise InvalidInput(f"{where}: revision {value!r} is not a number from 1 up", field="akn")
    number = int(value[:12])
    if len(value) > 10 or number > 2**31 - 1:
        raise InvalidInput(f"{where}: revision {value[:20]!r} is out of range", field="akn")
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"date {value[:40]!r} is not a date (YYYY-MM-DD)", field="akn") from None


def import_akn(data: bytes, *more: bytes) -> Declaration:
    """The declaration in one or more Akoma Ntoso documents (one per language) made by
    :func:`~.akoma_ntoso.export_akn`: texts, article ids and order, translation tracking, date.

    >>> declaration = import_akn(*export_akn_all(meeting, version).values())  # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` for XML that is not an Akoma Ntoso
    statement, or documents of different works or with different articles.
    """
    expressions = [_expression(_parse(d)) for d in (data, *more)]
    first = expressions[0]
    ids = [a[0] for a in first.articles]
    for e in expressions:
        if e.work != first.work:
            raise InvalidInput(
                f"documents of different works ({first.work}, {e.work})", field="akn"
            )
        if [a[0] for a in e.articles] != ids:
            raise InvalidInput(f"the {e.lang} document has different articles", field="akn")

    def collect(key: str) -> dict[Lang, str]:
        found = ((Lang(e.lang), e.texts.get(key)) for e in expressions)
        return {lang: text for lang, text in found if text is not None}

    return Declaration(
        title=collect("title"),
        subtitle=collect("subtitle"),
        preamble=collect("preamble"),
        articles=tuple(
            Article(
                id=ArticleId(aid),
                text=collect(f"article:{aid}"),
                revision=revision,
                in_step={Lang(k): v for k, v in steps.items()},
            )
            for aid, revision, steps in first.articles
        ),
        date=first.date,
    )
