"""Small builders for test data, and the shared Unicode corpus."""

from __future__ import annotations

import datetime as dt
from typing import Any

from consensus_kit import (
    CONSOLE,
    Article,
    ArticleId,
    Declaration,
    LoadedMeeting,
    MeetingFile,
    MeetingService,
    parse_meeting_file,
)

UNICODE_CORPUS: dict[str, str] = {
    "chinese": "关爱保护儿童应该成为国际社会共同关注的首要议题。",
    "chinese_with_latin": "我们与UNICEF合作，到2030年实现目标（53 %）。",
    "japanese": "子どもの権利条約を完全に実施する。",
    "arabic": "حماية الأطفال يجب أن تكون الشاغل الأساسي للمجتمع الدولي.",
    "hebrew": "הגנה על ילדים היא חובה של הקהילה הבינלאומית.",
    "emoji": "Children first 👧🏽👦🏿 — family: 👨‍👩‍👧 flags: 🇰🇪🇨🇳 ✨",
    "combining": "Citoyennete\u0301 — a\u0300 l'e\u0301cole; Ñ vs N\u0303; ক্ষ",
    "thai": "การคุ้มครองเด็กเป็นสิ่งสำคัญ",
    "devanagari": "बच्चों की सुरक्षा सबसे महत्वपूर्ण है।",
    "rare_cjk": "𠀀𠮷𪚥 (CJK Extension B)",
    "zero_width": "e\u200dmoji and rtl mark \u200f here",
    "markup": "<script>alert('x')</script> & \"quotes\" 'single' -- ; DROP TABLE meetings;",
    "multiline": "First paragraph.\n\nSecond paragraph,\twith a tab.",
}
"""Legitimate text a delegate can type; every entry must round-trip unchanged."""

HOSTILE_TEXT: dict[str, str] = {
    "nul": "before\x00after",
    "bell": "ring\x07",
    "escape": "\x1b[31mred",
    "carriage_return": "line\rline",
    "del": "x\x7fy",
    "c1": "x\x85y",
    "rlo": "abc\u202edcba",
    "lri": "abc\u2066x\u2069",
    "lone_surrogate": "a\ud800b",
    "noncharacter": "a\ufffeb",
    "astral_noncharacter": "a\U0001fffeb",
}
"""Text refused at input: control characters, bidi overrides, lone surrogates, non-characters."""


def meeting_toml(
    *,
    orgs: int = 3,
    langs: tuple[str, ...] = ("en", "zh"),
    articles: int = 2,
    meeting_id: str = "test-meeting",
    extra: str = "",
) -> str:
    """A valid meeting file: ``orgs`` voting organisations with a delegate and a signatory
    each, one observer organisation, a chair and a secretariat."""
    negotiating = langs[0]

    def texts(label: str) -> str:
        return "{ " + ", ".join(f'{lang} = "{label} ({lang})"' for lang in langs) + " }"

    parts = [
        "[meeting]",
        f'id = "{meeting_id}"',
        f"title = {texts('Test summit')}",
        f"place = {texts('Nairobi')}",
        "start = 2026-03-18",
        "end = 2026-03-20",
        f"languages = {list(langs)!r}".replace("'", '"'),
        f'negotiating_language = "{negotiating}"',
        "",
        "[decision]",
        'rule = "consensus"',
        "quorum = 0.5",
    ]
    countries = ["KE", "CN", "HU", "BD", "AL", "MN", "TZ", "PH"]
    regions = ["Africa", "Asia", "Europe", "Asia", "Europe", "Asia", "Africa", "Asia"]
    for i in range(orgs):
        parts += [
            "",
            "[[organisations]]",
            f'id = "org-{i + 1}"',
            f"name = {texts(f'Organisation {i + 1}')}",
            f'country = "{countries[i % len(countries)]}"',
            f'region = "{regions[i % len(regions)]}"',
        ]
    parts += [
        "",
        "[[organisations]]",
        'id = "unicef"',
        'name = { en = "UNICEF" }',
        "observer = true",
    ]
    for i in range(orgs):
        parts += [
            "",
            "[[delegates]]",
            f'id = "delegate-{i + 1}"',
            f'name = "Delegate {i + 1}"',
            f'organisation = "org-{i + 1}"',
            'roles = ["delegate"]',
            "",
            "[[delegates]]",
            f'id = "signatory-{i + 1}"',
            f'name = "Signatory {i + 1}"',
            f'organisation = "org-{i + 1}"',
            'roles = ["delegate", "signatory"]',
            'title = "Director"',
        ]
    parts += [
        "",
        "[[delegates]]",
        'id = "observer"',
        'name = "UNICEF representative"',
        'organisation = "unicef"',
        'roles = ["observer"]',
        "",
        "[[delegates]]",
        'id = "chair"',
        'name = "The Chair"',
        'roles = ["chair"]',
        "",
        "[[delegates]]",
        'id = "secretariat"',
        'name = "The Secretariat"',
        'roles = ["secretariat"]',
        "",
        "[declaration]",
        "date = 2026-03-20",
        f"title = {texts('Test declaration')}",
        f"preamble = {texts('We agree')}",
    ]
    for i in range(articles):
        parts += [
            "",
            "[[declaration.articles]]",
            f'id = "art-{i + 1}"',
            f"text = {texts(f'Article {i + 1}')}",
        ]
    return "\n".join(parts) + "\n" + extra


def make_meeting_file(**kwargs: Any) -> MeetingFile:
    """A validated meeting file (see :func:`meeting_toml`)."""
    return parse_meeting_file(meeting_toml(**kwargs), source="test.toml")


def load_meeting(service: MeetingService, **kwargs: Any) -> LoadedMeeting:
    """Load a test meeting into ``service``."""
    return service.load_meeting(make_meeting_file(**kwargs), actor=CONSOLE)


def with_article_text(declaration: Declaration, index: int, lang: str, text: str) -> Declaration:
    """A copy of ``declaration`` with one article's text in one language replaced."""
    articles = list(declaration.articles)
    article = articles[index]
    articles[index] = Article(id=article.id, text={**article.text, lang: text})  # type: ignore[dict-item]
    return Declaration(
        title=declaration.title,
        subtitle=declaration.subtitle,
        preamble=declaration.preamble,
        articles=tuple(articles),
        date=declaration.date,
    )


def with_articles(declaration: Declaration, texts: dict[str, dict[str, str]]) -> Declaration:
    """A copy of ``declaration`` whose articles are exactly ``texts`` (id → lang → text), in order."""
    return Declaration(
        title=declaration.title,
        subtitle=declaration.subtitle,
        preamble=declaration.preamble,
        articles=tuple(Article(id=ArticleId(k), text=v) for k, v in texts.items()),  # type: ignore[arg-type]
        date=declaration.date,
    )


def fixed_clock(start: dt.datetime | None = None) -> Any:
    """A clock that advances one second per call, from ``start``."""
    current = [start or dt.datetime(2018, 3, 23, 9, 0, tzinfo=dt.UTC)]

    def now() -> dt.datetime:
        current[0] += dt.timedelta(seconds=1)
        return current[0]

    return now
