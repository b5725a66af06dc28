"""Template filters: presentation only (escaping, dates, names); no rule lives here."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from babel import Locale
from jinja2 import Environment
from markupsafe import Markup

from consensus_kit import DiffOp, LineWidths, Meeting, number_diff, number_lines, render_html
from consensus_kit.domain.lines import line_ranges

__all__ = [
    "country_name",
    "install",
    "name_label",
    "org_label",
    "org_name",
    "text_dir",
    "version_note",
]

RTL = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})


def diff_html(ops: Iterable[DiffOp]) -> Markup:
    """A diff as HTML (``<ins>``/``<del>``), escaped by :func:`consensus_kit.render_html`."""
    return Markup(render_html(ops))


def numbered_diff(ops: Iterable[DiffOp], lang: str, widths: LineWidths | None = None) -> Markup:
    """A diff along the numbered lines of its older text: one row per line, the number in a
    gutter (drawn by CSS from ``data-n``, so selecting and copying the words leaves the numbers
    out), the lines it touches marked. (Joined as strings: :func:`render_html` escapes the
    words, and a page of a thousand amendments draws some ten thousand rows.)"""
    out = []
    for row in number_diff(list(ops), lang, widths or LineWidths()):
        out.append(_ROW_CHANGED if row.changed else _ROW)
        out.append("" if row.number is None else str(row.number))
        out.append('"></span><span class="lt">')
        out.append(render_html(row.ops))
        out.append("</span></div>")
    return Markup("".join(out))


_ROW = '<div class="ln-row"><span class="ln" data-n="'
_ROW_CHANGED = '<div class="ln-row changed"><span class="ln" data-n="'


def numbered_text(text: str, lang: str, widths: LineWidths | None = None) -> Markup:
    """A text as numbered lines (the same lines as the exports and the projector). Each row
    keeps the spaces where its line wraps, so the rows' text read together is the text."""
    rows = [
        Markup(
            '<div class="ln-row"><span class="ln" data-n="{}"></span>'
            '<span class="lt">{}</span></div>'
        ).format(line.number, text[line.start : line.end].removesuffix("\n"))
        for line in number_lines(text, lang, widths or LineWidths())
    ]
    return Markup("").join(rows)


def line_spans(numbers: Iterable[int]) -> list[str]:
    """Line numbers as ranges to print: ``[2, 3, 4, 7]`` → ``["2–4", "7"]``."""
    return [f"{a}–{b}" if a != b else str(a) for a, b in line_ranges(numbers)]


def when(value: dt.datetime | dt.date | None, fmt: str = "%Y-%m-%d %H:%M UTC") -> str:
    """A time in UTC, or a date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime(fmt)
    return value.isoformat()


def _zone(meeting: Meeting | None) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(meeting.timezone) if meeting else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def clock(value: dt.datetime | None, meeting: Meeting | None, fmt: str = "%H:%M:%S") -> str:
    """A time of day in the meeting's time zone."""
    return value.astimezone(_zone(meeting)).strftime(fmt) if value else ""


def moment(
    value: dt.datetime | None, meeting: Meeting | None, fmt: str = "%Y-%m-%d %H:%M"
) -> Markup:
    """A ``<time>`` in the meeting's time zone (with its abbreviation), UTC on hover."""
    if value is None:
        return Markup("")
    local = value.astimezone(_zone(meeting))
    return Markup('<time datetime="{}" title="{}" translate="no">{}</time>').format(
        value.astimezone(dt.UTC).isoformat(),
        when(value, "%Y-%m-%d %H:%M:%S UTC"),
        f"{local.strftime(fmt)} {local.tzname() or ''}".strip(),
    )


def left(deadline: dt.datetime | None) -> str:
    """The time left until ``deadline`` as ``m:ss`` (``h:mm:ss`` beyond an hour)."""
    if deadline is None:
        return ""
    seconds = max(0, round((deadline - dt.datetime.now(dt.UTC)).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def text_dir(lang: str) -> str:
    """``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if lang.split("-", maxsplit=1)[0] in RTL else "ltr"


def country_name(code: str | None, ui_lang: str = "en") -> str:
    """A country's name in the interface language (CLDR), or the code."""
    if not code:
        return ""
    try:
        name = Locale.parse(ui_lang).territories.get(code.upper())
    except (ValueError, TypeError):
        name = None
    return str(name or code)


@functools.lru_cache(maxsize=1024)
def lang_name(code: str, ui_lang: str = "en") -> str:
    """A language's own name in the interface language (CLDR), or the code."""
    try:
        name = Locale.parse(ui_lang).languages.get(code.replace("-", "_"))
    except (ValueError, TypeError):
        name = None
    return str(name or code)


def org_name(meeting: Meeting, org_id: str | None, lang: str) -> str:
    """An organisation's name in ``lang`` (else the negotiating language), or its id."""
    if not org_id:
        return ""
    from consensus_kit import OrgId  # noqa: PLC0415

    org = meeting.organisation(OrgId(org_id))
    if org is None:
        return org_id
    return org.name_in(lang, meeting.negotiating_language)  # type: ignore[arg-type]


def name_label(texts: Mapping[Any, str] | None, ui_lang: str, fallback: str) -> Markup:
    """A name given per language, as ``<bdi>``: in ``ui_lang``, else in ``fallback``, else in
    any language it has; tagged with its language (and so its direction) when that is not the
    interface's: "Pampas Children's Fund" in an Arabic page is English, left to right."""
    if not texts:
        return Markup("")
    lang = next((code for code in (ui_lang, fallback) if code in texts), next(iter(texts)))
    if lang == ui_lang:
        return Markup("<bdi>{}</bdi>").format(texts[lang])
    return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(lang, text_dir(lang), texts[lang])


def org_label(meeting: Meeting, org_id: str | None, ui_lang: str) -> Markup:
    """An organisation's name for the page (see :func:`name_label`), or its id."""
    if not org_id:
        return Markup("")
    from consensus_kit import OrgId  # noqa: PLC0415

    org = meeting.organisation(OrgId(org_id))
    if org is None:
        return Markup("<bdi>{}</bdi>").format(org_id)
    return name_label(org.name, ui_lang, meeting.negotiating_language)


def pick(texts: dict[str, str] | None, *langs: str) -> str:
    """The first of ``langs`` that ``texts`` has, else any text."""
    if not texts:
        return ""
    for lang in langs:
        if lang in texts:
            return texts[lang]
    return next(iter(texts.values()))


_ADOPTED = re.compile(r"amendment (\d+) adopted")


class _Translator(Protocol):
    def gettext(self, message: str, **values: Any) -> str: ...


def version_note(note: str | None, ui: _Translator) -> str:
    """A version's note in the interface language when it is one the library writes
    (``amendment 3 adopted``, ``translations updated``, the first draft's); a person's own note
    stays as written."""
    note = note or ""
    found = _ADOPTED.fullmatch(note)
    if found:
        return ui.gettext("amendment %(n)s adopted", n=found.group(1))
    if note in ("translations updated", "first draft, from the meeting file"):
        return ui.gettext(note)
    return note


def install(env: Environment) -> None:
    """Register the filters and helpers on a Jinja environment."""
    env.filters.update(
        diff=diff_html,
        numbered_diff=numbered_diff,
        numbered_text=numbered_text,
        line_spans=line_spans,
        when=when,
        clock=clock,
        moment=moment,
        left=left,
        textdir=text_dir,
        country=country_name,
        langname=lang_name,
        short=lambda value, n=12: str(value or "")[:n],
        note=version_note,
    )
    env.globals.update(org_name=org_name, org_label=org_label, name_label=name_label, pick=pick)
