"""API: votes, ballots, consensus; endorsements and the signatory list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import RequestBody

from consensus_kit import Endorsement, Receipt, SignatoryLine, Vote, VoteView
from webui.api.openapi import READ, WRITE, OpenOnly, VersionNo, VoteNo, errors
from webui.api.schemas import BallotIn, ConsensusCallIn, DispositionIn, EndorseIn, VoteIn
from webui.deps import MeDep, service_of
from webui.pages._common import act

__all__ = ["SigningApi", "VotingApi"]

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class VotingApi(Controller):
    """Votes and ballots."""

    path = "/votes"
    security = BEARER

    @get("/", sync_to_thread=True, summary="List the votes", responses=errors(*READ))
    def votes(
        self, request: Request[Any, Any, Any], me: MeDep, open_only: OpenOnly = False
    ) -> list[Vote]:
        """The meeting's votes, oldest first."""
        return service_of(request.app.state).votes(me.delegate, me.mid, open_only=open_only)

    @post("/", sync_to_thread=True, summary="Open a vote (the chair)", responses=errors(*WRITE))
    def open(self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[VoteIn]) -> Vote:
        """Open a vote (the chair)."""
        service = service_of(request.app.state)
        return act(
            request,
            me,
            service.open_vote,
            amendment=data.amendment,
            version=data.version,
            rule=data.rule,
            quorum=data.quorum,
            secret=data.secret,
            weighted=data.weighted,
        )

    @post(
        "/consensus",
        sync_to_thread=True,
        summary="Call for consensus (the chair)",
        responses=errors(*WRITE),
    )
    def call(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[ConsensusCallIn]
    ) -> Vote:
        """Call for consensus on an amendment (the chair)."""
        service = service_of(request.app.state)
        window = dt.timedelta(seconds=data.window_seconds)
        return act(request, me, service.call_for_consensus, data.amendment, window=window)

    @get(
        "/{number:int}",
        sync_to_thread=True,
        summary="One vote with its tally",
        responses=errors(*READ),
    )
    def vote(self, request: Request[Any, Any, Any], me: MeDep, number: VoteNo) -> VoteView:
        """A vote with its live tally (who voted how only in a roll-call vote)."""
        return service_of(request.app.state).vote(me.delegate, me.mid, number)

    @post(
        "/{number:int}/ballots",
        status_code=200,
        summary="Cast the organisation's ballot",
        responses=errors(*WRITE),
    )
    async def cast(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: VoteNo,
        data: RequestBody[BallotIn],
    ) -> Receipt:
        """Cast or change the organisation's ballot; the same key returns the same receipt."""
        service = service_of(request.app.state)
        # awaited in the event loop: ballots cast at the same moment share one commit, and
        # none of them holds a worker thread while it waits for it
        receipt = await service.cast_ballot_async(
            me.delegate, me.mid, number, data.choice, key=data.key
        )
        request.state.changed = me.mid
        return receipt

    @post(
        "/{number:int}/close",
        sync_to_thread=True,
        status_code=200,
        summary="Close a vote (the chair)",
        responses=errors(*WRITE),
    )
    def close(self, request: Request[Any, Any, Any], me: MeDep, number: VoteNo) -> Vote:
        """Close a vote (the chair); the rule decides from the stored ballots."""
        return act(request, me, service_of(request.app.state).close_vote, number)

    @post(
        "/{number:int}/declare",
        sync_to_thread=True,
        status_code=200,
        summary="Declare consensus (the chair)",
        responses=errors(*WRITE),
    )
    def declare(self, request: Request[Any, Any, Any], me: MeDep, number: VoteNo) -> Vote:
        """Declare consensus once the call's time is up without objection (the chair)."""
        return act(request, me, service_of(request.app.state).declare_consensus, number)

    @post(
        "/{number:int}/fallback",
        sync_to_thread=True,
        status_code=200,
        summary="Put an objected call to the fallback vote (the chair)",
        responses=errors(*WRITE),
    )
    def fallback(self, request: Request[Any, Any, Any], me: MeDep, number: VoteNo) -> Vote:
        """After an objection to a call for consensus (the chair): put the question to a new
        recorded vote under the rules of procedure's fallback rule; returns the new vote."""
        return act(request, me, service_of(request.app.state).put_to_fallback, number)


class SigningApi(Controller):
    """Endorsements of frozen versions."""

    path = "/signing/{version:int}"
    security = BEARER

    @get("/", sync_to_thread=True, summary="Who signed a frozen version", responses=errors(*READ))
    def signatories(
        self, request: Request[Any, Any, Any], me: MeDep, version: VersionNo
    ) -> list[SignatoryLine]:
        """The signatory list: organisation, country, signer, time."""
        return service_of(request.app.state).signatories(me.delegate, me.mid, version)

    @get(
        "/endorsements",
        sync_to_thread=True,
        summary="The endorsements of a frozen version",
        responses=errors(*READ),
    )
    def endorsements(
        self, request: Request[Any, Any, Any], me: MeDep, version: VersionNo
    ) -> list[Endorsement]:
        """The endorsements with their seals."""
        return service_of(request.app.state).endorsements(me.delegate, me.mid, version)

    @post(
        "/endorse",
        sync_to_thread=True,
        summary="Endorse (sign) a frozen version",
        responses=errors(*WRITE),
    )
    def endorse(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        version: VersionNo,
        data: RequestBody[EndorseIn],
    ) -> Endorsement:
        """Endorse the frozen version for the delegate's organisation (a signatory)."""
        service = service_of(request.app.state)
        return act(
            request,
            me,
            service.endorse,
            version,
            signer=data.signer,
            signer_title=data.signer_title,
            detached_signature=data.detached_signature,
        )

    @post(
        "/revoke",
        sync_to_thread=True,
        status_code=200,
        summary="Revoke the organisation's endorsement",
        responses=errors(*WRITE),
    )
    def revoke(self, request: Request[Any, Any, Any], me: MeDep, version: VersionNo) -> Endorsement:
        """Withdraw the organisation's endorsement until signing closes."""
        return act(request, me, service_of(request.app.state).revoke_endorsement, version)

    @post(
        "/close",
        sync_to_thread=True,
        status_code=200,
        summary="Close signing (the chair)",
        responses=errors(*WRITE),
    )
    def close(self, request: Request[Any, Any, Any], me: MeDep, version: VersionNo) -> int:
        """Close signing (the chair); returns the number of endorsements."""
        return act(request, me, service_of(request.app.state).close_signing, version)

    @post(
        "/reopen",
        sync_to_thread=True,
        status_code=200,
        summary="Reopen signing (the chair)",
        responses=errors(*WRITE),
    )
    def reopen(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        version: VersionNo,
        data: RequestBody[DispositionIn],
    ) -> None:
        """Reopen signing after a premature close (the chair), with a reason: late signatures
        count until it is closed again."""
        service = service_of(request.app.state)
        act(request, me, service.reopen_signing, version, reason=data.reason)
