"""Real drafts, written by tools we did not write (pandoc, LibreOffice, python-docx by hand),
in English and Chinese, with every common way of numbering articles: each imports to the
right title, subtitle, preamble and articles."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from consensus_kit import InvalidInput
from consensus_kit.formats.docx_export import export_bilingual_docx
from consensus_kit.formats.docx_import import import_docx, import_parallel_docx, pair_drafts
from consensus_kit.formats.markdown_draft import MarkdownDraft
from tests.builders import meeting_toml
from tests.cli.test_cli import A20, run
from tests.integration.test_exports import a20
from tests.office import libreoffice, pandoc

CN = "零一二三四五六七八九十"
TEXTS = {
    "en": {
        "title": "Declaration on Child Protection",
        "subtitle": "Nairobi, 20 March 2026",
        "preamble": ("We, the organisations gathered in Nairobi,", "agree as follows:"),
        "articles": ("Children come first.", "Organisations work together.", "We meet again."),
        "more": "This continues the third article.",
    },
    "zh": {
        "title": "儿童保护宣言",
        "subtitle": "2026年3月20日，内罗毕",
        "preamble": ("我们，齐聚内罗毕的各组织，", "一致同意："),
        "articles": ("儿童优先。", "各组织携手合作。", "我们将再次会面。"),
        "more": "本段是第三条的续文。",
    },
}

Marker = Callable[[int], str]
MARKERS: dict[str, Marker] = {
    "Article N (heading)": lambda n: f"Article {n}",
    "Art. N.": lambda n: f"Art. {n}. ",
    "Article N:": lambda n: f"Article {n}: ",
    "N.": lambda n: f"{n}. ",
    "(N)": lambda n: f"({n}) ",
    "第N条": lambda n: f"第{n}条 ",
    "第一条": lambda n: f"第{CN[n]}条　",
    "第一条 (heading)": lambda n: f"第{CN[n]}条",
    "一、": lambda n: f"{CN[n]}、",
    "N．": lambda n: f"{n}．",
    "N、": lambda n: f"{n}、",
    "（N）": lambda n: f"（{n}）",
}


def expected(lang: str, *, subtitle: bool = True) -> MarkdownDraft:
    t = TEXTS[lang]
    articles = list(t["articles"])
    articles[2] = f"{articles[2]}\n\n{t['more']}"
    return MarkdownDraft(
        title=str(t["title"]),
        subtitle=str(t["subtitle"]) if subtitle else "",
        preamble="\n\n".join(t["preamble"]),
        articles=tuple(articles),
    )


def blocks(lang: str, marker: str) -> list[tuple[str, str]]:
    """The draft after its title as (kind, text): "p" paragraph, "h" heading."""
    t = TEXTS[lang]
    out = [("p", p) for p in t["preamble"]]
    for n, text in enumerate(t["articles"], start=1):
        if "heading" in marker:
            out += [("h", MARKERS[marker](n)), ("p", text)]
        else:
            out.append(("p", MARKERS[marker](n) + text))
    return [*out, ("p", str(t["more"]))]


def markdown(lang: str, marker: str) -> str:
    t = TEXTS[lang]
    head = f'---\ntitle: "{t["title"]}"\nsubtitle: "{t["subtitle"]}"\n---\n\n'
    body = [f"## {text}" if kind == "h" else text for kind, text in blocks(lang, marker)]
    return head + "\n\n".join(body) + "\n"


CASES = [
    ("en", "Article N (heading)"),
    ("en", "Art. N."),
    ("en", "Article N:"),
    ("en", "N."),
    ("en", "(N)"),
    ("zh", "第N条"),
    ("zh", "第一条"),
    ("zh", "第一条 (heading)"),
    ("zh", "一、"),
    ("zh", "N．"),
    ("zh", "N、"),
    ("zh", "（N）"),
]


@pytest.mark.parametrize(("lang", "marker"), CASES)
def test_a_pandoc_draft_imports(tmp_path: Path, lang: str, marker: str) -> None:
    data = pandoc(markdown(lang, marker), tmp_path / "draft.docx").read_bytes()
    assert import_docx(data, lang) == expected(lang)


@pytest.fixture(scope="module")
def libreoffice_drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every case written by LibreOffice, in one run: from plain text (typed drafts, no
    styles) and from OpenDocument (headings and LibreOffice's own list numbering)."""
    folder = tmp_path_factory.mktemp("lo")
    sources: list[Path] = []
    for i, (lang, marker) in enumerate(CASES):
        t = TEXTS[lang]
        lines = [str(t["title"]), *(text for _, text in blocks(lang, marker))]
        txt = folder / f"case{i}-txt.txt"
        txt.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        sources += [txt, pandoc(markdown(lang, marker), folder / f"case{i}-odt.odt", fmt="odt")]
    converted = libreoffice(sources, "docx", folder / "out")
    return {path.stem: path.read_bytes() for path in converted}


