"""Comments: threaded, on an article or an amendment, optionally quoting a span of text.

Observers may comment. Authors edit or withdraw their own comments; every wording stays in the
comment's history and in the event log.
"""

from __future__ import annotations

import msgspec

from consensus_kit.domain.amendments import AmendmentKind
from consensus_kit.domain.comments import (
    Anchor,
    AnchorState,
    Comment,
    CommentTarget,
    anchor_state,
    make_anchor,
)
from consensus_kit.domain.events import CommentEdited, CommentPosted, CommentWithdrawn
from consensus_kit.domain.ids import ArticleId, DelegateId, Lang, MeetingId
from consensus_kit.domain.lines import line_at, number_lines
from consensus_kit.domain.model import Meeting
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import check_text
from consensus_kit.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["COMMENT_LIMIT", "CommentView", "Comments", "Quote"]

COMMENT_LIMIT = 5_000


class Quote(msgspec.Struct, frozen=True, kw_only=True):
    """The span a comment quotes: language, code-point offsets and the words themselves."""

    lang: str
    start: int
    end: int
    text: str


class CommentView(msgspec.Struct, frozen=True, kw_only=True):
    """A comment with whether its anchor still points at the words it quoted."""

    comment: Comment
    anchor: AnchorState | None
    lines: list[int] = msgspec.field(default_factory=list)
    """The numbers of the lines the quoted span covers in the current text (the meeting's
    line widths); none when nothing is quoted or the words are no longer there."""


