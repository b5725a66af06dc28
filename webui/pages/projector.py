"""The projector: large type, no controls; shows whatever the chair put on the floor."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.params import FromQuery
from litestar.response import Template

from consensus_kit import AgendaKind, ArticleId, VersionState
from webui import tally
from webui.deps import MeDep, page, page_me, service_of
from webui.pages.signing import wall

__all__ = ["ProjectorPages"]


class ProjectorPages(Controller):
    """``/projector``."""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/projector", sync_to_thread=True)
    def projector(
        self, request: Request[Any, Any, Any], me: MeDep, part: FromQuery[str | None] = None
    ) -> Template:
        """The item on the floor: an article (with its open amendments), an amendment's diff, a
        tally, the wall."""
        service = service_of(request.app.state)
        agenda = service.agenda(me.delegate, me.mid)
        version = service.version(me.delegate, me.mid)
        context: dict[str, Any] = {
            "agenda": agenda,
            "version": version,
            "positions": {a.id: i for i, a in enumerate(version.declaration.articles, 1)},
            "speakers": service.speakers_list(me.delegate, me.mid),
        }
        kind, ref = agenda.kind, agenda.ref
        if kind is AgendaKind.ARTICLE:
            found = version.declaration.article(ArticleId(ref))
            context["article"] = found
            context["position"] = version.declaration.articles.index(found) + 1 if found else 0
            context["amendments"] = service.amendments(
                me.delegate, me.mid, article=ref, open_only=True
            )
        elif kind is AgendaKind.AMENDMENT:
            context["amendment"] = service.amendment(me.delegate, me.mid, int(ref))
            kind_votes = [
                v
                for v in service.votes(me.delegate, me.mid, open_only=True)
                if v.amendment == int(ref)
            ]
            if kind_votes:
                kind, ref = AgendaKind.VOTE, str(kind_votes[-1].number)
        if kind is AgendaKind.VOTE:
            view = service.vote(me.delegate, me.mid, int(ref))
            bars = tally.bars(view.vote, view.tally)
            context.update(
                view=view,
                vote=view.vote,
                bars=bars,
                chart_height=tally.height(len(bars)),
                chart={"width": tally.WIDTH, "label": tally.LABEL, "bar": tally.BAR_HEIGHT},
            )
            if view.vote.amendment is not None and "amendment" not in context:
                context["amendment"] = service.amendment(me.delegate, me.mid, view.vote.amendment)
        elif kind is AgendaKind.SIGNING:
            context["wall"] = wall(service, me, int(ref))
        elif kind is AgendaKind.NONE and version.state is VersionState.FROZEN:
            context["wall"] = wall(service, me, version.number)
        name = "parts/projector_body.html" if part == "body" else "projector.html"
        return page(request, me, name, **context)
