"""An observer reads everything an observer can read during a secret vote, and learns no choice.

Real server processes (one, or two behind Redis), a real database (SQLite file, PostgreSQL
schema). The observer is given ideal conditions: after every single ballot it reads the events
API, the live stream, the vote API, the tally partial, the vote page, the home page and the
projector, then tries to tie each organisation to its choice — from any choice an event states,
from how the tally moved between two ballot events, from response sizes, and (after closing) by
linking the published record to the event log.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from consensus_kit import CONSOLE, open_service, verify_store
from tests.web.test_live import Server, running_server, stream
from tests.web.test_scale_out import two_workers

pytestmark = pytest.mark.timeout(240)

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
BAR = re.compile(r'width="([\d.]+)" height="\d+" rx="4" fill="(#[0-9a-f]{6})"')
COLOURS = {"#2e8b57": "yes", "#b03030": "no", "#8a94a6": "abstain", "#d4731a": "object"}

# cast, change, cast, change back: every kind of move an organisation can make
BALLOTS = [
    ("delegate-1", "yes"),
    ("delegate-2", "no"),
    ("delegate-3", "abstain"),
    ("delegate-1", "no"),
    ("delegate-4", "yes"),
    ("delegate-2", "yes"),
    ("delegate-3", "no"),
]


class Observer:
    """An observer with a page session and a token: everything it can read, read at once."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.pages = httpx.Client(base_url=server.base, timeout=10, follow_redirects=False)
        form = self.pages.get("/login")
        token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
        answer = self.pages.post(
            "/login", data={"code": server.codes["observer"], "_csrf_token": token}
        )
        assert answer.status_code == 303, answer.text
        self.seen = 0

    def read_all(self) -> dict[str, Any]:
        api = self.server.api("observer", "GET", "/votes/1")
        events = self.server.api("observer", "GET", f"/events?after={self.seen}&limit=1000")
        assert api.status_code == events.status_code == 200
        new = events.json()
        if new:
            self.seen = int(new[-1]["seq"])
        htmx = {"HX-Request": "true"}
        return {
            "api": api.text,
            "events": new,
            "tally": self.pages.get("/votes/1?part=tally", headers=htmx).text,
            "page": self.pages.get("/votes/1").text,
            "home": self.pages.get("/").text,
            "projector": self.pages.get("/projector?part=body", headers=htmx).text,
        }


def visible_counts(seen: dict[str, Any]) -> dict[str, float]:
    """Every per-choice number the observer can see: the API's tally and the bars."""
    counts: dict[str, float] = {}
    tally = httpx.Response(200, text=seen["api"]).json().get("tally")
    if tally:
        counts |= {f"api:{c}": tally[c] for c in ("yes", "no", "abstain", "object")}
    for where in ("tally", "projector"):
        for width, colour in BAR.findall(seen[where]):
            counts[f"{where}:{COLOURS[colour]}"] = float(width)
    return counts


def infer_choices(observations: list[dict[str, Any]], orgs: dict[str, str]) -> dict[str, str]:
    """What the observer concludes: organisation -> choice, wherever anything gives it away."""
    inferred: dict[str, str] = {}
    for before, after in itertools.pairwise(observations):
        cast = [e for e in after["events"] if e["body"]["type"] == "ballot_cast"]
        for event in cast:  # an event that states the choice
            if event["body"].get("choice"):
                inferred[event["body"]["organisation"]] = event["body"]["choice"]
        if len(cast) != 1:
            continue
        org = cast[0]["body"]["organisation"]
        old, new = visible_counts(before), visible_counts(after)
        rose = {k.split(":")[1] for k in new if new[k] > old.get(k, 0)}
        if len(rose) == 1:  # the tally moved after one ballot: that was its choice
            inferred[org] = rose.pop()
        for where in ("page", "home", "tally", "projector"):
            for name, org_id in orgs.items():  # "Organisation 1 (en): yes" anywhere
                found = re.search(rf"{re.escape(name)}\W{{0,20}}(yes|no|abstain)", after[where])
                if found:
                    inferred[org_id] = found.group(1)
    return inferred


def sizes_follow_only_the_count(observations: list[dict[str, Any]]) -> list[str]:
    """Responses whose size changed while the number of organisations that cast did not."""
    leaks = []
    for before, after in itertools.pairwise(observations):
        if before["cast"] != after["cast"]:
            continue
        for where in ("api", "tally", "projector"):
            if len(before[where]) != len(after[where]):
                leaks.append(f"{where}: {len(before[where])} -> {len(after[where])} bytes")
    return leaks


