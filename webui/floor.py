"""What is on the floor for one delegate: the open votes, each with its tally and what this
delegate's organisation cast (the banner every page shows)."""

from __future__ import annotations

from typing import Any, Protocol

from litestar import Request

from consensus_kit import Delegate, MeetingId, MeetingService

__all__ = ["my_ballots"]


class Me(Protocol):
    """Who reads the page (:class:`webui.deps.Me`, which imports this module)."""

    @property
    def delegate(self) -> Delegate: ...

    @property
    def mid(self) -> MeetingId: ...


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
