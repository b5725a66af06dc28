"""The meeting home page, the item on the floor (set by the chair), freezing a version."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consensus_kit import MeetingService, VersionState
from webui.deps import Me, MeDep, page, page_me, service_of
from webui.floor import my_ballots
from webui.pages._common import N_, Form, act, back, field, flash, local

__all__ = ["HomePages", "freeze_blockers", "my_ballots", "positions"]


def positions(service: MeetingService, me: Me) -> dict[str, int]:
    """Each article's number (1, 2, …) in the latest version, by id: people see numbers."""
    latest = service.version(me.delegate, me.mid).declaration
    return {a.id: i for i, a in enumerate(latest.articles, 1)}


def freeze_blockers(service: MeetingService, me: Me) -> dict[str, Any]:
    """What the library reports that stops the latest version from being frozen now: its open
    votes and its stale translations (``freeze_version`` refuses both), and the lint findings
    the chair may override only with a reason."""
    places = positions(service, me)
    return {
        "lint": [f for f in service.lint(me.delegate, me.mid) if f.blocks_freezing],
        "votes": [v.number for v in service.votes(me.delegate, me.mid, open_only=True)],
        "stale": [
            (places.get(s.article, 0), s.lang)
            for s in service.stale_translations(me.delegate, me.mid)
        ],
    }


class HomePages(Controller):
    """``/``, ``/agenda``, ``/versions/{n}/freeze``."""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def home(
        self, request: Request[Any, Any, Any], me: MeDep, part: FromQuery[str | None] = None
    ) -> Template:
        """Title, dates, place, the item on the floor, open votes, this organisation's status."""
        service = service_of(request.app.state)
        versions = service.versions(me.delegate, me.mid)
        latest = versions[-1]
        endorsed = None
        if latest.state is VersionState.FROZEN and me.delegate.organisation:
            endorsed = next(
                (
                    e
                    for e in service.endorsements(me.delegate, me.mid, latest.number)
                    if e.organisation == me.delegate.organisation
                ),
                None,
            )
        context: dict[str, Any] = {
            "agenda": service.agenda(me.delegate, me.mid),
            "votes": my_ballots(request, service, me),
            "latest": latest,
            "endorsed": endorsed,
            # the page shows how many amendments are open, not their words: no diff is computed
            "amendments_in_play": service.amendment_count(me.delegate, me.mid, open_only=True),
        }
        name = "parts/home_status.html" if part == "status" else "home.html"
        return page(request, me, name, **context)

    @get("/floor", sync_to_thread=True)
    def floor(
        self, request: Request[Any, Any, Any], me: MeDep, here: FromQuery[str | None] = None
    ) -> Template:
        """The banner of open votes that every page shows (refreshed live)."""
        service = service_of(request.app.state)
        floor = my_ballots(request, service, me)
        return page(request, me, "parts/floor_banner.html", floor=floor, here=local(here, ""))

    @post("/agenda", sync_to_thread=True)
    def set_agenda(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Redirect:
        """Put an article, amendment, vote or signing on the floor (the chair)."""
        service = service_of(request.app.state)
        act(request, me, service.set_agenda, field(data, "kind"), field(data, "ref"))
        flash(request, N_("The item is on the floor."))
        return back(local(field(data, "next")))

    @post("/versions/{number:int}/freeze", sync_to_thread=True)
    def freeze(
        self, request: Request[Any, Any, Any], me: MeDep, number: FromPath[int], data: Form
    ) -> Redirect:
        """Freeze the latest version as the final text (the chair), with the reason for
        overriding lint's number findings when there are any."""
        service = service_of(request.app.state)
        reason = field(data, "override_lint").strip()
        act(request, me, service.freeze_version, number, override_lint=reason)
        flash(request, N_("The version is frozen as the final text."))
        return back("/signing")
