"""Articles and amendments: read, propose (with the library's live diff), revise, decide."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consensus_kit import (
    AmendmentKind,
    ArticleId,
    CommentTarget,
    InvalidInput,
    Lang,
    MeetingService,
    NotFound,
)
from consensus_kit.domain.amendments import parse_kind
from webui.deps import Me, MeDep, page, page_me, service_of
from webui.pages._common import N_, Form, act, back, field, flash, number
from webui.pages.home import positions

__all__ = ["AmendmentPages"]

TEXT_KINDS = ("replace", "insert", "title", "preamble")
EXPANDED = 100
"""How many of an article's open amendments its page shows with their diffs (the others one
line each, every one a link to its own page, every diff a click away): a thousand diffs take
longer to draw and to read than a delegate waits for a page."""


def _threads(service: MeetingService, me: Me, target: str, target_id: str) -> dict[str, Any]:
    """Comments on a target, grouped by parent for threaded display."""
    views = service.comments(me.delegate, me.mid, target=target, target_id=target_id)
    children: dict[int | None, list[Any]] = {}
    for view in views:
        children.setdefault(view.comment.parent, []).append(view)
    return {"children": children, "all": views, "target": target, "target_id": target_id}


def _form_texts(data: dict[str, Any], languages: tuple[str, ...]) -> dict[str, str]:
    """The non-empty ``texts.<lang>`` fields of a form."""
    texts = {lang: field(data, f"texts.{lang}") for lang in languages}
    return {lang: text for lang, text in texts.items() if text.strip()}


def _seen(data: dict[str, Any], languages: tuple[str, ...]) -> dict[str, str] | None:
    """The words the form started from (``seen.<lang>``), for the library to check that the
    proposal's target still has them; ``None`` when the form sent none (an older page)."""
    if not any(f"seen.{lang}" in data for lang in languages):
        return None
    return {lang: field(data, f"seen.{lang}") for lang in languages}


def _open_amendments(
    service: MeetingService, me: Me, article_id: str, cards: str | None
) -> dict[str, Any]:
    """An article's open amendments for its page: the first :data:`EXPANDED` (only those are
    read), their number in all (``total``); ``cards="list"`` adds the others, shown one line
    each (a link to its page), ``cards="all"`` every one with its diff."""
    mode = cards if cards in ("list", "all") else None
    views = service.amendments(
        me.delegate,
        me.mid,
        article=article_id,
        open_only=True,
        limit=None if mode else EXPANDED,
    )
    total = len(views)
    if mode is None:  # how many were not read (one COUNT, whatever their number)
        counted = service.amendment_count(me.delegate, me.mid, open_only=True, article=article_id)
        total = max(total, counted)  # (read apart: one may have come or gone in between)
    expanded = total if mode == "all" else min(total, EXPANDED)
    return {"amendments": views, "expanded": expanded, "total": total, "cards_mode": mode}


