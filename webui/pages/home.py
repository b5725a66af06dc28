"""The meeting home page, the item on the floor (set by the chair), freezing a version."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consensus_kit import MeetingService, VersionState
from webui.deps import Me, MeDep, page, page_me, service_of
from webui.pages._common import N_, Form, act, back, field, flash, local

__all__ = ["HomePages", "my_ballots"]


def my_ballots(request: Request[Any, Any, Any], service: MeetingService, me: Me) -> list[Any]:
    """Each open vote with the tally and what this organisation cast, where it can be known.

    In a roll-call vote the published ballots say it; in a secret vote only the receipt this
    browser was given is known (the library offers no "my ballot" read yet).
    """
    receipts: dict[str, Any] = request.session.get("receipts", {})
    rows = []
    for vote in service.votes(me.delegate, me.mid, open_only=True):
        view = service.vote(me.delegate, me.mid, vote.number)
        mine = next(
            (
                b.choice.value
                for b in view.ballots
                if b.organisation
                and b.organisation == me.delegate.organisation
                and b.choice is not None
            ),
            None,
        )
        receipt = receipts.get(str(vote.number))
        if mine is None and receipt:
            mine = receipt.get("choice")
        rows.append({"view": view, "mine": mine, "receipt": receipt})
    return rows


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
            "amendments": service.amendments(me.delegate, me.mid, open_only=True),
        }
        name = "parts/home_status.html" if part == "status" else "home.html"
        return page(request, me, name, **context)

    @post("/agenda", sync_to_thread=True)
    def set_agenda(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Redirect:
        """Put an article, amendment, vote or signing on the floor (the chair)."""
        service = service_of(request.app.state)
        act(request, me, service.set_agenda, field(data, "kind"), field(data, "ref"))
        flash(request, N_("The item is on the floor."))
        return back(local(field(data, "next")))

    @post("/versions/{number:int}/freeze", sync_to_thread=True)
    def freeze(self, request: Request[Any, Any, Any], me: MeDep, number: FromPath[int]) -> Redirect:
        """Freeze the latest version as the final text (the chair)."""
        service = service_of(request.app.state)
        act(request, me, service.freeze_version, number)
        flash(request, N_("The version is frozen as the final text."))
        return back("/signing")