@pytest.mark.parametrize(("lang", "marker"), CASES)
@pytest.mark.parametrize("origin", ["txt", "odt"])
def test_a_libreoffice_draft_imports(
    libreoffice_drafts: dict[str, bytes], origin: str, lang: str, marker: str
) -> None:
    data = libreoffice_drafts[f"case{CASES.index((lang, marker))}-{origin}"]
    # a typed plain-text draft has no subtitle style: its second paragraph is preamble
    assert import_docx(data, lang) == expected(lang, subtitle=origin == "odt") or (
        origin == "txt"
        and import_docx(data, lang)
        == MarkdownDraft(
            title=expected(lang).title,
            preamble="\n\n".join(TEXTS[lang]["preamble"]),
            articles=expected(lang).articles,
        )
    )


def python_docx_draft(lang: str, marker: str) -> bytes:
    t = TEXTS[lang]
    document = docx.Document()
    document.add_paragraph(str(t["title"]), style="Title")
    document.add_paragraph(str(t["subtitle"]), style="Subtitle")
    for kind, text in blocks(lang, marker):
        if kind == "h":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("lang", "marker"), CASES)
def test_a_python_docx_draft_imports(lang: str, marker: str) -> None:
    assert import_docx(python_docx_draft(lang, marker), lang) == expected(lang)


def test_word_list_numbering_counts_the_first_level_and_never_bullets() -> None:
    t = TEXTS["zh"]
    document = docx.Document()
    document.add_heading(str(t["title"]), level=1)
    document.add_paragraph("鉴于：")
    document.add_paragraph("《儿童权利公约》；", style="List Bullet")  # a bulleted preamble
    for text in t["articles"]:
        document.add_paragraph(text, style="List Number")
    item = document.add_paragraph("第一项细则", style="List Number")
    num_pr = item._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 1  # Tab in a Word list: the second level continues
    out = io.BytesIO()
    document.save(out)
    draft = import_docx(out.getvalue(), "zh")
    assert draft.preamble == "鉴于：\n\n《儿童权利公约》；"
    assert draft.articles == (*t["articles"][:2], f"{t['articles'][2]}\n\n第一项细则")


def test_items_inside_articles_do_not_become_articles() -> None:
    document = docx.Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_paragraph("Recalling (1) the Convention and (2) its protocols,")
    document.add_heading("Article 1", level=2)
    document.add_paragraph("States shall:")
    document.add_paragraph("(1) protect children;")
    document.add_paragraph("(2) listen to them.")
    document.add_heading("Article 2", level=2)
    document.add_paragraph("1. First point. 2. Second point.")
    out = io.BytesIO()
    document.save(out)
    draft = import_docx(out.getvalue(), "en")
    assert draft.articles == (
        "States shall:\n\n(1) protect children;\n\n(2) listen to them.",
        "1. First point. 2. Second point.",
    )


def test_a_gap_in_the_numbering_names_the_file_and_the_paragraph() -> None:
    document = docx.Document()
    document.add_paragraph("宣言", style="Title")
    for text in ("第一条　甲。", "第二条　乙。", "第四条　丁。"):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(InvalidInput) as caught:
        import_docx(out.getvalue(), "zh", source="草案.docx")
    message = str(caught.value)
    assert message.startswith(
        '草案.docx: paragraph 4 ("第四条　丁。"): article 4 comes after article 2'
    )


def test_a_draft_without_articles_says_which_markers_count() -> None:
    document = docx.Document()
    document.add_paragraph("Only a title and a paragraph", style="Title")
    document.add_paragraph("Article 1 of the Convention applies.")  # running text, not a marker
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(InvalidInput, match=r"^draft\.docx: no articles: start each article with"):
        import_docx(out.getvalue(), "en", source="draft.docx")


# --- our own side-by-side export, and the command line -------------------------------------


