"""API: amendments, comments and the library's diff."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.params import RequestBody

from consensus_kit import (
    Amendment,
    AmendmentView,
    Comment,
    CommentView,
    Quote,
    Vote,
    diff_texts,
    render_html,
)
from webui.api.openapi import (
    READ,
    WRITE,
    AmendmentAction,
    AmendmentNo,
    ArticleQuery,
    CommentNo,
    CommentTargetQuery,
    OpenOnly,
    TargetIdQuery,
    errors,
)
from webui.api.schemas import (
    AmendmentIn,
    CommentEditIn,
    CommentIn,
    DiffIn,
    DiffOut,
    DispositionIn,
    ReviseIn,
)
from webui.deps import MeDep, service_of
from webui.pages._common import act

__all__ = ["DraftingApi"]

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


def quote_of(data: CommentIn) -> Quote | None:
    """The quoted span of a comment, if it has one (the library checks it)."""
    if data.quote is None:
        return None
    return Quote(
        lang=data.quote_lang or "",
        start=data.quote_start if data.quote_start is not None else -1,
        end=data.quote_end if data.quote_end is not None else -1,
        text=data.quote,
    )


class DraftingApi(Controller):
    """Amendments and comments."""

    security = BEARER

    @get("/amendments", sync_to_thread=True, summary="List amendments", responses=errors(*READ))
    def amendments(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        article: ArticleQuery = None,
        open_only: OpenOnly = False,
    ) -> list[AmendmentView]:
        """Amendments (of one article, or only those in play), with their diffs."""
        service = service_of(request.app.state)
        return service.amendments(me.delegate, me.mid, article=article, open_only=open_only)

    @get(
        "/amendments/{number:int}",
        sync_to_thread=True,
        summary="One amendment with its diffs",
        responses=errors(*READ),
    )
    def amendment(
        self, request: Request[Any, Any, Any], me: MeDep, number: AmendmentNo
    ) -> AmendmentView:
        """One amendment with its diff in every language it has text for."""
        return service_of(request.app.state).amendment(me.delegate, me.mid, number)

    @post(
        "/amendments", sync_to_thread=True, summary="Propose an amendment", responses=errors(*WRITE)
    )
    def propose(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[AmendmentIn]
    ) -> Amendment:
        """Propose an amendment for the delegate's organisation."""
        service = service_of(request.app.state)
        return act(
            request,
            me,
            service.propose_amendment,
            kind=data.kind,
            texts=dict(data.texts),
            article=data.article,
            after=data.after,
            rationale=data.rationale,
            base_version=data.base_version,
            draft=data.draft,
            intent=dict(data.intent),
        )

    @patch(
        "/amendments/{number:int}",
        sync_to_thread=True,
        summary="Revise an amendment",
        responses=errors(*WRITE),
    )
    def revise(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        data: RequestBody[ReviseIn],
    ) -> Amendment:
        """Revise an amendment (its sponsor; the secretariat adds a missing translation)."""
        service = service_of(request.app.state)
        texts = dict(data.texts) if data.texts is not None else None
        return act(
            request,
            me,
            service.revise_amendment,
            number,
            texts=texts,
            rationale=data.rationale,
            intent=dict(data.intent) if data.intent is not None else None,
        )

    @post(
        "/amendments/{number:int}/{action:str}",
        sync_to_thread=True,
        status_code=200,
        summary="Submit, withdraw, co-sponsor or reject an amendment",
        responses=errors(*WRITE),
    )
    def move(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        action: AmendmentAction,
    ) -> Amendment:
        """``submit``, ``withdraw``, ``cosponsor`` or ``reject`` an amendment (adopt: below)."""
        from consensus_kit import NotFound  # noqa: PLC0415

        service = service_of(request.app.state)
        operations = {
            "submit": service.submit_amendment,
            "withdraw": service.withdraw_amendment,
            "cosponsor": service.cosponsor_amendment,
            "reject": service.reject_amendment,
        }
        if action not in operations:
            raise NotFound(f"no action {action!r} on amendments")
        return act(request, me, operations[action], number)

    @post(
        "/amendments/{number:int}/set-aside",
        sync_to_thread=True,
        status_code=200,
        summary="Set an amendment aside (the chair)",
        responses=errors(*WRITE),
    )
    def set_aside(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        data: RequestBody[DispositionIn],
    ) -> Amendment:
        """Set an amendment aside (the chair), with a reason: it is not considered further."""
        service = service_of(request.app.state)
        return act(request, me, service.set_aside_amendment, number, reason=data.reason)

    @post(
        "/amendments/{number:int}/request-update",
        sync_to_thread=True,
        status_code=200,
        summary="Ask the sponsor to update an amendment (the chair)",
        responses=errors(*WRITE),
    )
    def request_update(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        data: RequestBody[DispositionIn],
    ) -> Amendment:
        """Ask the sponsor to update an amendment (the chair), with a reason; an open vote on
        it is cancelled, and the sponsor's revision submits it again."""
        service = service_of(request.app.state)
        return act(request, me, service.request_update, number, reason=data.reason)

    @post(
        "/amendments/{number:int}/reconsider",
        sync_to_thread=True,
        status_code=200,
        summary="Reconsider a rejected amendment (the chair)",
        responses=errors(*WRITE),
    )
    def reconsider(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        data: RequestBody[DispositionIn],
    ) -> Amendment:
        """Reopen a rejected amendment (the chair), when the rules of procedure say
        `reconsideration = "chair"`; under `"vote"` this is refused (409): use
        `POST /amendments/{number}/reconsideration-vote`."""
        service = service_of(request.app.state)
        return act(request, me, service.reconsider_amendment, number, reason=data.reason)

    @post(
        "/amendments/{number:int}/reconsideration-vote",
        sync_to_thread=True,
        status_code=200,
        summary="Put a motion to reconsider a rejected amendment to the vote (the chair)",
        responses=errors(*WRITE),
    )
    def reconsideration_vote(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        data: RequestBody[DispositionIn],
    ) -> Vote:
        """Open a recorded vote on the motion to reconsider rejected amendment `number` (the
        chair, with the reason), when the rules of procedure say `reconsideration = "vote"`.
        The vote is under `reconsideration_rule` (two thirds unless the meeting file says
        otherwise); closing it with `POST /votes/{n}/close` submits the amendment again if the
        motion carried, or leaves it rejected. Refused (409) when the rules do not put
        reconsideration to a vote, the amendment is not rejected, a motion on it is already
        open, or the text is frozen; returns the new vote."""
        service = service_of(request.app.state)
        return act(request, me, service.move_to_reconsider, number, reason=data.reason)

    @post(
        "/amendments/{number:int}/adopt",
        sync_to_thread=True,
        status_code=200,
        summary="Adopt an amendment (the chair)",
        responses=errors(*WRITE),
    )
    def adopt(self, request: Request[Any, Any, Any], me: MeDep, number: AmendmentNo) -> Any:
        """Adopt an amendment (the chair): returns the new version."""
        return act(request, me, service_of(request.app.state).adopt_amendment, number)

    @post("/diff", status_code=200, summary="Diff two texts", responses=errors(400, 401, 413, 422))
    async def diff(self, me: MeDep, data: RequestBody[DiffIn]) -> DiffOut:
        """The library's word/character diff of two texts (what the live preview shows); for
        delegates only, like every route but the token's."""
        ops = diff_texts(data.old, data.new, lang=data.lang)
        return DiffOut(ops=[{"op": o.op, "text": o.text} for o in ops], html=render_html(ops))

    @get(
        "/comments",
        sync_to_thread=True,
        summary="List the comments on an article or amendment",
        responses=errors(*READ),
    )
    def comments(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        target: CommentTargetQuery,
        target_id: TargetIdQuery,
    ) -> list[CommentView]:
        """The comments on an article or amendment, oldest first."""
        service = service_of(request.app.state)
        return service.comments(me.delegate, me.mid, target=target, target_id=target_id)

    @post(
        "/comments",
        sync_to_thread=True,
        summary="Comment on an article or amendment",
        responses=errors(*WRITE),
    )
    def comment(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[CommentIn]
    ) -> Comment:
        """Comment (reply with ``parent``; quote a span)."""
        service = service_of(request.app.state)
        return act(
            request,
            me,
            service.post_comment,
            target=data.target,
            target_id=data.target_id,
            body=data.body,
            parent=data.parent,
            quote=quote_of(data),
        )

    @patch(
        "/comments/{comment_id:int}",
        sync_to_thread=True,
        summary="Edit one's own comment",
        responses=errors(*WRITE),
    )
    def edit_comment(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        comment_id: CommentNo,
        data: RequestBody[CommentEditIn],
    ) -> Comment:
        """Change the wording of one's own comment."""
        service = service_of(request.app.state)
        return act(request, me, service.edit_comment, comment_id, data.body)

    @post(
        "/comments/{comment_id:int}/withdraw",
        sync_to_thread=True,
        status_code=200,
        summary="Withdraw one's own comment",
        responses=errors(*WRITE),
    )
    def withdraw_comment(
        self, request: Request[Any, Any, Any], me: MeDep, comment_id: CommentNo
    ) -> Comment:
        """Withdraw one's own comment."""
        return act(request, me, service_of(request.app.state).withdraw_comment, comment_id)
