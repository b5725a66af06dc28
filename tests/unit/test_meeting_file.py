"""The meeting file: every problem is reported with its key path and what was expected."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from consensus_kit import MeetingFileError, parse_meeting_file, read_meeting_file
from tests.builders import HOSTILE_TEXT, meeting_toml

GOOD = meeting_toml()


def problems_of(text: str, tmp_path: Path | None = None) -> list[str]:
    with pytest.raises(MeetingFileError) as caught:
        parse_meeting_file(text, source="bad.toml", base_dir=tmp_path)
    return [str(p) for p in caught.value.problems]


def test_the_test_meeting_file_is_valid() -> None:
    loaded = parse_meeting_file(GOOD)
    assert loaded.meeting.id == "test-meeting"
    assert [o.id for o in loaded.meeting.organisations] == ["org-1", "org-2", "org-3", "unicef"]
    assert len(loaded.declaration.articles) == 2
    assert loaded.warnings == ()


def test_the_venues_time_zone_is_read_and_defaults_to_utc() -> None:
    assert parse_meeting_file(GOOD).meeting.timezone == "UTC"
    placed = GOOD.replace('id = "test-meeting"', 'id = "test-meeting"\ntimezone = "Asia/Shanghai"')
    assert parse_meeting_file(placed).meeting.timezone == "Asia/Shanghai"


BAD_FILES: list[tuple[str, str, str]] = [
    # (case, meeting file text, a problem line it must produce)
    ("not toml", "[meeting\nid = 1", "not valid TOML"),
    ("unknown top-level key", GOOD + "\n[venue]\nname = 'x'\n", "venue: unknown key"),
    (
        "unknown meeting key",
        GOOD.replace('id = "test-meeting"', 'id = "test-meeting"\ncity = "x"'),
        "meeting.city: unknown key",
    ),
    ("missing meeting id", GOOD.replace('id = "test-meeting"\n', ""), "meeting.id: is required"),
    (
        "unknown time zone",
        GOOD.replace('id = "test-meeting"', 'id = "test-meeting"\ntimezone = "Mars/Olympus"'),
        "meeting.timezone: 'Mars/Olympus' is not a time zone",
    ),
    (
        "invalid meeting id",
        GOOD.replace('id = "test-meeting"', 'id = "Test Meeting"'),
        "meeting.id: 'Test Meeting' is not a valid id",
    ),
    (
        "unknown language",
        GOOD.replace('languages = ["en", "zh"]', 'languages = ["en", "xx"]'),
        "meeting.languages[1]: 'xx' is not a known language code",
    ),
    (
        "duplicate language",
        GOOD.replace('languages = ["en", "zh"]', 'languages = ["en", "zh", "en"]'),
        "meeting.languages[2]: 'en' is listed twice",
    ),
    (
        "negotiating language not listed",
        GOOD.replace('negotiating_language = "en"', 'negotiating_language = "fr"'),
        "meeting.negotiating_language: 'fr' is not one of the meeting's languages",
    ),
    (
        "end before start",
        GOOD.replace("end = 2026-03-20", "end = 2026-03-01"),
        "meeting.end: 2026-03-01 is before the start (2026-03-18)",
    ),
    (
        "date given as text",
        GOOD.replace("start = 2026-03-18", 'start = "18 March"'),
        "meeting.start: expected a date (YYYY-MM-DD), got text",
    ),
    (
        "title missing a language",
        GOOD.replace(
            'title = { en = "Test summit (en)", zh = "Test summit (zh)" }',
            'title = { en = "Test summit" }',
        ),
        "meeting.title.zh: is required (every meeting language)",
    ),
    (
        "text in a language the meeting lacks",
        GOOD.replace(
            'place = { en = "Nairobi (en)", zh = "Nairobi (zh)" }',
            'place = { en = "Nairobi", zh = "内罗毕", fr = "Nairobi" }',
        ),
        "meeting.place.fr: 'fr' is not one of the meeting's languages",
    ),
    (
        "bad country code",
        GOOD.replace('country = "HU"', 'country = "XX"'),
        "organisations[2].country: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    (
        "lower-case country code",
        GOOD.replace('country = "KE"', 'country = "ke"'),
        "organisations[0].country: 'ke' is not an ISO 3166-1 alpha-2 country code",
    ),
    (
        "missing country",
        GOOD.replace('country = "CN"\n', ""),
        "organisations[1].country: is required for an organisation that votes",
    ),
    (
        "duplicate organisation id",
        GOOD.replace('id = "org-2"', 'id = "org-1"'),
        "organisations[1].id: duplicate organisation id 'org-1' (first used at organisations[0].id)",
    ),
    (
        "unknown role",
        GOOD.replace('roles = ["chair"]', 'roles = ["president"]'),
        "delegates[7].roles[0]: 'president' is not a role",
    ),
    (
        "delegate of an unknown organisation",
        GOOD.replace('organisation = "org-3"', 'organisation = "org-9"', 1),
        "delegates[4].organisation: 'org-9' is not the id of an organisation in this file",
    ),
    (
        "signatory of an observer organisation",
        GOOD.replace(
            'organisation = "unicef"\nroles = ["observer"]',
            'organisation = "unicef"\nroles = ["signatory"]',
        ),
        "delegates[6].roles: an observer organisation (unicef) cannot have delegates or signatories",
    ),
    (
        "no chair",
        GOOD.replace('roles = ["chair"]', 'roles = ["secretariat"]'),
        "delegates: no delegate has the role 'chair'; a meeting needs one",
    ),
    (
        "duplicate delegate id",
        GOOD.replace('id = "signatory-1"', 'id = "delegate-1"'),
        "delegates[1].id: duplicate delegate id 'delegate-1'",
    ),
    (
        "duplicate article id",
        GOOD.replace('id = "art-2"', 'id = "art-1"'),
        "declaration.articles[1].id: duplicate article id 'art-1'",
    ),
    (
        "article without the negotiating language",
        GOOD.replace(
            'text = { en = "Article 2 (en)", zh = "Article 2 (zh)" }', 'text = { zh = "第二条" }'
        ),
        "declaration.articles[1].text.en: is required (the negotiating language)",
    ),
    (
        "empty article text",
        GOOD.replace(
            'text = { en = "Article 1 (en)", zh = "Article 1 (zh)" }',
            'text = { en = "   ", zh = "第一条" }',
        ),
        "declaration.articles[0].text.en: must not be empty",
    ),
    (
        "control character in a name",
        GOOD.replace('name = "Delegate 2"', 'name = "Dele\\u0007gate"'),
        "delegates[2].name: contains a control character (U+0007) at position 4",
    ),
    (
        "bidi override in an article",
        GOOD.replace('text = { en = "Article 1 (en)"', 'text = { en = "Pay \\u202e0001 USD"'),
        "declaration.articles[0].text.en: contains a right-to-left override (U+202E)",
    ),
    (
        "quorum out of range",
        GOOD.replace("quorum = 0.5", "quorum = 1.5"),
        "decision.quorum: 1.5 is not between 0 and 1",
    ),
    (
        "unknown decision rule",
        GOOD.replace('rule = "consensus"', 'rule = "majority"'),
        "decision.rule: 'majority' is not a rule",
    ),
    (
        "unknown article key",
        GOOD.replace('id = "art-1"', 'id = "art-1"\nnumber = 1'),
        "declaration.articles[0].number: unknown key",
    ),
    (
        "no articles",
        GOOD.split("[[declaration.articles]]")[0] + "articles = []\n",
        "declaration.articles: must hold at least one article",
    ),
    (
        "organisations not an array",
        GOOD.replace("[meeting]", 'organisations = "all of them"\n[meeting]', 1).split(
            "[[organisations]]"
        )[0]
        + GOOD.split("[[delegates]]", 1)[0].split("[[organisations]]")[0][:0]
        + "\n[[delegates]]"
        + GOOD.split("[[delegates]]", 1)[1],
        "organisations: expected an array of tables",
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_meeting_file_names_the_problem(case: str, text: str, expected: str) -> None:
    problems = problems_of(text)
    assert any(expected in p for p in problems), f"{case}: {expected!r} not in {problems}"


def test_every_problem_is_reported_in_one_pass() -> None:
    text = (
        GOOD.replace('country = "KE"', 'country = "XX"')
        .replace('id = "org-2"', 'id = "Org 2"')
        .replace("quorum = 0.5", "quorum = 7")
        .replace('roles = ["chair"]', 'roles = ["boss"]')
    )
    problems = problems_of(text)
    for path in (
        "organisations[0].country",
        "organisations[1].id",
        "decision.quorum",
        "delegates[7].roles[0]",
    ):
        assert any(p.startswith(path) for p in problems), (path, problems)


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXT))
def test_hostile_text_is_refused_with_its_path(name: str) -> None:
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\U{ord(ch):08x}"
        for ch in HOSTILE_TEXT[name]
    )
    text = GOOD.replace('preamble = { en = "We agree (en)"', f'preamble = {{ en = "{escaped}"')
    if name == "lone_surrogate":
        # TOML itself refuses surrogate escapes, which is a refusal too
        assert any("not valid TOML" in p or "surrogate" in p for p in problems_of(text))
        return
    problems = problems_of(text)
    assert any(p.startswith("declaration.preamble.en: contains a") for p in problems), problems


def test_too_many_articles_is_refused() -> None:
    many = "".join(
        f'\n[[declaration.articles]]\nid = "x-{i}"\ntext = {{ en = "a", zh = "b" }}\n'
        for i in range(1001)
    )
    problems = problems_of(GOOD + many)
    assert any("declaration.articles: 1,003 entries; the limit is 1,000" in p for p in problems)


def test_a_missing_translation_is_a_warning_not_an_error() -> None:
    text = GOOD.replace(
        'text = { en = "Article 2 (en)", zh = "Article 2 (zh)" }', 'text = { en = "Two" }'
    )
    loaded = parse_meeting_file(text)
    assert [str(w) for w in loaded.warnings] == [
        "declaration.articles[1].text.zh: missing: translation pending"
    ]
    assert loaded.declaration.articles[1].text == {"en": "Two"}


def test_articles_get_positional_ids_when_none_are_given() -> None:
    text = GOOD.replace('id = "art-1"\n', "").replace('id = "art-2"\n', "")
    assert [a.id for a in parse_meeting_file(text).declaration.articles] == ["art-1", "art-2"]


def test_markdown_draft_files_become_the_declaration(tmp_path: Path) -> None:
    (tmp_path / "draft.en.md").write_text(
        "# Nairobi Declaration\n\n## On children\n\nWe, the organisations,\n\nagree:\n\n"
        "1. Children first.\n\n2. Schools for all,\nin every village.\n",
        encoding="utf-8",
    )
    (tmp_path / "draft.zh.md").write_text(
        "# 内罗毕宣言\n\n我们同意：\n\n1. 儿童优先。\n\n2. 人人有学上。\n", encoding="utf-8"
    )
    head = GOOD.split("[declaration]")[0]
    text = (
        head
        + '[declaration]\ndate = 2026-03-20\nfiles = { en = "draft.en.md", zh = "draft.zh.md" }\n'
    )
    path = tmp_path / "meeting.toml"
    path.write_text(text, encoding="utf-8")
    declaration = read_meeting_file(path).declaration
    assert declaration.title == {"en": "Nairobi Declaration", "zh": "内罗毕宣言"}
    assert declaration.subtitle == {"en": "On children"}
    assert declaration.preamble == {"en": "We, the organisations,\n\nagree:", "zh": "我们同意："}
    assert [a.text for a in declaration.articles] == [
        {"en": "Children first.", "zh": "儿童优先。"},
        {"en": "Schools for all,\nin every village.", "zh": "人人有学上。"},
    ]


def test_markdown_files_with_different_article_counts_are_refused(tmp_path: Path) -> None:
    (tmp_path / "en.md").write_text("# T\n\n1. One.\n\n2. Two.\n", encoding="utf-8")
    (tmp_path / "zh.md").write_text("# 标题\n\n1. 一。\n", encoding="utf-8")
    text = (
        GOOD.split("[declaration]")[0] + '[declaration]\nfiles = { en = "en.md", zh = "zh.md" }\n'
    )
    assert any(
        "declaration.files: the language files have different numbers of articles (en: 2, zh: 1)"
        in p
        for p in problems_of(text, tmp_path)
    )


def test_a_missing_markdown_file_is_named(tmp_path: Path) -> None:
    text = (
        GOOD.split("[declaration]")[0]
        + '[declaration]\nfiles = { en = "nope.md", zh = "nope.zh.md" }\n'
    )
    problems = problems_of(text, tmp_path)
    assert any(p.startswith("declaration.files.en: cannot read 'nope.md'") for p in problems), (
        problems
    )


def test_unreadable_and_non_utf8_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(MeetingFileError, match="cannot read the file"):
        read_meeting_file(tmp_path / "missing.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes("[meeting]\nid = 'caf\xe9'\n".encode("latin-1"))
    with pytest.raises(MeetingFileError, match="not valid UTF-8"):
        read_meeting_file(latin1)


def _files(en: str, zh: str = "zh.md") -> str:
    return (
        GOOD.split("[declaration]")[0] + f"[declaration]\nfiles = {{ en = {en!r}, zh = {zh!r} }}\n"
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("ABSOLUTE", "give a path relative to the meeting file's folder"),
        ("../private.md", "'../private.md' is outside the meeting file's folder"),
        ("sub/../../private.md", "is outside the meeting file's folder"),
        ("link.md", "'link.md' is outside the meeting file's folder"),  # a symlink out of it
        ("folder", "'folder' is not a regular file"),
        ("big.md", "'big.md' is 30.0 MB; the limit is 20.0 MB"),
    ],
)
def test_declaration_files_stay_inside_the_meeting_files_folder(
    tmp_path: Path, target: str, expected: str
) -> None:
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    private = tmp_path / "private.md"
    private.write_text("# Someone's private notes\n\n1. A secret.\n", encoding="utf-8")
    (meeting / "zh.md").write_text("# 标题\n\n1. 一。\n", encoding="utf-8")
    (meeting / "link.md").symlink_to(private)
    (meeting / "folder").mkdir()
    with (meeting / "big.md").open("wb") as big:
        big.truncate(30_000_000)
    en = str(private) if target == "ABSOLUTE" else target
    problems = problems_of(_files(en), meeting)
    assert any(p.startswith("declaration.files.en: ") and expected in p for p in problems), problems
    assert not any("secret" in p.lower() for p in problems)


def test_a_declaration_file_inside_the_folder_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "en.md").write_text("# T\n\n1. One.\n", encoding="utf-8")
    (tmp_path / "zh.md").write_text("# 标题\n\n1. 一。\n", encoding="utf-8")
    loaded = parse_meeting_file(_files("drafts/./en.md"), base_dir=tmp_path)
    assert loaded.declaration.title == {"en": "T", "zh": "标题"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "\nx = " + "[" * 1000 + "]" * 1000 + "\n", "nested more than 32 levels deep"),
        (GOOD + "\nx = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n", "nested more than 32"),
        (GOOD + "\n[" + "a." * 200_000 + "a]\n", "a key of more than 16 dotted parts"),
        (GOOD + "\n" + "a." * 200_000 + "a = 1\n", "a key of more than 16 dotted parts"),
        ("[meeting]\n" + "x = [" * 40 + "\n", "line 2: nested more than 32 levels deep"),
    ],
    ids=["arrays", "inline tables", "dotted header", "dotted key", "line number"],
)
def test_a_toml_too_deep_to_parse_gets_a_clear_error_fast(text: str, expected: str) -> None:
    started = time.monotonic()
    problems = problems_of(text)
    assert time.monotonic() - started < 2
    assert any(expected in p for p in problems), problems


def test_dots_and_brackets_inside_strings_and_comments_are_not_structure() -> None:
    inside = "# " + "a." * 100 + "[" * 100 + "\n"
    text = GOOD.replace("[decision]", inside + "[decision]", 1).replace(
        'name = "The Chair"', 'name = "' + "Dr." * 40 + '[[{{"', 1
    )
    assert parse_meeting_file(text).meeting.id == "test-meeting"
