"""Signing: signatories endorse the frozen version; the endorsement wall fills in live."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consensus_kit import MeetingService, VersionState
from webui.deps import Me, MeDep, page, page_me, service_of
from webui.pages._common import N_, Form, act, back, field, flash
from webui.pages.home import freeze_blockers

__all__ = ["SigningPages", "wall"]


def wall(service: MeetingService, me: Me, number: int) -> dict[str, Any]:
    """Who signed version ``number``, which signing organisations have not yet, and each time
    signing was closed or reopened."""
    lines = service.signatories(me.delegate, me.mid, number)
    signed = {line.organisation for line in lines}
    pending = [o for o in me.meeting.organisations if not o.observer and o.id not in signed]
    record = service.signing_record(me.delegate, me.mid, number)
    return {"lines": lines, "pending": pending, "number": number, "record": record}


class SigningPages(Controller):
    """``/signing``…"""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/signing", sync_to_thread=True)
    def signing(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        v: FromQuery[int | None] = None,
        part: FromQuery[str | None] = None,
    ) -> Template:
        """The frozen version (default: the latest) with its endorsement wall."""
        service = service_of(request.app.state)
        versions = service.versions(me.delegate, me.mid)
        frozen = [s for s in versions if s.state is VersionState.FROZEN]
        chosen = next((s for s in frozen if s.number == v), frozen[-1] if frozen else None)
        context: dict[str, Any] = {"latest": versions[-1], "frozen": chosen, "mine": None}
        if chosen is None and me.can("freeze_version"):
            context["blockers"] = freeze_blockers(service, me)
        if chosen is not None:
            context["signing_open"] = service.signing_open(me.delegate, me.mid, chosen.number)
            context["wall"] = wall(service, me, chosen.number)
            context["mine"] = next(
                (
                    line
                    for line in context["wall"]["lines"]
                    if line.organisation == me.delegate.organisation
                ),
                None,
            )
        name = {"wall": "parts/wall.html", "panel": "parts/signing_panel.html"}
        return page(request, me, name.get(part or "", "signing.html"), **context)

    @post("/signing/{v:int}/endorse", sync_to_thread=True)
    def endorse(
        self, request: Request[Any, Any, Any], me: MeDep, v: FromPath[int], data: Form
    ) -> Redirect:
        """Endorse the frozen version for the signatory's organisation."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.endorse,
            v,
            signer=field(data, "signer") or None,
            signer_title=field(data, "signer_title") or None,
        )
        flash(request, N_("Your organisation's endorsement was recorded."))
        return back(f"/signing?v={v}")

    @post("/signing/{v:int}/revoke", sync_to_thread=True)
    def revoke(self, request: Request[Any, Any, Any], me: MeDep, v: FromPath[int]) -> Redirect:
        """Withdraw the organisation's endorsement (until signing closes)."""
        act(request, me, service_of(request.app.state).revoke_endorsement, v)
        flash(request, N_("The endorsement was withdrawn."))
        return back(f"/signing?v={v}")

    @post("/signing/{v:int}/reopen", sync_to_thread=True)
    def reopen(
        self, request: Request[Any, Any, Any], me: MeDep, v: FromPath[int], data: Form
    ) -> Redirect:
        """Reopen signing after a premature close (the chair), with a reason."""
        service = service_of(request.app.state)
        act(request, me, service.reopen_signing, v, reason=field(data, "reason"))
        flash(request, N_("Signing is open again."))
        return back(f"/signing?v={v}")

    @post("/signing/{v:int}/close", sync_to_thread=True)
    def close(self, request: Request[Any, Any, Any], me: MeDep, v: FromPath[int]) -> Redirect:
        """Close signing (the chair)."""
        act(request, me, service_of(request.app.state).close_signing, v)
        flash(request, N_("Signing is closed."))
        return back(f"/signing?v={v}")
