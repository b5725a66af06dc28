"""API: compromise texts (merge amendments), modified adoption, and the speakers' list."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import Parameter, RequestBody

from consensus_kit import MergePreview, SpeakersList
from consensus_kit.domain.speakers import DEFAULT_SPEAKING_TIME, MAX_SPEAKING_TIME
from webui.api.openapi import READ, WRITE, AmendmentNo, errors
from webui.api.schemas import MAX_NUMBER
from webui.deps import MeDep, service_of
from webui.pages._common import act

__all__ = ["FloorApi"]

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]

LangCode = Annotated[str, msgspec.Meta(max_length=35)]
LongText = Annotated[str, msgspec.Meta(max_length=100_000)]
OrgRef = Annotated[str, msgspec.Meta(max_length=64)]
Numbers = Annotated[
    list[Annotated[int, msgspec.Meta(ge=0, le=MAX_NUMBER)]], msgspec.Meta(max_length=20)
]

Keys = Annotated[list[Annotated[str, msgspec.Meta(max_length=64)]], msgspec.Meta(max_length=200)]


class MergeIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The amendments to merge (two to twenty, all to the same article)."""

    amendments: Numbers


class CompromiseIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A compromise text: the amendments it merges, its words, the conflicts resolved."""

    amendments: Numbers
    texts: dict[LangCode, LongText]
    resolved: Keys = msgspec.field(default_factory=list)
    rationale: Annotated[str, msgspec.Meta(max_length=5_000)] = ""


class ModifiedAdoptionIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The words agreed on the floor, per language changed, and the chair's note."""

    modification: dict[LangCode, LongText]
    reason: Annotated[str, msgspec.Meta(max_length=5_000)] = ""


class FloorIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Whom to give the floor (default: the next on the list) and for how many seconds."""

    organisation: OrgRef | None = None
    limit: Annotated[int, msgspec.Meta(ge=0, le=MAX_SPEAKING_TIME)] = DEFAULT_SPEAKING_TIME


class OrderIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Every waiting organisation, once, in the order they will speak."""

    order: Annotated[list[OrgRef], msgspec.Meta(max_length=500)]


class WithdrawIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Whose request to withdraw: one's own (omit), or any organisation's (the chair)."""

    organisation: OrgRef | None = None


SpeakerAct = Annotated[
    str,
    Parameter(
        description="``end-turn`` (end the current turn), ``close`` (no more requests) or "
        "``reopen``: the chair only",
        pattern="^(end-turn|close|reopen)$",
    ),
]


class FloorApi(Controller):
    """Compromise texts and the speakers' list."""

    security = BEARER

    @post(
        "/amendments/merge",
        sync_to_thread=True,
        status_code=200,
        summary="Preview a merge of amendments",
        description="The merge of two or more open amendments to the same article (the chair or "
        "the secretariat): each amendment with its diffs, the words with every change that "
        "applies with certainty, and the conflicts left to a person. Changes nothing.",
        responses=errors(*WRITE),
    )
    def merge(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[MergeIn]
    ) -> MergePreview:
        """Preview a merge."""
        service = service_of(request.app.state)
        return service.merge_preview(me.delegate, me.mid, list(data.amendments))

    @post(
        "/amendments/compromise",
        sync_to_thread=True,
        summary="Put a compromise text to the floor",
        description="A new amendment that merges ``amendments`` with ``texts`` (language → "
        "words). Every conflict of the merge must be listed in ``resolved`` as "
        "``NUMBER:LANG``. The merged amendments wait 'in compromise' until it is decided: "
        "adopted, they are merged into it; otherwise they are reopened.",
        responses=errors(*WRITE),
    )
    def compromise(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[CompromiseIn]
    ) -> Any:
        """Propose a compromise text."""
        service = service_of(request.app.state)
        return act(
            request,
            me,
            service.propose_compromise,
            list(data.amendments),
            texts=dict(data.texts),
            resolved=list(data.resolved),
            rationale=data.rationale,
        )

    @post(
        "/amendments/{number:int}/adopt-modified",
        sync_to_thread=True,
        status_code=200,
        summary="Adopt an amendment with a modification",
        description="The chair adopts amendment ``number`` with words agreed on the floor "
        "(``modification``: language → words). The proposal and the modification stay on "
        "record, each diffed. Returns the new version.",
        responses=errors(*WRITE),
    )
    def adopt_modified(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: AmendmentNo,
        data: RequestBody[ModifiedAdoptionIn],
    ) -> Any:
        """Adopt with a modification."""
        service = service_of(request.app.state)
        return act(
            request,
            me,
            service.adopt_amendment,
            number,
            modification=dict(data.modification),
            reason=data.reason,
        )

    @get(
        "/speakers",
        sync_to_thread=True,
        summary="The speakers' list",
        description="The speakers' list of the item on the floor: who waits, in order, who "
        "speaks now (since when, for how long) and who has spoken.",
        responses=errors(*READ),
    )
    def speakers(self, request: Request[Any, Any, Any], me: MeDep) -> SpeakersList:
        """The speakers' list."""
        return service_of(request.app.state).speakers_list(me.delegate, me.mid)

    @post(
        "/speakers/request",
        sync_to_thread=True,
        status_code=200,
        summary="Ask for the floor",
        description="Ask for the floor for one's own organisation on the item under "
        "discussion: one request per organisation at a time; observers are refused (403).",
        responses=errors(*WRITE),
    )
    def request_floor(self, request: Request[Any, Any, Any], me: MeDep) -> SpeakersList:
        """Ask for the floor."""
        return act(request, me, service_of(request.app.state).request_floor)

    @post(
        "/speakers/withdraw",
        sync_to_thread=True,
        status_code=200,
        summary="Withdraw a request for the floor",
        description="Withdraw one's own organisation's request, or (the chair) any "
        "organisation's, named in ``organisation``.",
        responses=errors(*WRITE),
    )
    def withdraw(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[WithdrawIn]
    ) -> SpeakersList:
        """Withdraw a request."""
        service = service_of(request.app.state)
        return act(request, me, service.withdraw_floor_request, organisation=data.organisation)

    @post(
        "/speakers/order",
        sync_to_thread=True,
        status_code=200,
        summary="Order the speakers' list",
        description="The chair puts the waiting requests in ``order`` (every waiting "
        "organisation once).",
        responses=errors(*WRITE),
    )
    def order(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[OrderIn]
    ) -> SpeakersList:
        """Order the list."""
        return act(request, me, service_of(request.app.state).order_speakers, list(data.order))

    @post(
        "/speakers/floor",
        sync_to_thread=True,
        status_code=200,
        summary="Give the floor",
        description="The chair gives the floor to ``organisation`` (default: the next on the "
        "list) for ``limit`` seconds (0 to 3600; 0: no limit); the turn before it ends.",
        responses=errors(*WRITE),
    )
    def floor(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[FloorIn]
    ) -> SpeakersList:
        """Give the floor."""
        service = service_of(request.app.state)
        return act(
            request, me, service.give_floor, organisation=data.organisation, limit=data.limit
        )

    @post(
        "/speakers/{act_name:str}",
        sync_to_thread=True,
        status_code=200,
        summary="End a turn, close or reopen the list",
        description="The chair ends the current turn (``end-turn``), closes the list to new "
        "requests (``close``) or reopens it (``reopen``).",
        responses=errors(*WRITE),
    )
    def chair_act(
        self, request: Request[Any, Any, Any], me: MeDep, act_name: SpeakerAct
    ) -> SpeakersList:
        """End a turn, close or reopen."""
        service = service_of(request.app.state)
        operations = {
            "end-turn": service.end_turn,
            "close": service.close_speakers_list,
            "reopen": service.reopen_speakers_list,
        }
        return act(request, me, operations[act_name])
