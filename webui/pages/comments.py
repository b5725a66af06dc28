"""Posting a comment from a form: the quoted words are located in the current text here, so
the browser never sends character offsets (JavaScript counts UTF-16 units, not code points)."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request

from consensus_kit import AmendmentKind, ArticleId, CommentTarget, InvalidInput, Lang, Quote
from webui.deps import Me, service_of
from webui.pages._common import act, field, number

__all__ = ["post_comment"]


def _quoted_text(
    request: Request[Any, Any, Any], me: Me, target: str, target_id: str, lang: str
) -> str:
    service = service_of(request.app.state)
    if target == CommentTarget.ARTICLE:
        found = service.version(me.delegate, me.mid).declaration.article(ArticleId(target_id))
        return found.text.get(Lang(lang), "") if found else ""
    if not target_id.isdigit():
        return ""
    amendment = service.amendment(me.delegate, me.mid, int(target_id)).amendment
    texts = amendment.base_texts if amendment.kind is AmendmentKind.DELETE else amendment.texts
    return texts.get(Lang(lang), "")


def post_comment(request: Request[Any, Any, Any], me: Me, data: dict[str, Any]) -> tuple[str, str]:
    """Post the form's comment; returns its target."""
    service = service_of(request.app.state)
    target, target_id = field(data, "target"), field(data, "target_id")
    words, lang = field(data, "quote").strip(), field(data, "quote_lang")
    quote = None
    if words:
        if lang not in me.meeting.languages:
            raise InvalidInput("choose the language of the quoted words", field="quote_lang")
        text = _quoted_text(request, me, target, target_id, lang)
        # words selected across numbered lines come with a line break where the text wrapped
        # (at a space, or between two characters in Chinese): find them with either
        pattern = r"\s*".join(re.escape(piece) for piece in words.split("\n"))
        found = re.search(pattern, text)
        if found:
            words = found.group()
        start = found.start() if found else 0
        quote = Quote(lang=lang, start=start, end=start + len(words), text=words)
    act(
        request,
        me,
        service.post_comment,
        target=target,
        target_id=target_id,
        body=field(data, "body"),
        parent=number(data, "parent"),
        quote=quote,
    )
    return target, target_id
