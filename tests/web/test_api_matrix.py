"""Every API route × every role: allowed or refused as the library's permission table says.

The routes come from the app's OpenAPI schema, so a new route without an entry in ``ROUTES``
fails :func:`test_every_api_route_has_an_entry`. Expectations are derived from
:data:`consensus_kit.domain.permissions.POLICY` (the role rule) plus the route's own scope
(an organisation acts only for itself; only a comment's author changes it). A refused request
answers 401 (no token) or 403 with a JSON reason, and changes nothing: a full dump of the
database (every table, the event log included) is the same before and after.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from consensus_kit import CONSOLE, Action, Delegate, MeetingService, SqlStore
from consensus_kit.domain.permissions import allows
from tests.builders import load_meeting
from tests.dbdump import changed_tables, dump_database
from webui import Settings, create_app
from webui.tokens import issue_token

ROLES = {
    "anonymous": None,
    "observer": "observer",
    "delegate": "delegate-1",  # org-1, sponsor of amendments 1 and 2, author of comment 1
    "signatory": "signatory-1",  # org-1
    "chair": "chair",
    "secretariat": "secretariat",
    "other-org": "delegate-2",  # a delegate of another organisation (org-2)
}
SECRET = "matrix-secret"


def _org1(d: Delegate) -> bool:
    return d.organisation == "org-1"


def _not_org1(d: Delegate) -> bool:
    return d.organisation is not None and d.organisation != "org-1"


def _org1_or_secretariat(d: Delegate) -> bool:
    return _org1(d) or "secretariat" in d.roles


def _author(d: Delegate) -> bool:
    return d.id == "delegate-1"


@dataclass(frozen=True)
class Route:
    """One request on a route, the action it needs and any narrower scope."""

    method: str
    path: str  # as in the OpenAPI schema
    url: str  # a concrete request
    action: Action | None  # None: anyone with a token (the token route: anyone at all)
    body: Any = None
    setup: str = "base"
    scope: Callable[[Delegate], bool] | None = None
    # refused for the state of things rather than the role: 409
    by_state: Callable[[Delegate], bool] | None = None
    public: bool = False


R = Route
ROUTES: list[Route] = [
    R("POST", "/api/v1/token", "/api/v1/token", None, public=True),
    R("DELETE", "/api/v1/token", "/api/v1/token", None),  # ends the token's own login
    R("GET", "/api/v1/me", "/api/v1/me", None),
    R("GET", "/api/v1/meeting", "/api/v1/meeting", None),
    R("GET", "/api/v1/agenda", "/api/v1/agenda", Action.READ),
    R("PUT", "/api/v1/agenda", "/api/v1/agenda", Action.SET_AGENDA, {"kind": "article", "ref": "art-1"}),
    R("GET", "/api/v1/versions", "/api/v1/versions", Action.READ),
    R("GET", "/api/v1/versions/latest", "/api/v1/versions/latest", Action.READ),
    R("GET", "/api/v1/versions/{number}", "/api/v1/versions/1", Action.READ),
    R("GET", "/api/v1/versions/{old}/diff/{new}", "/api/v1/versions/1/diff/1?lang=en", Action.READ),
    R("POST", "/api/v1/versions/{number}/freeze", "/api/v1/versions/1/freeze", Action.FREEZE_VERSION),
    R("GET", "/api/v1/stale", "/api/v1/stale", Action.READ),
    R("GET", "/api/v1/lint", "/api/v1/lint", Action.READ),
    R("POST", "/api/v1/translations", "/api/v1/translations", Action.UPDATE_TRANSLATION,
      {"updates": [{"article": "art-1", "lang": "zh", "text": "第一条"}]}),
    R("POST", "/api/v1/translations/confirm", "/api/v1/translations/confirm",
      Action.CONFIRM_TRANSLATION, {"parts": [{"part": "art-1", "lang": "zh"}]}, setup="stale"),
    R("GET", "/api/v1/events", "/api/v1/events?after=0", Action.READ_EVENTS),
    R("GET", "/api/v1/exports/{fmt}", "/api/v1/exports/md?lang=en", Action.READ),
    R("GET", "/api/v1/amendments", "/api/v1/amendments", Action.READ),
    R("POST", "/api/v1/amendments", "/api/v1/amendments", Action.PROPOSE_AMENDMENT,
      {"kind": "replace", "article": "art-2", "texts": {"en": "New."}}),
    R("GET", "/api/v1/amendments/{number}", "/api/v1/amendments/1", Action.READ),
    R("PATCH", "/api/v1/amendments/{number}", "/api/v1/amendments/1", Action.REVISE_AMENDMENT,
      {"texts": {"zh": "新。"}}, scope=_org1_or_secretariat),
    R("POST", "/api/v1/amendments/{number}/{action}", "/api/v1/amendments/2/submit",
      Action.PROPOSE_AMENDMENT, scope=_org1),
    R("POST", "/api/v1/amendments/{number}/{action}", "/api/v1/amendments/1/withdraw",
      Action.WITHDRAW_AMENDMENT, scope=_org1),
    R("POST", "/api/v1/amendments/{number}/{action}", "/api/v1/amendments/1/cosponsor",
      Action.COSPONSOR_AMENDMENT, by_state=_org1),
    R("POST", "/api/v1/amendments/{number}/{action}", "/api/v1/amendments/1/reject",
      Action.REJECT_AMENDMENT),
    R("POST", "/api/v1/amendments/{number}/set-aside", "/api/v1/amendments/1/set-aside",
      Action.SET_ASIDE_AMENDMENT, {"reason": "out of order"}),
    R("POST", "/api/v1/amendments/{number}/request-update", "/api/v1/amendments/1/request-update",
      Action.REQUEST_UPDATE, {"reason": "say which year"}),
    R("POST", "/api/v1/amendments/{number}/adopt", "/api/v1/amendments/1/adopt", Action.ADOPT_AMENDMENT),
    R("POST", "/api/v1/diff", "/api/v1/diff", None, {"old": "a b", "new": "a c"}),
    R("GET", "/api/v1/comments", "/api/v1/comments?target=article&target_id=art-1", Action.READ),
    R("POST", "/api/v1/comments", "/api/v1/comments", Action.COMMENT,
      {"target": "article", "target_id": "art-1", "body": "Agreed."}),
    R("PATCH", "/api/v1/comments/{comment_id}", "/api/v1/comments/1", Action.COMMENT,
      {"body": "Reworded."}, scope=_author),
    R("POST", "/api/v1/comments/{comment_id}/withdraw", "/api/v1/comments/1/withdraw",
      Action.COMMENT, scope=_author),
    R("GET", "/api/v1/votes", "/api/v1/votes", Action.READ),
    R("POST", "/api/v1/votes", "/api/v1/votes", Action.OPEN_VOTE, {"amendment": 1}),
    R("POST", "/api/v1/votes/consensus", "/api/v1/votes/consensus", Action.OPEN_VOTE,
      {"amendment": 1, "window_seconds": 60}),
    R("GET", "/api/v1/votes/{number}", "/api/v1/votes/1", Action.READ, setup="vote"),
    R("POST", "/api/v1/votes/{number}/ballots", "/api/v1/votes/1/ballots", Action.CAST_BALLOT,
      {"choice": "yes", "key": "k-1"}, setup="vote"),
    R("POST", "/api/v1/votes/{number}/close", "/api/v1/votes/1/close", Action.CLOSE_VOTE, setup="vote"),
    R("POST", "/api/v1/votes/{number}/declare", "/api/v1/votes/1/declare", Action.CLOSE_VOTE,
      setup="call-ended"),
    R("POST", "/api/v1/votes/{number}/fallback", "/api/v1/votes/1/fallback", Action.OPEN_VOTE,
      setup="objected"),
    R("POST", "/api/v1/amendments/{number}/reconsider", "/api/v1/amendments/1/reconsider",
      Action.RECONSIDER_AMENDMENT, {"reason": "new facts"}, setup="rejected"),
    R("POST", "/api/v1/amendments/{number}/reconsideration-vote",
      "/api/v1/amendments/1/reconsideration-vote", Action.RECONSIDER_AMENDMENT,
      {"reason": "new facts"}, setup="rejected-by-vote"),
    R("GET", "/api/v1/signing/{version}", "/api/v1/signing/1", Action.READ, setup="endorsed"),
    R("GET", "/api/v1/signing/{version}/endorsements", "/api/v1/signing/1/endorsements",
      Action.READ, setup="endorsed"),
    R("POST", "/api/v1/signing/{version}/endorse", "/api/v1/signing/1/endorse", Action.ENDORSE,
      {}, setup="frozen"),
    R("POST", "/api/v1/signing/{version}/revoke", "/api/v1/signing/1/revoke", Action.ENDORSE,
      setup="endorsed", scope=_org1),
    R("POST", "/api/v1/signing/{version}/close", "/api/v1/signing/1/close", Action.CLOSE_SIGNING,
      setup="frozen"),
    R("POST", "/api/v1/signing/{version}/reopen", "/api/v1/signing/1/reopen",
      Action.CLOSE_SIGNING, {"reason": "a late delegation"}, setup="closed"),
    R("POST", "/api/v1/amendments/merge", "/api/v1/amendments/merge", Action.MERGE_AMENDMENTS,
      {"amendments": [1, 3]}, setup="merge"),
    R("POST", "/api/v1/amendments/compromise", "/api/v1/amendments/compromise",
      Action.MERGE_AMENDMENTS, {"amendments": [1, 3], "texts": {"en": "C."}, "resolved": ["3:en"]},
      setup="merge"),
    R("POST", "/api/v1/amendments/{number}/adopt-modified", "/api/v1/amendments/1/adopt-modified",
      Action.ADOPT_AMENDMENT, {"modification": {"en": "A, as agreed."}}),
    R("GET", "/api/v1/speakers", "/api/v1/speakers", Action.READ, setup="speakers"),
    R("POST", "/api/v1/speakers/request", "/api/v1/speakers/request", Action.REQUEST_FLOOR),
    R("POST", "/api/v1/speakers/withdraw", "/api/v1/speakers/withdraw", Action.REQUEST_FLOOR, {},
      setup="speakers", by_state=_not_org1),
    R("POST", "/api/v1/speakers/order", "/api/v1/speakers/order", Action.RUN_SPEAKERS_LIST,
      {"order": ["org-1"]}, setup="speakers"),
    R("POST", "/api/v1/speakers/floor", "/api/v1/speakers/floor", Action.RUN_SPEAKERS_LIST, {},
      setup="speakers"),
    R("POST", "/api/v1/speakers/{act_name}", "/api/v1/speakers/end-turn",
      Action.RUN_SPEAKERS_LIST, setup="speaking"),
    R("GET", "/api/v1/organisations", "/api/v1/organisations", None),
    R("POST", "/api/v1/organisations", "/api/v1/organisations", Action.ADMINISTER,
      {"id": "late", "name": {"en": "Late"}, "country": "KE", "region": "Africa", "reason": "late"}),
    R("PATCH", "/api/v1/organisations/{org_id}", "/api/v1/organisations/org-2", Action.ADMINISTER,
      {"name": {"en": "New name"}, "reason": "typo"}),
    R("POST", "/api/v1/organisations/{org_id}/withdraw", "/api/v1/organisations/org-3/withdraw",
      Action.ADMINISTER, {"reason": "left"}),
    R("GET", "/api/v1/delegates", "/api/v1/delegates", None),
    R("POST", "/api/v1/delegates", "/api/v1/delegates", Action.ADMINISTER,
      {"id": "new-person", "name": "New", "organisation": "org-2", "reason": "late"}),
    R("PATCH", "/api/v1/delegates/{delegate_id}", "/api/v1/delegates/delegate-3",
      Action.ADMINISTER, {"name": "Renamed", "reason": "typo"}),
    R("POST", "/api/v1/delegates/{delegate_id}/withdraw", "/api/v1/delegates/delegate-3/withdraw",
      Action.ADMINISTER, {"reason": "left"}),
    R("PUT", "/api/v1/delegates/{delegate_id}/roles", "/api/v1/delegates/delegate-3/roles",
      Action.ADMINISTER, {"roles": ["delegate", "signatory"], "reason": "signs"}),
    R("POST", "/api/v1/delegates/{delegate_id}/substitute",
      "/api/v1/delegates/signatory-3/substitute", Action.ADMINISTER,
      {"by": "signatory-3b", "name": "Sub", "reason": "ill"}),
    R("POST", "/api/v1/delegates/{delegate_id}/code", "/api/v1/delegates/delegate-3/code",
      Action.ISSUE_CODES),
]  # fmt: skip


def expected(route: Route, delegate: Delegate | None) -> int:
    """200 (any 2xx) when allowed, else the status of the refusal."""
    if delegate is None:  # no token; for the token route: no valid code
        return 401
    if route.action is not None and not allows(delegate, route.action):
        return 403
    if route.scope is not None and not route.scope(delegate):
        return 403
    if route.by_state is not None and route.by_state(delegate):
        return 409
    return 200


# -- the database each cell starts from -----------------------------------------------------


def _base(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    s.propose_amendment(p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "A."})
    s.propose_amendment(p["delegate-1"], mid, kind="delete", article="art-2", draft=True)
    s.post_comment(p["delegate-1"], mid, target="article", target_id="art-1", body="Why?")


def _vote(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.open_vote(p["chair"], mid, amendment=1)


def _call_ended(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.call_for_consensus(p["chair"], mid, 1, window=dt.timedelta(seconds=10))


def _objected(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.call_for_consensus(p["chair"], mid, 1, window=dt.timedelta(hours=2))
    s.cast_ballot(p["delegate-2"], mid, 1, "object", key="objection")


def _rejected(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.reject_amendment(p["chair"], mid, 1)


def _frozen(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.withdraw_amendment(p["delegate-1"], mid, 1)
    s.freeze_version(p["chair"], mid, 1)


def _endorsed(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _frozen(s, mid, p)
    s.endorse(p["signatory-1"], mid, 1)


def _closed(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _endorsed(s, mid, p)
    s.close_signing(p["chair"], mid, 1)


def _stale(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.adopt_amendment(p["chair"], mid, 1)  # English only: the Chinese of article 1 is stale


def _merge(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.propose_amendment(p["delegate-2"], mid, kind="replace", article="art-1", texts={"en": "B."})


def _speakers(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _base(s, mid, p)
    s.request_floor(p["delegate-1"], mid)


def _speaking(s: MeetingService, mid: str, p: dict[str, Delegate]) -> None:
    _speakers(s, mid, p)
    s.give_floor(p["chair"], mid)


SETUPS = {
    "merge": _merge,
    "speakers": _speakers,
    "speaking": _speaking,
    "base": _base,
    "stale": _stale,
    "vote": _vote,
    "call-ended": _call_ended,
    "objected": _objected,
    "rejected": _rejected,
    "rejected-by-vote": _rejected,
    "frozen": _frozen,
    "endorsed": _endorsed,
    "closed": _closed,
}


@dataclass
class Template:
    path: Path
    mid: str
    codes: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    """One prepared SQLite file per state; each cell works on a copy."""
    made: dict[str, Template] = {}
    folder = tmp_path_factory.mktemp("matrix")
    an_hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)  # so the call has ended
    for name, setup in SETUPS.items():
        path = folder / f"{name}.db"
        store = SqlStore.open(f"sqlite:///{path}")
        service = MeetingService(store, clock=lambda: an_hour_ago + dt.timedelta(seconds=1))
        # rules of procedure that allow the fallback vote and reconsideration
        procedure = '[procedure]\nconsensus_fallback = "two_thirds"\nreconsideration = "chair"\n'
        if name == "rejected-by-vote":  # a motion to reconsider is put to a vote
            procedure = procedure.replace('"chair"', '"vote"')
        loaded = load_meeting(service, extra=procedure)
        mid = loaded.meeting.id
        people = {d.id: d for d in loaded.meeting.delegates}
        setup(service, mid, people)
        settings = Settings(db=str(path), secret=SECRET)
        template = Template(path=path, mid=mid, codes=dict(loaded.codes))
        for who in ROLES.values():
            if who is not None:
                login = MeetingService(store).log_in(template.codes[who])
                template.tokens[who] = issue_token(
                    settings.key("token"), mid, who, 2**40, login.credential
                )
        assert service.events_after(CONSOLE, mid)  # the set-up happened
        store.close()
        made[name] = template
    return made


@pytest.fixture(scope="module")
def apps(
    templates: dict[str, Template], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[Path, TestClient[Any]]]]:
    """One running app per state; before each cell its database is restored from the template
    (SQLite's backup API writes through SQLite, so the app's open connections stay valid)."""
    folder = tmp_path_factory.mktemp("apps")
    with ExitStack() as stack:
        running = {}
        for name, template in templates.items():
            db = folder / f"{name}.db"
            shutil.copyfile(template.path, db)
            app = create_app(Settings(db=str(db), secret=SECRET))
            running[name] = (db, stack.enter_context(TestClient(app=app)))
        yield running


def restore(template: Path, db: Path) -> None:
    """Make ``db`` an exact copy of ``template`` again."""
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(db)) as target:
        source.backup(target)


CELLS = [(route, role) for route in ROUTES for role in ROLES]


def _cell_id(route: Route, role: str) -> str:
    return f"{route.method} {route.url.split('?')[0]} as {role}"


def test_every_api_route_has_an_entry(templates: dict[str, Template]) -> None:
    app = create_app(Settings(db=str(templates["base"].path), secret=SECRET))
    with TestClient(app=app) as client:
        schema = client.get("/schema/openapi.json").json()
    in_schema = {
        (m.upper(), p)
        for p, ops in schema["paths"].items()
        if p.startswith("/api/")  # /healthz and /readyz: no login, no role (test_health.py)
        for m in ops
    }
    in_app = {
        (method, route.path)
        for route in app.routes
        if route.path.startswith("/api/")
        for method in getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}
    }
    assert len(in_app) == len(in_schema)  # no API route is hidden from the schema
    assert {(r.method, r.path) for r in ROUTES} == in_schema
    assert len(CELLS) == len(ROUTES) * 7


@pytest.mark.parametrize(("route", "role"), CELLS, ids=[_cell_id(r, w) for r, w in CELLS])
def test_a_route_is_allowed_or_refused_for_a_role(
    templates: dict[str, Template],
    apps: dict[str, tuple[Path, TestClient[Any]]],
    route: Route,
    role: str,
) -> None:
    template = templates[route.setup]
    db, client = apps[route.setup]
    restore(template.path, db)
    who = ROLES[role]
    delegate = None
    headers: dict[str, str] = {}
    body = route.body
    if who is not None:
        delegate = client.app.state.service.delegate(template.mid, who)
        headers = {"Authorization": f"Bearer {template.tokens[who]}"}
    if route.public:
        body = {"code": template.codes[who] if who else "WRONG-CODE-0000"}
        headers = {}
    want = expected(route, delegate)
    before = dump_database(f"sqlite:///{db}")
    assert before == dump_database(f"sqlite:///{template.path}")  # the cell starts afresh
    answer = client.request(route.method, route.url, json=body, headers=headers)
    after = dump_database(f"sqlite:///{db}")
    assert answer.status_code < 500, answer.text
    if want == 200:
        assert 200 <= answer.status_code < 300, answer.text
        if route.method == "GET":
            assert changed_tables(before, after) == set()  # reading changes nothing
        return
    assert answer.status_code == want, answer.text
    problem = answer.json()
    codes = {401: "not_authenticated", 403: "not_permitted", 409: "invalid_state"}
    assert problem["code"] == codes[want]
    assert len(problem["message"]) > 10
    # nothing changed (a failed login only counts the attempt)
    assert changed_tables(before, after) <= ({"login_attempts"} if route.public else set())
    if route.public:
        assert before["events"] == after["events"]