class AmendmentPages(Controller):
    """``/articles/{id}``, ``/amendments``…"""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/articles/{article_id:str}", sync_to_thread=True)
    def article(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        article_id: FromPath[str],
        part: FromQuery[str | None] = None,
        cards: FromQuery[str | None] = None,
    ) -> Template:
        """An article in every language, its open amendments with diffs (see
        :func:`_open_amendments`), and its comments."""
        service = service_of(request.app.state)
        version = service.version(me.delegate, me.mid)
        found = version.declaration.article(ArticleId(article_id))
        if found is None:
            raise NotFound(f"no article {article_id!r} in version {version.number}")
        position = version.declaration.articles.index(found) + 1
        stale = {
            s.lang for s in service.stale_translations(me.delegate, me.mid) if s.article == found.id
        }
        context: dict[str, Any] = {
            "version": version,
            "article": found,
            "position": position,
            "stale": stale,
            "thread": _threads(service, me, "article", article_id),
            **_open_amendments(service, me, article_id, cards),
        }
        name = {"live": "parts/article_live.html"}.get(part or "", "article.html")
        return page(request, me, name, **context)

    @get("/amendments", sync_to_thread=True)
    def amendments(
        self, request: Request[Any, Any, Any], me: MeDep, part: FromQuery[str | None] = None
    ) -> Template:
        """Every amendment, those in play first."""
        service = service_of(request.app.state)
        views = service.amendments(me.delegate, me.mid)
        name = "parts/amendment_list.html" if part == "list" else "amendments.html"
        return page(request, me, name, amendments=views, positions=positions(service, me))

    @get("/amendments/new", sync_to_thread=True)
    def new(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        kind: FromQuery[str] = "replace",
        article: FromQuery[str | None] = None,
    ) -> Template:
        """The proposal form, prefilled with the current words of its target."""
        service = service_of(request.app.state)
        version = service.version(me.delegate, me.mid)
        chosen = parse_kind(kind)
        if article is None and chosen in (
            AmendmentKind.REPLACE,
            AmendmentKind.DELETE,
            AmendmentKind.MOVE,
        ):
            article = version.declaration.articles[0].id if version.declaration.articles else None
        base = service.current_words(me.delegate, me.mid, kind=chosen, article=article)
        values = {f"texts.{lang}": text for lang, text in base.items()}
        values.update({f"seen.{lang}": text for lang, text in base.items()})
        values.update(
            kind=chosen.value,
            article=article or "",
            after="",
            rationale="",
            base_version=str(version.number),
        )
        return page(request, me, "propose.html", version=version, values=values, errors={})

    @post("/amendments", sync_to_thread=True)
    def propose(
        self, request: Request[Any, Any, Any], me: MeDep, data: Form
    ) -> Redirect | Template:
        """Propose an amendment; a refused field is shown next to it."""
        service = service_of(request.app.state)
        kind = field(data, "kind")
        try:
            amendment = act(
                request,
                me,
                service.propose_amendment,
                intent={  # per language: "changed", "confirmed"; empty = the secretariat
                    lang: field(data, f"intent.{lang}")
                    for lang in me.meeting.languages
                    if field(data, f"intent.{lang}")
                },
                kind=kind,
                texts=_form_texts(data, me.meeting.languages) if kind in TEXT_KINDS else None,
                article=field(data, "article") or None,
                after=field(data, "after") or None,
                rationale=field(data, "rationale"),
                draft=field(data, "draft") == "on",
                base_version=number(data, "base_version"),
                based_on=_seen(data, me.meeting.languages),
            )
        except InvalidInput as exc:
            version = service.version(me.delegate, me.mid)
            values = {k: field(data, k) for k in data}
            errors = {exc.field or "form": exc.reason}
            return page(
                request,
                me,
                "propose.html",
                status_code=422,
                version=version,
                values=values,
                errors=errors,
            )
        flash(request, N_("Your amendment was recorded."))
        return back(f"/amendments/{amendment.number}")

    @post("/amendments/preview", sync_to_thread=True)
    def preview(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Template:
        """The diff of the typed texts against the current words, computed by the library."""
        service = service_of(request.app.state)
        chosen = parse_kind(field(data, "kind"))
        diffs = service.preview_amendment(
            me.delegate,
            me.mid,
            kind=chosen,
            article=field(data, "article") or None,
            texts=_form_texts(data, me.meeting.languages),
        )
        words = {"changed": "changed", "confirmed": "checked — still match"}
        intents = [  # what the sponsor says per translation language, shown beside the diff
            (lang, words.get(field(data, f"intent.{lang}"), "leave to the secretariat"))
            for lang in me.meeting.languages
            if lang != me.meeting.negotiating_language and chosen in TEXT_KINDS
        ]
        return page(request, me, "parts/preview.html", previews=diffs, kind=chosen, intents=intents)

    @get("/amendments/{n:int}", sync_to_thread=True)
    def amendment(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        n: FromPath[int],
        part: FromQuery[str | None] = None,
    ) -> Template:
        """One amendment: its diff per language, status, sponsors, votes, comments, actions."""
        service = service_of(request.app.state)
        view = service.amendment(me.delegate, me.mid, n)
        votes = [v for v in service.votes(me.delegate, me.mid) if v.amendment == n]
        latest = service.version(me.delegate, me.mid).declaration
        context: dict[str, Any] = {
            "positions": {a.id: i for i, a in enumerate(latest.articles, 1)},
            "view": view,
            "a": view.amendment,
            "votes": votes,
            "thread": _threads(service, me, "amendment", str(n)),
        }
        name = "parts/amendment_live.html" if part == "live" else "amendment.html"
        return page(request, me, name, **context)

    @get("/amendments/{n:int}/edit", sync_to_thread=True)
    def edit(self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int]) -> Template:
        """Revise the texts (the sponsor), or add a missing translation (the secretariat)."""
        view = service_of(request.app.state).amendment(me.delegate, me.mid, n)
        values = {f"texts.{lang}": text for lang, text in view.amendment.texts.items()}
        values["rationale"] = view.amendment.rationale
        return page(request, me, "revise.html", view=view, values=values, errors={})

    @post("/amendments/{n:int}/edit", sync_to_thread=True)
    def revise(
        self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int], data: Form
    ) -> Redirect | Template:
        """Send only what changed: the library decides who may change which words."""
        service = service_of(request.app.state)
        view = service.amendment(me.delegate, me.mid, n)
        current = view.amendment
        texts = {
            lang: text
            for lang, text in _form_texts(data, me.meeting.languages).items()
            if current.texts.get(Lang(lang)) != text
        }
        rationale = field(data, "rationale") if "rationale" in data else None
        if rationale == current.rationale:
            rationale = None
        try:
            act(request, me, service.revise_amendment, n, texts=texts or None, rationale=rationale)
        except InvalidInput as exc:
            values = {k: field(data, k) for k in data}
            return page(
                request,
                me,
                "revise.html",
                status_code=422,
                view=view,
                values=values,
                errors={exc.field or "form": exc.reason},
            )
        flash(request, N_("The amendment was revised."))
        return back(f"/amendments/{n}")

    @post("/amendments/{n:int}/{action:str}", sync_to_thread=True)
    def move(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        n: FromPath[int],
        action: FromPath[str],
        data: Form,
    ) -> Redirect:
        """Submit, withdraw, co-sponsor, adopt; reject, set aside, ask for an update or
        reconsider (the chair, with a reason: under ``reconsideration = "vote"`` it opens the
        vote on the motion); the library checks who may."""
        service = service_of(request.app.state)
        operations: dict[str, Any] = {
            "submit": service.submit_amendment,
            "withdraw": service.withdraw_amendment,
            "cosponsor": service.cosponsor_amendment,
            "adopt": service.adopt_amendment,
        }
        dispositions: dict[str, Any] = {
            "reject": service.reject_amendment,
            "set-aside": service.set_aside_amendment,
            "request-update": service.request_update,
            "reconsider": service.reconsider_amendment,
        }
        if action == "reconsider" and me.meeting.procedure.reconsideration.value == "vote":
            motion = act(request, me, service.move_to_reconsider, n, reason=field(data, "reason"))
            flash(request, N_("The motion to reconsider is put to the vote."))
            return back(f"/votes/{motion.number}")
        if action in dispositions:
            act(request, me, dispositions[action], n, reason=field(data, "reason"))
        elif action in operations:
            act(request, me, operations[action], n)
        else:
            raise NotFound(f"no action {action!r} on amendments")
        flash(request, N_("Done."))
        return back(f"/amendments/{n}")

    @post("/comments", sync_to_thread=True)
    def comment(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Redirect:
        """Post a comment or a reply, optionally quoting words of the text."""
        from webui.pages.comments import post_comment  # noqa: PLC0415

        target, target_id = post_comment(request, me, data)
        flash(request, N_("Your comment was posted."))
        path = (
            f"/articles/{target_id}"
            if target == CommentTarget.ARTICLE
            else f"/amendments/{target_id}"
        )
        return back(f"{path}#comments")

    @post("/comments/{comment_id:int}/withdraw", sync_to_thread=True)
    def withdraw_comment(
        self, request: Request[Any, Any, Any], me: MeDep, comment_id: FromPath[int], data: Form
    ) -> Redirect:
        """Withdraw one's own comment (it stays in the record)."""
        service = service_of(request.app.state)
        comment = act(request, me, service.withdraw_comment, comment_id)
        path = "articles" if comment.target == CommentTarget.ARTICLE else "amendments"
        return back(f"/{path}/{comment.target_id}#comments")