def test_our_bilingual_export_reads_back_into_both_languages() -> None:
    meeting, version, lines = a20()
    for a, b in (("en", "zh"), ("zh", "en")):
        data = export_bilingual_docx(meeting, version, a, b, lines)
        drafts = import_parallel_docx(data, [a, b], source="a20.docx")
        assert pair_drafts(drafts, "en", date=version.declaration.date) == version.declaration
        assert import_docx(data, b) == drafts[b]  # one column at a time, too


def test_our_bilingual_export_resaved_by_libreoffice_still_reads_back(tmp_path: Path) -> None:
    meeting, version, lines = a20()
    source = tmp_path / "src" / "a20.odt"
    source.parent.mkdir()
    (tmp_path / "a20.docx").write_bytes(export_bilingual_docx(meeting, version, "en", "zh", lines))
    odt = libreoffice([tmp_path / "a20.docx"], "odt", tmp_path / "src")[0]
    resaved = libreoffice([odt], "docx", tmp_path / "back")[0].read_bytes()
    drafts = import_parallel_docx(resaved, ["en", "zh"])
    assert pair_drafts(drafts, "en", date=version.declaration.date) == version.declaration


def test_a_side_by_side_import_without_that_language_column_is_refused() -> None:
    meeting, version, lines = a20()
    data = export_bilingual_docx(meeting, version, "en", "zh", lines)
    with pytest.raises(InvalidInput, match=r"^a20\.docx: no side-by-side table .* 'français'"):
        import_parallel_docx(data, ["en", "fr"], source="a20.docx")


def test_the_cli_imports_one_side_by_side_file_and_names_files_in_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    both = tmp_path / "both.docx"
    assert run("export", "--db", db, "--format", "bilingual-docx", "--lang", "en,zh",
               "--out", str(both)).returncode == 0  # fmt: skip
    imported = run("import-docx", str(both), "--lang", "en,zh", "--db", db)
    assert imported.returncode == 0, imported.stderr
    assert "4 articles imported (en, zh)" in imported.stdout
    versions = run("versions", "--db", db).stdout.splitlines()
    assert versions[0].split()[2] == versions[1].split()[2]  # the same texts, the same hash

    en = tmp_path / "草案.en.docx"
    en.write_bytes(python_docx_draft("en", "Article N (heading)"))
    zh = tmp_path / "草案.zh.docx"
    document = docx.Document()
    document.add_paragraph("宣言", style="Title")
    document.add_paragraph("一、甲。")
    document.add_paragraph("三、丙。")
    document.save(str(zh))
    gap = run("import-docx", str(en), str(zh), "--lang", "en,zh", "--db", db)
    assert gap.returncode == 1 and "Traceback" not in gap.stderr
    assert gap.stderr.strip() == (
        f'error: {zh}: paragraph 3 ("三、丙。"): article 3 comes after article 1; '
        "number the articles 1, 2, 3… without gaps or repeats"
    )
    two = docx.Document()
    two.add_paragraph("宣言", style="Title")
    two.add_paragraph("一、甲。")
    two.save(str(zh))
    counts = run("import-docx", str(en), str(zh), "--lang", "en,zh", "--db", db)
    assert counts.returncode == 1
    assert f"(en: 3 in {en}, zh: 1 in {zh})" in counts.stderr


def test_a_word_file_where_text_is_expected_gets_a_clear_error(tmp_path: Path) -> None:
    word = tmp_path / "draft.docx"
    word.write_bytes(python_docx_draft("en", "N."))
    as_meeting = run("load", str(word), "--db", str(tmp_path / "m.db"))
    assert as_meeting.returncode == 1 and "Traceback" not in as_meeting.stderr
    assert "a Word (.docx) or other ZIP file, not a TOML meeting file" in as_meeting.stderr
    meeting = tmp_path / "meeting.toml"
    head = meeting_toml().split("[declaration]")[0]
    meeting.write_text(head + '[declaration]\nfiles = { en = "draft.docx", zh = "draft.docx" }\n')
    as_draft = run("load", str(meeting), "--db", str(tmp_path / "m.db"))
    assert as_draft.returncode == 1 and "Traceback" not in as_draft.stderr
    assert "declaration.files.en: draft.docx is a Word (.docx) or other ZIP file" in as_draft.stderr
    assert "UTF-8" not in as_draft.stderr and "codec" not in as_draft.stderr