@contextmanager
def live_collector(server: Server) -> Iterator[list[dict[str, str]]]:
    """The observer's live stream, read in the background for the whole vote."""
    items: list[dict[str, str]] = []
    stop = threading.Event()
    client, request = stream(server, "observer", **{"Last-Event-ID": str(server.last_seq())})

    def read() -> None:
        with client, request as response:
            assert response.status_code == 200
            current: dict[str, str] = {}
            for line in response.iter_lines():  # heartbeats every second wake this loop
                if stop.is_set():
                    return
                if line == "":
                    if "id" in current:
                        items.append(current)
                    current = {}
                elif not line.startswith(":"):
                    key, _, value = line.partition(":")
                    current[key] = value.strip()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield items
    finally:
        stop.set()
        reader.join(timeout=10)


def play_secret_vote(watch: Server, act: Server) -> None:
    """Delegates vote through ``act``; the observer reads ``watch``; nobody's choice leaks."""
    assert act.api("delegate-1", "POST", "/amendments", {
        "kind": "replace", "article": "art-1", "texts": {"en": "Secret (en)"},
    }).status_code == 201  # fmt: skip
    opened = act.api("chair", "POST", "/votes", {
        "amendment": 1, "rule": "simple_majority", "secret": True, "quorum": 0.1,
    })  # fmt: skip
    assert opened.status_code == 201, opened.text
    assert act.api("chair", "PUT", "/agenda", {"kind": "vote", "ref": "1"}).is_success
    observer = Observer(watch)
    orgs = {f"Organisation {i} (en)": f"org-{i}" for i in range(1, 5)}
    receipts: dict[str, dict[str, Any]] = {}
    with live_collector(watch) as live:
        observations = [observer.read_all()]
        for n, (who, choice) in enumerate(BALLOTS):
            answer = act.api(who, "POST", "/votes/1/ballots", {"choice": choice, "key": f"k{n}"})
            assert answer.status_code == 200, answer.text
            receipts[who] = answer.json()
            seen = observer.read_all()
            # wait until the ballot is visible where the observer reads (another worker, too)
            for _ in range(50):
                if any(e["body"]["type"] == "ballot_cast" for e in seen["events"]):
                    break
                seen = observer.read_all()
            observations.append(seen)
        last = watch.last_seq()
        for _ in range(50):  # the stream may trail the reads by up to a poll
            if live and int(live[-1]["id"]) >= last:
                break
            threading.Event().wait(0.1)
        for seen in observations:
            view = httpx.Response(200, text=seen["api"]).json()
            seen["cast"] = view["cast"] if "cast" in view else view["tally"]["cast"]
    assert [o["cast"] for o in observations] == [0, 1, 2, 3, 3, 4, 4, 4]

    assert infer_choices(observations, orgs) == {}
    assert sizes_follow_only_the_count(observations) == []
    assert [e["event"] for e in live].count("ballot_cast") == len(BALLOTS)
    assert all(set(httpx.Response(200, text=e["data"]).json()) == {"seq", "type"} for e in live)

    # closing publishes the totals and each choice beside a check code
    assert act.api("chair", "POST", "/votes/1/close").is_success
    closed = watch.api("observer", "GET", "/votes/1").json()
    assert closed["tally"]["yes"] == 2 and closed["tally"]["no"] == 2
    events = watch.api("observer", "GET", "/events?after=0&limit=1000").json()
    said = {str(v) for e in events for v in e["body"].values()} | {str(e["seq"]) for e in events}
    for line in closed["ballots"]:
        assert line.get("organisation") is None and line.get("seq") is None
        assert line.get("receipt") is None and line["check"] not in said
    # each organisation (only it) finds its own final choice
    published = {line["check"]: line["choice"] for line in closed["ballots"]}
    assert {r["check"]: r["choice"] for r in receipts.values()} == published
    # the secretariat's integrity check still holds every ballot to its receipt and the chain
    service = open_service(watch.db)
    try:
        assert verify_store(service.store, CONSOLE).ok
    finally:
        service.store.close()


def test_an_observer_learns_no_organisations_choice_in_a_secret_vote(
    tmp_path: Path, db_url: str
) -> None:
    with running_server(tmp_path, db=db_url, orgs=4) as server:
        play_secret_vote(server, server)


@pytest.mark.postgres
def test_an_observer_on_another_worker_learns_no_choice_either(
    tmp_path: Path, pg_url: str, redis_test_url: str
) -> None:
    with two_workers(tmp_path, pg_url, redis_test_url, orgs=4) as (a, b):
        play_secret_vote(a, b)
