"""The live tally as a server-rendered SVG bar chart: geometry only, the numbers come from the
library's :class:`consensus_kit.Tally`."""

from __future__ import annotations

from dataclasses import dataclass

from consensus_kit import DecisionRule, Tally, Vote, VoteMode

__all__ = ["Bar", "bars"]

WIDTH = 640
LABEL = 150
BAR_HEIGHT = 34
GAP = 12


@dataclass(frozen=True)
class Bar:
    """One bar: which choice, how many, where."""

    choice: str
    count: int
    weight: int
    y: int
    width: float


def bars(vote: Vote, tally: Tally | None) -> list[Bar]:
    """Bars for yes / no / abstain (and object under consensus), scaled to the eligible; none
    while the tally is not published (an open secret vote)."""
    if tally is None:
        return []
    choices = ["yes", "no", "abstain"]
    if vote.mode is VoteMode.CONSENSUS_CALL:
        choices = ["object"]  # a call for consensus takes objections only
    elif vote.rule is DecisionRule.CONSENSUS:
        choices.append("object")
    scale = max(tally.eligible_weight if vote.weighted else tally.eligible, 1)
    result = []
    for index, choice in enumerate(choices):
        count = int(getattr(tally, choice))
        weight = int(getattr(tally, f"{choice}_weight"))
        shown = weight if vote.weighted else count
        result.append(
            Bar(
                choice=choice,
                count=count,
                weight=weight,
                y=GAP + index * (BAR_HEIGHT + GAP),
                width=round((WIDTH - LABEL - 60) * shown / scale, 1),
            )
        )
    return result


def height(count: int) -> int:
    """The chart's height for ``count`` bars and the participation line."""
    return GAP + count * (BAR_HEIGHT + GAP) + 30