class Comments:
    """Post, edit, withdraw and read comments; an amendment's words come from ``amendments``."""

    def __init__(self, ctx: Context, amendments: Amendments) -> None:
        self._ctx = ctx
        self._amendments = amendments

    def _target_text(
        self,
        repo: Repository,
        meeting: Meeting,
        target: CommentTarget,
        target_id: str,
        lang: str,
        version: int | None,
    ) -> tuple[str | None, int]:
        """The current text a comment on ``target`` can quote in ``lang``, and its version."""
        latest = self._ctx.latest(repo, meeting.id)
        if target is CommentTarget.ARTICLE:
            article = latest.declaration.article(ArticleId(target_id))
            if article is None:
                raise NotFound(f"no article {target_id!r} in version {latest.number}")
            return article.text.get(Lang(lang)), latest.number
        if not target_id.isdigit():
            raise InvalidInput("an amendment is named by its number", field="target_id")
        amendment = self._amendments.get(repo, meeting.id, int(target_id))
        text = amendment.texts.get(Lang(lang))
        if amendment.kind is AmendmentKind.DELETE:
            text = amendment.base_texts.get(Lang(lang))
        return text, amendment.base_version

    def post_comment(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        target: CommentTarget | str,
        target_id: str,
        body: str,
        parent: int | None = None,
        quote: Quote | None = None,
    ) -> Comment:
        """Comment on an article or an amendment; reply with ``parent``; quote a span."""
        try:
            target = CommentTarget(target)
        except ValueError:
            raise InvalidInput("expected 'article' or 'amendment'", field="target") from None
        body = check_text(body, field="body", limit=COMMENT_LIMIT)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.COMMENT)
            anchor: Anchor | None = None
            if quote is not None:
                if quote.lang not in meeting.languages:
                    raise InvalidInput(
                        f"{quote.lang!r} is not a meeting language", field="quote.lang"
                    )
                text, version = self._target_text(
                    repo, meeting, target, target_id, quote.lang, None
                )
                anchor = make_anchor(
                    text or "",
                    lang=Lang(quote.lang),
                    version=version,
                    start=quote.start,
                    end=quote.end,
                    quote=quote.text,
                )
            else:
                self._target_text(
                    repo, meeting, target, target_id, meeting.negotiating_language, None
                )
            if parent is not None:
                above = repo.get_comment(meeting_id, parent)
                if above is None or (above.target, above.target_id) != (target, target_id):
                    raise InvalidInput(
                        f"no comment {parent} on this {target.value}", field="parent"
                    )
            comment = Comment(
                meeting=meeting_id,
                id=repo.next_comment_id(meeting_id),
                target=target,
                target_id=target_id,
                author=DelegateId(actor.id),
                body=body,
                created_at=now,
                parent=parent,
                anchor=anchor,
            )
            repo.add_comment(comment)
            self._ctx.append(
                repo,
                meeting_id,
                actor,
                now,
                CommentPosted(
                    id=comment.id,
                    target=target.value,
                    target_id=target_id,
                    body=body,
                    parent=parent,
                    quote=anchor.quote if anchor else None,
                ),
            )
            uow.commit()
        return comment

    def _own_comment(
        self, repo: Repository, actor: Principal, meeting_id: MeetingId, comment_id: int
    ) -> Comment:
        comment = repo.get_comment(meeting_id, comment_id)
        if comment is None:
            raise NotFound(f"no comment {comment_id} in meeting {meeting_id!r}")
        if comment.author != actor.id:
            raise NotPermitted(
                f"comment {comment_id} is {comment.author}'s: only its author may change it",
                actor=actor.id,
                action=Action.COMMENT.value,
            )
        if comment.withdrawn:
            raise InvalidState(f"comment {comment_id} was withdrawn")
        return comment

    def edit_comment(
        self, actor: Principal, meeting_id: MeetingId, comment_id: int, body: str
    ) -> Comment:
        """Change the wording of one's own comment; the earlier wording stays in its history."""
        body = check_text(body, field="body", limit=COMMENT_LIMIT)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.COMMENT)
            comment = self._own_comment(uow.repo, actor, meeting_id, comment_id)
            updated = msgspec.structs.replace(
                comment, body=body, history=(*comment.history, comment.body), edited_at=now
            )
            uow.repo.save_comment(updated)
            self._ctx.append(
                uow.repo, meeting_id, actor, now, CommentEdited(id=comment_id, body=body)
            )
            uow.commit()
        return updated

    def withdraw_comment(self, actor: Principal, meeting_id: MeetingId, comment_id: int) -> Comment:
        """Withdraw one's own comment (it stays in the record, marked withdrawn)."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.COMMENT)
            comment = self._own_comment(uow.repo, actor, meeting_id, comment_id)
            updated = msgspec.structs.replace(comment, withdrawn=True, edited_at=now)
            uow.repo.save_comment(updated)
            self._ctx.append(uow.repo, meeting_id, actor, now, CommentWithdrawn(id=comment_id))
            uow.commit()
        return updated

    def comments(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        target: CommentTarget | str,
        target_id: str,
    ) -> list[CommentView]:
        """The comments on an article or an amendment, oldest first, each with its anchor state."""
        try:
            target = CommentTarget(target)
        except ValueError:
            raise InvalidInput("expected 'article' or 'amendment'", field="target") from None
        with self._ctx.store.reading() as uow:
            repo = uow.repo
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            found = repo.list_comments(meeting_id, target, target_id)
            texts: dict[str, str | None] = {}
            for comment in found:
                if comment.anchor and comment.anchor.lang not in texts:
                    texts[comment.anchor.lang] = self._target_text(
                        repo, meeting, target, target_id, comment.anchor.lang, None
                    )[0]
        views = []
        for c in found:
            state = anchor_state(c.anchor, texts[c.anchor.lang]) if c.anchor else None
            lines: list[int] = []
            if c.anchor and state is AnchorState.CURRENT:
                numbered = number_lines(texts[c.anchor.lang] or "", c.anchor.lang, meeting.lines)
                first = line_at(numbered, c.anchor.start)
                last = line_at(numbered, max(c.anchor.start, c.anchor.end - 1))
                if first is not None and last is not None:
                    lines = list(range(first, last + 1))
            views.append(CommentView(comment=c, anchor=state, lines=lines))
        return views
