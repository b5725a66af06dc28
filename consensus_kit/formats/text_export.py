"""Plain-text exports of a version: Markdown (for reading and diffing in git) and JSON.

Both are deterministic: the same version and signatories give the same bytes, so an export
kept in a repository changes exactly where the text changed.

>>> text = export_markdown(meeting, version, signatories)  # doctest: +SKIP
>>> data = export_json(meeting, version, signatories)      # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec

from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.locales import language_name
from consensus_kit.domain.model import Meeting, Version
from consensus_kit.formats.export_common import (
    check_languages,
    check_texts,
    dateline,
    label,
    long_date,
    paragraphs_of,
)

__all__ = ["JSON_FORMAT", "export_json", "export_markdown", "markdown_escape"]

JSON_FORMAT = "consensus-kit/export/1"
"""The ``format`` field of :func:`export_json` documents."""

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^([#+\-=>]|\d+(?=[.)]))")
_LEADING = re.compile(r"^[ \t]+")


def markdown_escape(line: str) -> str:
    """One line of text made literal in CommonMark: markup characters get a backslash, a
    line-start marker (``#``, ``-``, ``1.``…) is neutralised, leading blanks become character
    references (they would start a code block).

    >>> markdown_escape("<script>alert('x')</script> & *bold*")
    "\\\\<script\\\\>alert('x')\\\\</script\\\\> & \\\\*bold\\\\*"
    >>> markdown_escape("1. not a list")
    '1\\\\. not a list'
    """
    escaped = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
    escaped = _LINE_START.sub(_neutralise, escaped)
    return _LEADING.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), escaped)


def _neutralise(match: re.Match[str]) -> str:
    marker = match.group(1)
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


def _block(text: str, indent: str = "") -> str:
    """A paragraph: escaped lines joined by hard line breaks (``\\`` at the end of a line)."""
    lines = [markdown_escape(line) for line in text.split("\n")]
    return ("\\\n" + indent).join(lines)


def _cell(text: str) -> str:
    return markdown_escape(text.replace("\n", " ")) if text else ""


def _section(
    meeting: Meeting, version: Version, lang: str, signatories: Sequence[SignatoryLine]
) -> list[str]:
    declaration = version.declaration
    pending = "*" + markdown_escape(label(lang, "pending")) + "*"

    def text_of(texts: dict[Lang, str]) -> str:
        text = texts.get(Lang(lang))
        return pending if text is None else _block(text)

    out = [f"## {markdown_escape(language_name(lang, lang))} ({lang})", ""]
    out += [f"### {text_of(declaration.title)}", ""]
    if declaration.subtitle:
        out += [f"#### {text_of(declaration.subtitle)}", ""]
    out += [f"*{markdown_escape(dateline(meeting, version, lang))}*", ""]
    if declaration.preamble:
        text = declaration.preamble.get(Lang(lang))
        chunks = [pending] if text is None else [_block(c) for c in paragraphs_of(text)]
        out += [line for chunk in chunks for line in (chunk, "")]
    for number, article in enumerate(declaration.articles, start=1):
        marker = f"{number}. "
        indent = " " * len(marker)
        text = article.text.get(Lang(lang))
        chunks = [pending] if text is None else [_block(c, indent) for c in paragraphs_of(text)]
        out += [marker + chunks[0], ""]
        out += [line for chunk in chunks[1:] for line in (indent + chunk if chunk else "", "")]
    if signatories:
        keys = ("no", "organisation", "country", "signer", "title", "date")
        out += [f"#### {markdown_escape(label(lang, 'signatories'))}", ""]
        out.append("| " + " | ".join(_cell(label(lang, k)) for k in keys) + " |")
        out.append("|" + " --- |" * len(keys))
        for i, line in enumerate(signatories, start=1):
            name = line.names.get(Lang(lang)) or line.names.get(meeting.negotiating_language)
            cells = [
                str(i),
                _cell(name or next(iter(line.names.values()), str(line.organisation))),
                _cell(line.country_in(lang)),
                _cell(line.signer),
                _cell(line.signer_title),
                _cell(long_date(line.signed_at.date(), lang, short=True)),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def export_markdown(
    meeting: Meeting, version: Version, signatories: Sequence[SignatoryLine] = ()
) -> str:
    """The declaration in every meeting language as one Markdown document.

    A header names the meeting, version and content hash; then one section per language (in
    the meeting's order): title, subtitle, date and place, preamble, numbered articles, and the
    signatories as a table. Texts are escaped so that markup in them stays literal text.

    >>> print(export_markdown(meeting, version, lines))  # doctest: +SKIP
    """
    langs = list(meeting.languages)
    check_languages(meeting, version, langs)
    check_texts(meeting, [version.declaration], langs, signatories)
    negotiating = meeting.negotiating_language
    title = version.declaration.title.get(negotiating) or meeting.id
    out = [
        f"<!-- consensus-kit export: meeting {meeting.id}, version {version.number}, "
        f"sha256 {version.content_hash} -->",
        "",
        f"# {_block(title)}",
        "",
        f"- {markdown_escape(meeting.title.get(negotiating, meeting.id))}",
        f"- Version {version.number} ({version.state.value}), {version.created_at.isoformat()}",
        f"- sha256 `{version.content_hash}`",
        f"- {', '.join(langs)} (negotiating language: {negotiating})",
        "",
    ]
    for lang in langs:
        out += _section(meeting, version, lang, signatories)
    return "\n".join(out).rstrip("\n") + "\n"


def export_json(
    meeting: Meeting, version: Version, signatories: Sequence[SignatoryLine] = ()
) -> bytes:
    """The version, its meeting's details and the signatories as indented JSON (UTF-8).

    Keys are sorted at every level, so equal inputs give identical bytes:

    >>> json.loads(export_json(meeting, version, lines))["version"]["number"]
    ... # doctest: +SKIP
    3
    """
    langs = list(meeting.languages)
    check_languages(meeting, version, langs)
    check_texts(meeting, [version.declaration], langs, signatories)
    document: dict[str, Any] = {
        "format": JSON_FORMAT,
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "place": meeting.place,
            "start": meeting.start,
            "end": meeting.end,
            "languages": meeting.languages,
            "negotiating_language": meeting.negotiating_language,
            "organisers": meeting.organisers,
        },
        "version": {
            "number": version.number,
            "parent": version.parent,
            "content_hash": version.content_hash,
            "state": version.state,
            "created_at": version.created_at,
            "created_by": version.created_by,
            "frozen_at": version.frozen_at,
            "frozen_by": version.frozen_by,
            "note": version.note,
        },
        "declaration": version.declaration,
        "signatories": list(signatories),
    }
    builtins = msgspec.to_builtins(document, order="sorted")
    encoded = msgspec.json.encode(builtins, order="sorted")
    return msgspec.json.format(encoded, indent=2) + b"\n"
