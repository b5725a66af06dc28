"""What the room's screens ask the library before an irreversible step (issue 19): what closing
a vote would decide now, whether signing is still open, whether a proposal's words were written
from its article's current words."""

from __future__ import annotations

import pytest

from consensus_kit import CONSOLE, InvalidInput, MeetingService, Outcome, SqlStore
from tests.builders import load_meeting


@pytest.fixture
def room(store: SqlStore):  # type: ignore[no-untyped-def]
    service = MeetingService(store)
    loaded = load_meeting(service, orgs=3)
    p = {d.id: d for d in loaded.meeting.delegates}
    return service, loaded.meeting.id, p


def test_the_forecast_is_what_closing_now_would_decide(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "x"}
    )
    service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority", quorum=0.5)
    service.cast_ballot(p["delegate-1"], mid, 1, "yes", key="a")
    forecast = service.vote(p["observer"], mid, 1).forecast
    assert forecast is not None and forecast.outcome is Outcome.NO_QUORUM
    service.cast_ballot(p["delegate-2"], mid, 1, "yes", key="b")
    forecast = service.vote(p["observer"], mid, 1).forecast
    assert forecast is not None and forecast.outcome is Outcome.ADOPTED
    closed = service.close_vote(p["chair"], mid, 1)
    assert closed.result is not None and closed.result.outcome is forecast.outcome
    assert service.vote(p["observer"], mid, 1).forecast is None


def test_a_secret_votes_forecast_names_no_organisation(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "x"}
    )
    service.open_vote(p["chair"], mid, amendment=1, rule="consensus", secret=True)
    service.cast_ballot(p["delegate-2"], mid, 1, "object", key="a")
    forecast = service.vote(p["observer"], mid, 1).forecast
    assert forecast is not None and forecast.outcome is not Outcome.ADOPTED
    assert forecast.objectors == () and "org-" not in forecast.reason


def test_signing_is_open_until_the_chair_closes_it(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    service.freeze_version(p["chair"], mid, 1)
    assert service.signing_open(p["observer"], mid, 1) is True
    service.close_signing(p["chair"], mid, 1)
    assert service.signing_open(p["observer"], mid, 1) is False


def test_words_written_from_another_article_are_refused(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    first = service.current_words(p["delegate-1"], mid, kind="replace", article="art-1")
    with pytest.raises(InvalidInput) as refused:
        service.propose_amendment(
            p["delegate-1"], mid, kind="replace", article="art-2",
            texts={"en": "Article 1, rewritten"}, based_on=dict(first),
        )  # fmt: skip
    assert refused.value.field == "article"
    assert service.amendments(CONSOLE, mid) == []
    made = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1",
        texts={"en": "Article 1, rewritten"}, based_on=dict(first),
    )  # fmt: skip
    assert made.article == "art-1"
