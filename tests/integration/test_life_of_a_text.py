"""The whole life of a text under a stateful, model-based test (Hypothesis).

Random sequences of what delegations and the chair do in a drafting session — propose (some as
drafts), submit, revise, co-sponsor, withdraw, adopt, reject, set aside, ask for an update, open
votes and cast and change ballots, call for consensus with or without objections, update
translations, freeze and endorse — over three articles in English and Chinese, with
amendments that compete for the same words and ones that do not. ``life_model.Model`` predicts
what must happen; after every step the database and the model agree on every amendment's state,
texts and sponsors, on the latest texts and their stale translations, and on every open vote's
tally. Each operation is done only when the model says it must succeed, so an operation that
fails because of another amendment's state fails the test. At the end ``verify`` passes.

Examples and steps: ``CK_LIFE_EXAMPLES`` (default 50) × up to ``CK_LIFE_STEPS`` (default 40), on
SQLite and on PostgreSQL; derandomised, so every run plays the same sequences.
``CK_LIFE_NO_SHRINK=1`` reports a failure without shrinking it; ``CK_LIFE_DEBUG=1`` prints what
each example did.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import create_engine, text

from consensus_kit import (
    CONSOLE,
    Declaration,
    InvalidInput,
    InvalidState,
    MeetingService,
    SqlStore,
    verify_store,
)
from consensus_kit.storage.engine import normalise_url
from tests.builders import load_meeting, with_articles
from tests.conftest import IN_CI, PG_HOW, PG_URL
from tests.integration.life_model import (
    ARTICLES,
    LANGS,
    OPEN,
    SLOTS,
    WORDS,
    Amendment,
    Model,
    render,
    replaced,
)

EXAMPLES = int(os.environ.get("CK_LIFE_EXAMPLES", "50"))
STEPS = int(os.environ.get("CK_LIFE_STEPS", "40"))
ORGS = ("org-1", "org-2", "org-3", "org-4")
LANG_SETS = (("en",), ("zh",), ("en", "zh"))


class LifeOfAText(RuleBasedStateMachine):
    """One meeting per example, on a fresh database from ``new_database``."""

    new_database: Callable[[], str]

    def __init__(self) -> None:
        super().__init__()
        self.now = dt.datetime(2018, 3, 23, 9, 0, tzinfo=dt.UTC)
        self.store = SqlStore.open(type(self).new_database())
        self.service = MeetingService(self.store, clock=lambda: self.now)
        loaded = load_meeting(self.service, orgs=len(ORGS), articles=len(ARTICLES))
        self.mid = loaded.meeting.id
        self.p = {d.id: d for d in loaded.meeting.delegates}
        self.chair = self.p["chair"]
        self.model = Model.start()
        self.service.publish_version(self.chair, self.mid, self._declaration(loaded))
        self.votes: dict[int, dict[str, Any]] = {}  # number → amendment, mode, ballots, open
        self.frozen: int | None = None
        self.endorsed: set[str] = set()
        self.keys = 0

    def _declaration(self, loaded: Any) -> Declaration:
        texts = {
            a: {lang: render(lang, self.model.text[a][lang]) for lang in LANGS} for a in ARTICLES
        }
        return with_articles(loaded.version.declaration, texts)

    def teardown(self) -> None:
        if os.environ.get("CK_LIFE_DEBUG"):
            statuses = [a.status for a in self.model.amendments.values()]
            events = len(self.service.events_after(self.chair, self.mid))
            print(f"events={events} amendments={len(statuses)} frozen={self.frozen}", statuses)
        report = verify_store(self.store, CONSOLE)
        self.store.close()
        assert report.ok, [str(f) for f in report.findings]

    def _tick(self, seconds: int = 1) -> None:
        self.now += dt.timedelta(seconds=seconds)

    def _delegate(self, org: str) -> Any:
        return self.p[f"delegate-{org.removeprefix('org-')}"]

    def _with(self, *statuses: str) -> list[Amendment]:
        return [a for a in self.model.amendments.values() if a.status in statuses]

    def _texts(self, words: dict[str, tuple[str, ...]]) -> dict[str, str]:
        return {lang: render(lang, w) for lang, w in words.items()}

    def _new_words(self, data: st.DataObject, langs: tuple[str, ...], current: Any, slot: int):  # type: ignore[no-untyped-def]
        return {
            lang: replaced(
                current[lang],
                slot,
                data.draw(st.sampled_from([w for w in WORDS[lang] if w != current[lang][slot]])),
            )
            for lang in langs
        }

    # -- drafting ------------------------------------------------------------------------------

    @precondition(lambda self: self.frozen is None)
    @rule(
        data=st.data(),
        org=st.sampled_from(ORGS),
        article=st.sampled_from(ARTICLES),
        slot=st.integers(0, SLOTS - 1),
        langs=st.sampled_from(LANG_SETS),
        draft=st.booleans(),
    )
    def propose(
        self,
        data: st.DataObject,
        org: str,
        article: str,
        slot: int,
        langs: tuple[str, ...],
        draft: bool,
    ) -> None:
        current = self.model.text[article]
        words = self._new_words(data, langs, current, slot)
        self._tick()
        made = self.service.propose_amendment(
            self._delegate(org),
            self.mid,
            kind="replace",
            article=article,
            texts=self._texts(words),
            draft=draft,
        )
        self.model.amendments[made.number] = Amendment(
            number=made.number,
            sponsor=org,
            article=article,
            slot=slot,
            texts=words,
            base=dict(current),
            status="draft" if draft else "submitted",
        )

    @precondition(lambda self: self.frozen is None and self._with("draft"))
    @rule(data=st.data())
    def submit(self, data: st.DataObject) -> None:
        drafts = self._with("draft")
        if drafts:
            a = data.draw(st.sampled_from(drafts))
            self._tick()
            self.service.submit_amendment(self._delegate(a.sponsor), self.mid, a.number)
            a.status = "submitted"

    @precondition(
        lambda self: self.frozen is None and self._with("draft", "submitted", "needs_update")
    )
    @rule(data=st.data())
    def revise(self, data: st.DataObject) -> None:
        """The sponsor rewrites its word; one that needs an update is rewritten on the latest."""
        candidates = self._with("draft", "submitted", "needs_update")
        if not candidates:
            return
        a = data.draw(st.sampled_from(candidates))
        on = dict(self.model.text[a.article]) if a.status == "needs_update" else a.base
        words = self._new_words(data, tuple(a.texts), on, a.slot)
        self._tick()
        self.service.revise_amendment(
            self._delegate(a.sponsor), self.mid, a.number, texts=self._texts(words)
        )
        a.texts = words
        if a.status == "needs_update":
            a.base, a.status = on, "submitted"

    @precondition(lambda self: self.frozen is None and self._with(*OPEN))
    @rule(data=st.data(), org=st.sampled_from(ORGS))
    def cosponsor(self, data: st.DataObject, org: str) -> None:
        candidates = [a for a in self._with(*OPEN) if org != a.sponsor and org not in a.cosponsors]
        if candidates:
            a = data.draw(st.sampled_from(candidates))
            self._tick()
            self.service.cosponsor_amendment(self._delegate(org), self.mid, a.number)
            a.cosponsors.add(org)

    @precondition(
        lambda self: self.frozen is None and self._with("draft", "submitted", "needs_update")
    )
    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        candidates = self._with("draft", "submitted", "needs_update")
        if candidates:
            a = data.draw(st.sampled_from(candidates))
            self._tick()
            self.service.withdraw_amendment(self._delegate(a.sponsor), self.mid, a.number)
            a.status = "withdrawn"

    # -- the chair decides -----------------------------------------------------------------------

    def _adopted(self, a: Amendment) -> None:
        a.status = "adopted"
        self.model.change(a.article, a.texts)
        self._cancel_votes_of_moved_amendments()

    @precondition(lambda self: self.frozen is None and self._with("submitted"))
    @rule(data=st.data())
    def adopt(self, data: st.DataObject) -> None:
        candidates = self._with("submitted")
        if candidates:
            a = data.draw(st.sampled_from(candidates))
            self._tick()
            self.service.adopt_amendment(self.chair, self.mid, a.number)
            self._adopted(a)

    @precondition(
        lambda self: self.frozen is None and self._with("submitted", "needs_update", "under_vote")
    )
    @rule(data=st.data(), how=st.sampled_from(["reject", "set_aside", "request_update"]))
    def dispose(self, data: st.DataObject, how: str) -> None:
        allowed = {"request_update": ("submitted", "under_vote")}.get(
            how, ("submitted", "needs_update")
        )
        candidates = self._with(*allowed)
        if not candidates:
            return
        a = data.draw(st.sampled_from(candidates))
        self._tick()
        if how == "reject":
            self.service.reject_amendment(self.chair, self.mid, a.number, reason="no support")
            a.status = "rejected"
        elif how == "set_aside":
            self.service.set_aside_amendment(self.chair, self.mid, a.number, reason="not now")
            a.status = "set_aside"
        else:
            self.service.request_update(self.chair, self.mid, a.number, reason="say it again")
            a.status = "needs_update"
            self._cancel_votes_of_moved_amendments()

    @precondition(
        lambda self: (
            self.frozen is None and self._with("draft", "needs_update", "withdrawn", "rejected")
        )
    )
    @rule(data=st.data())
    def adopting_an_amendment_that_is_not_ready_is_refused_for_its_own_state(
        self, data: st.DataObject
    ) -> None:
        candidates = self._with("draft", "needs_update", "withdrawn", "rejected")
        if candidates:
            a = data.draw(st.sampled_from(candidates))
            with pytest.raises(InvalidState, match=rf"amendment {a.number}\b"):
                self.service.adopt_amendment(self.chair, self.mid, a.number)

    # -- votes -----------------------------------------------------------------------------------

    def _open_votes(self, mode: str | None = None) -> list[int]:
        return [
            n for n, v in self.votes.items() if v["open"] and (mode is None or v["mode"] == mode)
        ]

    def _cancel_votes_of_moved_amendments(self) -> None:
        for v in self.votes.values():
            if v["open"] and self.model.amendments[v["amendment"]].status != "under_vote":
                v["open"] = False  # the library cancels the vote on an amendment that moved

    @precondition(lambda self: self.frozen is None and self._with("submitted"))
    @rule(data=st.data(), consensus=st.booleans())
    def open_vote(self, data: st.DataObject, consensus: bool) -> None:
        candidates = self._with("submitted")
        if not candidates:
            return
        a = data.draw(st.sampled_from(candidates))
        self._tick()
        if consensus:
            vote = self.service.call_for_consensus(
                self.chair, self.mid, a.number, window=dt.timedelta(seconds=60)
            )
        else:
            vote = self.service.open_vote(
                self.chair, self.mid, amendment=a.number, rule="simple_majority", quorum=0.0
            )
        a.status = "under_vote"
        self.votes[vote.number] = {
            "amendment": a.number,
            "mode": "call" if consensus else "vote",
            "rule": "consensus" if consensus else "simple_majority",
            "deadline": vote.deadline,
            "ballots": {},
            "open": True,
        }

    @precondition(lambda self: bool(self._open_votes()))
    @rule(data=st.data(), org=st.sampled_from(ORGS))
    def cast(self, data: st.DataObject, org: str) -> None:
        votes = self._open_votes("vote")
        calls = [n for n in self._open_votes("call") if self.now < self.votes[n]["deadline"]]
        if not votes and not calls:
            return
        number = data.draw(st.sampled_from(votes + calls))
        v = self.votes[number]
        choices = ["object"] if v["mode"] == "call" else ["yes", "no", "abstain"]
        if v["mode"] == "vote" and v["rule"] == "consensus":
            choices = ["yes", "no", "abstain", "object"]
        choice = data.draw(st.sampled_from(choices))
        self._tick()
        self.keys += 1
        self.service.cast_ballot(self._delegate(org), self.mid, number, choice, key=f"k{self.keys}")
        v["ballots"][org] = choice
        v["mode"] = "vote"  # an objection makes a call for consensus a recorded vote

    @precondition(lambda self: bool(self._open_votes("vote")))
    @rule(data=st.data())
    def close_vote(self, data: st.DataObject) -> None:
        votes = self._open_votes("vote")
        if not votes:
            return
        number = data.draw(st.sampled_from(votes))
        v = self.votes[number]
        self._tick()
        self.service.close_vote(self.chair, self.mid, number)
        v["open"] = False
        a = self.model.amendments[v["amendment"]]
        choices = list(v["ballots"].values())
        if v["rule"] == "consensus":
            carried = "object" not in choices
        else:
            carried = choices.count("yes") > choices.count("no")
        if carried:
            self._adopted(a)
        else:
            a.status = "rejected"
        self._cancel_votes_of_moved_amendments()

    @precondition(lambda self: bool(self._open_votes("call")))
    @rule()
    def time_passes(self) -> None:
        self._tick(61)

    @precondition(lambda self: bool(self._open_votes("call")))
    @rule(data=st.data())
    def declare_consensus(self, data: st.DataObject) -> None:
        calls = [n for n in self._open_votes("call") if self.now >= self.votes[n]["deadline"]]
        if calls:
            number = data.draw(st.sampled_from(calls))
            self._tick()
            self.service.declare_consensus(self.chair, self.mid, number)
            self.votes[number]["open"] = False
            self._adopted(self.model.amendments[self.votes[number]["amendment"]])
            self._cancel_votes_of_moved_amendments()

    # -- translations, freezing, signing ---------------------------------------------------------

    @precondition(lambda self: self.frozen is None and self.model.amendments)
    @rule(data=st.data(), article=st.sampled_from(ARTICLES), slot=st.integers(0, SLOTS - 1))
    def update_translation(self, data: st.DataObject, article: str, slot: int) -> None:
        """The secretariat corrects the Chinese of an article; the same words sent back are
        refused (they are no confirmation)."""
        current = self.model.text[article]
        word = data.draw(st.sampled_from(WORDS["zh"]))
        words = replaced(current["zh"], slot, word)
        self._tick()
        update = {(article, "zh"): render("zh", words)}
        if words == current["zh"]:
            with pytest.raises(InvalidInput, match="current words"):
                self.service.update_translations(self.p["secretariat"], self.mid, update)
            return
        self.service.update_translations(self.p["secretariat"], self.mid, update)
        self.model.change(article, {"zh": words})
        self._cancel_votes_of_moved_amendments()

    @precondition(lambda self: self.frozen is None and self.model.amendments)
    @rule(article=st.sampled_from(ARTICLES))
    def confirm_translation(self, article: str) -> None:
        """The secretariat confirms that the Chinese of an article still matches: done when it
        is stale, refused (naming the part, nothing changed) when it is not."""
        self._tick()
        if article not in self.model.stale:
            with pytest.raises(InvalidInput, match="not stale"):
                self.service.confirm_translations(
                    self.p["secretariat"], self.mid, [(article, "zh")]
                )
            return
        self.service.confirm_translations(self.p["secretariat"], self.mid, [(article, "zh")])
        self.model.change(article, {}, confirmed=frozenset({"zh"}))
        self._cancel_votes_of_moved_amendments()

    @precondition(lambda self: self.frozen is None and len(self._with("adopted")) >= 2)
    @rule()
    def freeze(self) -> None:
        """The chair freezes the latest version: refused while a vote is open or a translation
        is stale, naming why."""
        latest = self.service.version(self.chair, self.mid).number
        self._tick()
        if self._open_votes() or self.model.stale:
            with pytest.raises(InvalidState, match=r"vote|stale"):
                self.service.freeze_version(self.chair, self.mid, latest)
            return
        self.service.freeze_version(self.chair, self.mid, latest)
        self.frozen = latest

    @precondition(lambda self: self.frozen is not None)
    @rule(org=st.sampled_from(ORGS))
    def endorse(self, org: str) -> None:
        if org in self.endorsed:
            return
        self._tick()
        signatory = self.p[f"signatory-{org.removeprefix('org-')}"]
        assert self.frozen is not None
        self.service.endorse(signatory, self.mid, self.frozen)
        self.endorsed.add(org)

    @precondition(lambda self: self.frozen is not None)
    @rule(article=st.sampled_from(ARTICLES))
    def nothing_is_proposed_on_a_frozen_text(self, article: str) -> None:
        with pytest.raises(InvalidState, match="frozen"):
            self.service.propose_amendment(
                self.p["delegate-1"],
                self.mid,
                kind="replace",
                article=article,
                texts={"en": "Too late."},
            )

    # -- what must hold after every step ---------------------------------------------------------

    @invariant()
    def the_database_and_the_model_agree(self) -> None:
        stored = {
            v.amendment.number: v.amendment for v in self.service.amendments(self.chair, self.mid)
        }
        assert set(stored) == set(self.model.amendments)
        for number, a in self.model.amendments.items():
            got = stored[number]
            assert got.status.value == a.status, (number, got.status, a.status, got.conflict)
            assert set(got.cosponsors) == a.cosponsors
            if a.status in ("draft", "submitted", "under_vote"):
                assert got.texts == self._texts(a.texts), number
                assert got.base_texts == self._texts(a.base), number
        latest = self.service.version(self.chair, self.mid).declaration
        for article in latest.articles:
            assert article.text == self._texts(self.model.text[article.id]), article.id
        stale = {s.article for s in self.service.stale_translations(self.chair, self.mid)}
        assert stale == self.model.stale

    @invariant()
    def every_open_tally_counts_the_ballots_cast(self) -> None:
        for number in self._open_votes():
            tally = self.service.vote(self.chair, self.mid, number).tally
            choices = list(self.votes[number]["ballots"].values())
            counted = (tally.yes, tally.no, tally.abstain, tally.object)
            assert counted == tuple(choices.count(c) for c in ("yes", "no", "abstain", "object"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes a fresh, empty database for each example: an SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / uuid.uuid4().hex}.db"
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail(f"CI=true but CK_TEST_PG_URL is not set. {PG_HOW}")
        pytest.skip(PG_HOW)
    base = normalise_url(PG_URL)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    schemas: list[str] = []

    def make() -> str:
        schema = f"ck_life_{uuid.uuid4().hex[:10]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"

    yield make
    with admin.connect() as c:
        for schema in schemas:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.mark.slow
def test_the_life_of_a_text_matches_its_model(new_database: Callable[[], str]) -> None:
    machine = type("Life", (LifeOfAText,), {"new_database": staticmethod(new_database)})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            # a failure is shrunk for at most a minute: its steps are printed either way
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
            if os.environ.get("CK_LIFE_NO_SHRINK")
            else list(Phase),
        ),
    )
