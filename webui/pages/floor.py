"""Pages of the floor: the merge view (compromise texts), modified adoption, and the speakers'
list (its page, its strip on every page, the chair's controls). The library decides; these
pages only show and send."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consensus_kit import InvalidInput, InvalidState, MeetingService, NotFound
from consensus_kit.domain.compromise import may_merge
from consensus_kit.domain.speakers import moved_order
from webui.deps import Me, MeDep, page, page_me, service_of
from webui.pages._common import N_, Form, act, back, field, flash, local, number

__all__ = ["FloorPages"]


def _numbers(data: dict[str, Any], name: str = "n") -> list[int]:
    """The amendment numbers a form sent (checkboxes ``n``)."""
    raw = data.get(name, [])
    values = raw if isinstance(raw, list) else [raw]
    if not all(str(v).isdigit() and len(str(v)) <= 9 for v in values):
        raise InvalidInput("amendment numbers", field="amendments")
    return [int(v) for v in values]


def _listed(data: dict[str, Any], name: str) -> list[str]:
    raw = data.get(name, [])
    return [str(v) for v in (raw if isinstance(raw, list) else [raw])]


def _merge_context(service: MeetingService, me: Me, chosen: list[int]) -> dict[str, Any]:
    """What the merge view shows: the amendments that can be merged, grouped by text, and the
    merge of those chosen (or the library's reason it cannot be done)."""
    groups: dict[str, list[Any]] = {}
    for view in service.amendments(me.delegate, me.mid, open_only=True):
        a = view.amendment
        if may_merge(a):
            groups.setdefault(a.article or a.kind.value, []).append(view)
    articles = service.version(me.delegate, me.mid).declaration.articles
    context: dict[str, Any] = {
        "groups": groups,
        "chosen": chosen,
        "preview": None,
        "positions": {a.id: i for i, a in enumerate(articles, 1)},
    }
    if len(chosen) >= 1:
        try:
            context["preview"] = service.merge_preview(me.delegate, me.mid, chosen)
        except (InvalidInput, InvalidState) as exc:
            context["refused"] = str(exc)
    return context


class FloorPages(Controller):
    """``/amendments/merge``, ``/amendments/{n}/adopt-modified``, ``/speakers``…"""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/amendments/merge", sync_to_thread=True)
    def merge_view(
        self, request: Request[Any, Any, Any], me: MeDep, n: FromQuery[list[int] | None] = None
    ) -> Template:
        """The merge view: choose amendments to one article; see each change, the merged words
        and the conflicts; edit; put the compromise text to the floor."""
        service = service_of(request.app.state)
        context = _merge_context(service, me, list(n or []))
        code = 200 if "refused" not in context else 409
        return page(request, me, "merge.html", status_code=code, values={}, **context)

    @post("/amendments/merge", sync_to_thread=True)
    def compromise(
        self, request: Request[Any, Any, Any], me: MeDep, data: Form
    ) -> Redirect | Template:
        """Put the compromise text to the floor, with the conflicts the person resolved."""
        service = service_of(request.app.state)
        chosen = _numbers(data)
        texts = {lang: field(data, f"texts.{lang}") for lang in me.meeting.languages}
        try:
            made = act(
                request,
                me,
                service.propose_compromise,
                chosen,
                texts={k: v for k, v in texts.items() if v.strip()},
                resolved=_listed(data, "resolved"),
                rationale=field(data, "rationale"),
            )
        except (InvalidInput, InvalidState) as exc:
            context = _merge_context(service, me, chosen)
            values = {k: field(data, k) for k in data}
            values["resolved"] = _listed(data, "resolved")  # type: ignore[assignment]
            context["error"] = str(exc)
            return page(request, me, "merge.html", status_code=422, values=values, **context)
        flash(request, N_("The compromise text is on the list of amendments."))
        return back(f"/amendments/{made.number}")

    @post("/amendments/{n:int}/adopt-modified", sync_to_thread=True)
    def adopt_modified(
        self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int], data: Form
    ) -> Redirect:
        """Adopt with the words agreed on the floor (the chair); languages left as proposed are
        not sent."""
        service = service_of(request.app.state)
        proposal = service.amendment(me.delegate, me.mid, n).amendment
        modification = {
            lang: text
            for lang in me.meeting.languages
            if (text := field(data, f"texts.{lang}")).strip() and text != proposal.texts.get(lang)
        }
        act(
            request,
            me,
            service.adopt_amendment,
            n,
            modification=modification or {str(k): v for k, v in proposal.texts.items()},
            reason=field(data, "reason"),
        )
        flash(request, N_("Adopted with the modification."))
        return back(f"/amendments/{n}")

    # -- the speakers' list -------------------------------------------------------------------

    @get("/speakers", sync_to_thread=True)
    def speakers(
        self, request: Request[Any, Any, Any], me: MeDep, part: FromQuery[str | None] = None
    ) -> Template:
        """The speakers' list of the item on the floor, with the chair's controls; ``part=strip``
        is the line every page shows."""
        service = service_of(request.app.state)
        context: dict[str, Any] = {
            "speakers": service.speakers_list(me.delegate, me.mid),
            "agenda": service.agenda(me.delegate, me.mid),
        }
        name = "parts/speakers_strip.html" if part == "strip" else "speakers.html"
        return page(request, me, name, **context)

    @post("/speakers/{what:str}", sync_to_thread=True)
    def speakers_act(
        self, request: Request[Any, Any, Any], me: MeDep, what: FromPath[str], data: Form
    ) -> Redirect:
        """Ask for the floor, withdraw; the chair orders, gives the floor, ends a turn, closes
        or reopens the list."""
        service = service_of(request.app.state)
        org = field(data, "organisation") or None
        if what == "move":
            step = -1 if field(data, "direction") == "up" else 1
            speakers = service.speakers_list(me.delegate, me.mid)
            act(request, me, service.order_speakers, moved_order(speakers, org, step))
        elif what == "floor":
            limit = number(data, "limit")  # none given: the library's default speaking time
            given = {} if limit is None else {"limit": limit}
            act(request, me, service.give_floor, organisation=org, **given)
        else:
            operations: dict[str, Any] = {
                "request": service.request_floor,
                "end-turn": service.end_turn,
                "close": service.close_speakers_list,
                "reopen": service.reopen_speakers_list,
            }
            if what == "withdraw":
                act(request, me, service.withdraw_floor_request, organisation=org)
            elif what in operations:
                act(request, me, operations[what])
            else:
                raise NotFound(f"no action {what!r} on the speakers' list")
        flash(request, N_("Done."))
        return back(local(field(data, "next"), "/speakers"))
