"""Comments on an article or an amendment, threaded, optionally anchored to a quoted span.

An anchor stores the language, the version it was made on, the code-point offsets and the
quoted words. When the text changes, the comment stays and its anchor is reported as
*outdated* rather than pointing at other words.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from consensus_kit.domain.ids import DelegateId, Lang, MeetingId
from consensus_kit.errors import InvalidInput

__all__ = ["Anchor", "AnchorState", "Comment", "CommentTarget", "anchor_state", "make_anchor"]


class CommentTarget(enum.StrEnum):
    """What a comment is about."""

    ARTICLE = "article"
    AMENDMENT = "amendment"


class Anchor(msgspec.Struct, frozen=True, kw_only=True):
    """A quoted span of one language's text, as it stood in one version."""

    lang: Lang
    version: int
    start: int
    end: int
    quote: str


class AnchorState(enum.StrEnum):
    """Whether an anchor still points at the words it quoted."""

    CURRENT = "current"
    OUTDATED = "outdated"


class Comment(msgspec.Struct, frozen=True, kw_only=True):
    """One comment; ``history`` keeps every earlier wording, ``withdrawn`` hides none of it."""

    meeting: MeetingId
    id: int
    target: CommentTarget
    target_id: str
    author: DelegateId
    body: str
    created_at: dt.datetime
    parent: int | None = None
    anchor: Anchor | None = None
    history: tuple[str, ...] = ()
    edited_at: dt.datetime | None = None
    withdrawn: bool = False


def make_anchor(text: str, *, lang: Lang, version: int, start: int, end: int, quote: str) -> Anchor:
    """An anchor on ``text[start:end]``, which must equal ``quote``.

    >>> make_anchor("儿童优先", lang="zh", version=1, start=0, end=2, quote="儿童").quote
    '儿童'
    """
    if not 0 <= start < end <= len(text):
        raise InvalidInput(
            f"the span {start}–{end} is outside the text (length {len(text)})", field="anchor"
        )
    if text[start:end] != quote:
        raise InvalidInput(
            "the quoted words are not at that place in the text", field="anchor.quote"
        )
    return Anchor(lang=lang, version=version, start=start, end=end, quote=quote)


def anchor_state(anchor: Anchor, current_text: str | None) -> AnchorState:
    """Whether ``anchor`` still quotes ``current_text`` at the same place."""
    if current_text is not None and current_text[anchor.start : anchor.end] == anchor.quote:
        return AnchorState.CURRENT
    return AnchorState.OUTDATED
