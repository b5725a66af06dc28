"""Decision rules on their edge cases: ties, abstentions, quorum, objections, weights."""

from __future__ import annotations

import pytest

from consensus_kit import Choice, DecisionRule, Outcome
from consensus_kit.domain.voting import decide

Y, N, A, X = Choice.YES, Choice.NO, Choice.ABSTAIN, Choice.OBJECT  # X: a formal objection


def orgs(n: int, weights: dict[str, int] | None = None) -> dict[str, int]:
    return {f"o{i}": (weights or {}).get(f"o{i}", 1) for i in range(1, n + 1)}


def ballots(*choices: Choice) -> dict[str, Choice]:
    return {f"o{i}": c for i, c in enumerate(choices, 1)}


def outcome(
    rule: DecisionRule, eligible: dict[str, int], cast: dict[str, Choice], quorum: float = 0.5
) -> Outcome:
    return decide(rule, quorum, eligible, cast).outcome  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "cast", "expected"),
    [
        (DecisionRule.SIMPLE_MAJORITY, (Y, Y, N), Outcome.ADOPTED),
        (DecisionRule.SIMPLE_MAJORITY, (Y, N, A, A), Outcome.REJECTED),  # a tie fails
        (DecisionRule.SIMPLE_MAJORITY, (Y, A, A, A), Outcome.ADOPTED),  # abstentions do not count
        (DecisionRule.SIMPLE_MAJORITY, (A, A, A, A), Outcome.REJECTED),  # all abstain
        (DecisionRule.TWO_THIRDS, (Y, Y, N), Outcome.ADOPTED),  # exactly two-thirds
        (DecisionRule.TWO_THIRDS, (Y, Y, N, N), Outcome.REJECTED),
        (DecisionRule.TWO_THIRDS, (A, A, A), Outcome.REJECTED),  # no votes cast
        (
            DecisionRule.ABSOLUTE_MAJORITY,
            (Y, Y, A, A),
            Outcome.REJECTED,
        ),  # 2 of 4 is not more than half
        (DecisionRule.ABSOLUTE_MAJORITY, (Y, Y, Y, N), Outcome.ADOPTED),
        (DecisionRule.CONSENSUS, (Y, N, A, Y), Outcome.ADOPTED),  # a "no" is not an objection
        (DecisionRule.CONSENSUS, (Y, Y, Y, X), Outcome.REJECTED),  # one objection blocks
        (DecisionRule.UNANIMITY, (Y, Y, Y, Y), Outcome.ADOPTED),
        (DecisionRule.UNANIMITY, (Y, Y, Y, A), Outcome.REJECTED),
    ],
)
def test_rules_decide(rule: DecisionRule, cast: tuple[Choice, ...], expected: Outcome) -> None:
    assert outcome(rule, orgs(4), ballots(*cast)) is expected


def test_unanimity_needs_every_eligible_organisation_not_only_those_present() -> None:
    assert outcome(DecisionRule.UNANIMITY, orgs(5), ballots(Y, Y, Y, Y)) is Outcome.REJECTED


def test_quorum_exactly_met_and_just_missed() -> None:
    eligible = orgs(10)
    met = decide(DecisionRule.SIMPLE_MAJORITY, 0.5, eligible, ballots(Y, Y, Y, A, A))  # type: ignore[arg-type]
    assert met.outcome is Outcome.ADOPTED and met.tally.cast == 5
    missed = decide(DecisionRule.SIMPLE_MAJORITY, 0.5, eligible, ballots(Y, Y, Y, Y))  # type: ignore[arg-type]
    assert missed.outcome is Outcome.NO_QUORUM
    assert missed.reason == "no quorum: 4 of 10 took part, 50% needed"


def test_a_third_quorum_is_exact_with_fractions() -> None:
    # 1/3 as a float is 0.333…; 1 of 3 must meet it, not miss it by rounding
    assert (
        decide(DecisionRule.SIMPLE_MAJORITY, 1 / 3, orgs(3), ballots(Y)).outcome is Outcome.ADOPTED
    )  # type: ignore[arg-type]


def test_consensus_records_the_objectors() -> None:
    result = decide(DecisionRule.CONSENSUS, 0.5, orgs(4), {"o1": Y, "o3": X, "o4": X})  # type: ignore[arg-type]
    assert result.outcome is Outcome.REJECTED
    assert result.objectors == ("o3", "o4")
    assert result.reason == "formal objection by o3, o4"


def test_weights_change_a_majority() -> None:
    eligible = orgs(3, {"o1": 5})
    assert outcome(DecisionRule.SIMPLE_MAJORITY, eligible, ballots(Y, N, N)) is Outcome.ADOPTED
    assert outcome(DecisionRule.SIMPLE_MAJORITY, orgs(3), ballots(Y, N, N)) is Outcome.REJECTED
    tally = decide(DecisionRule.SIMPLE_MAJORITY, 0.5, eligible, ballots(Y, N, N)).tally  # type: ignore[arg-type]
    assert (tally.yes, tally.no, tally.yes_weight, tally.no_weight, tally.eligible_weight) == (
        1,
        2,
        5,
        2,
        7,
    )


def test_no_eligible_organisation_means_no_quorum() -> None:
    assert outcome(DecisionRule.CONSENSUS, {}, {}) is Outcome.NO_QUORUM


def test_a_fallback_is_offered_only_after_an_objection_and_never_in_a_secret_vote() -> None:
    """The rule behind the chair's "put it to a vote under …" (page and library alike)."""
    import datetime as dt

    import msgspec

    from consensus_kit import OrgId, Vote, VoteMode
    from consensus_kit.domain.model import Procedure
    from consensus_kit.domain.voting import fallback_rule

    vote = Vote(
        meeting="m",  # type: ignore[arg-type]
        number=1,
        rule=DecisionRule.CONSENSUS,
        quorum=0.0,
        secret=False,
        weighted=False,
        eligible={OrgId("a"): 1, OrgId("b"): 1},
        opened_by="chair",
        opened_at=dt.datetime(2018, 3, 23, tzinfo=dt.UTC),
        amendment=1,
        mode=VoteMode.VOTE,
    )
    rules = Procedure(consensus_fallback=DecisionRule.TWO_THIRDS)
    objected = {OrgId("a"): Choice.OBJECT}
    assert fallback_rule(vote, rules, objected) is DecisionRule.TWO_THIRDS
    assert fallback_rule(vote, rules, {OrgId("a"): Choice.YES}) is None
    assert fallback_rule(vote, Procedure(), objected) is None
    secret = msgspec.structs.replace(vote, secret=True)
    assert fallback_rule(secret, rules, objected) is None
