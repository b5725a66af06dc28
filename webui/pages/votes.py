"""The vote panel: the chair opens and closes votes; delegates cast their organisation's ballot
and keep a receipt; everyone sees the live tally."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consensus_kit import AmendmentStatus, Choice, DecisionRule, VoteMode
from webui import tally
from webui.deps import MeDep, page, page_me, service_of
from webui.pages._common import N_, Form, act, back, field, flash, number
from webui.pages.declaration import reading_lang
from webui.pages.home import my_ballots, positions

__all__ = ["VotePages"]


class VotePages(Controller):
    """``/votes``…"""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/votes", sync_to_thread=True)
    def votes(self, request: Request[Any, Any, Any], me: MeDep) -> Template:
        """Every vote, and the chair's form to open one."""
        service = service_of(request.app.state)
        votes = service.votes(me.delegate, me.mid)
        submitted = [
            v.amendment
            for v in service.amendments(me.delegate, me.mid, open_only=True)
            if v.amendment.status is AmendmentStatus.SUBMITTED
        ]
        latest = service.versions(me.delegate, me.mid)[-1]
        return page(
            request,
            me,
            "votes.html",
            votes=votes,
            submitted=submitted,
            latest=latest,
            rules=[r.value for r in DecisionRule],
            open=my_ballots(request, service, me),
            positions=positions(service, me),
        )

    @get("/votes/{n:int}", sync_to_thread=True)
    def vote(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        n: FromPath[int],
        part: FromQuery[str | None] = None,
    ) -> Template:
        """The vote panel: subject, rule, ballot buttons, receipt, tally."""
        service = service_of(request.app.state)
        view = service.vote(me.delegate, me.mid, n)
        vote = view.vote
        subject = (
            service.amendment(me.delegate, me.mid, vote.amendment)
            if vote.amendment is not None
            else None
        )
        if vote.mode is VoteMode.CONSENSUS_CALL:
            choices = [Choice.OBJECT.value]
        elif vote.rule is DecisionRule.CONSENSUS:
            choices = [c.value for c in Choice]
        else:
            choices = [Choice.YES.value, Choice.NO.value, Choice.ABSTAIN.value]
        receipt = request.session.get("receipts", {}).get(str(n))
        mine = next(
            (
                b.choice.value
                for b in view.ballots
                if b.organisation and b.organisation == me.delegate.organisation and b.choice
            ),
            receipt.get("choice") if receipt else None,
        )
        # the question shows first a language whose text the amendment changes
        changed = [
            lang
            for lang, ops in (subject.diffs if subject else {}).items()
            if any(op.op != "equal" for op in ops)
        ]
        context = {
            "question_langs": changed or list(subject.diffs if subject else {}),
            "view": view,
            "vote": vote,
            "subject": subject,
            "choices": choices,
            "receipt": receipt,
            "mine": mine,
            "key": secrets.token_urlsafe(12),
            "bars": tally.bars(vote, view.tally),
            "chart_height": tally.height(len(tally.bars(vote, view.tally))),
            "chart": {"width": tally.WIDTH, "label": tally.LABEL, "bar": tally.BAR_HEIGHT},
            "now": dt.datetime.now(dt.UTC),
            "standalone": part == "tally",
            "reading": reading_lang(request, me, None),
            "positions": positions(service, me),
        }
        names = {
            "tally": "parts/tally.html",
            "panel": "parts/vote_panel.html",
            "chair": "parts/chair_vote.html",
        }
        return page(request, me, names.get(part or "", "vote.html"), **context)

    @post("/votes", sync_to_thread=True)
    def open_vote(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Redirect:
        """Open a vote on an amendment or on adopting the latest version (the chair)."""
        service = service_of(request.app.state)
        vote = act(
            request,
            me,
            service.open_vote,
            amendment=number(data, "amendment"),
            version=number(data, "version"),
            rule=field(data, "rule") or None,
            secret=field(data, "secret") == "on",
        )
        act(request, me, service.set_agenda, "vote", str(vote.number))
        flash(request, N_("The vote is open and on the floor."))
        return back(f"/votes/{vote.number}")

    @post("/votes/consensus", sync_to_thread=True)
    def call_for_consensus(
        self, request: Request[Any, Any, Any], me: MeDep, data: Form
    ) -> Redirect:
        """Call for consensus on an amendment (the chair): only objections are cast."""
        service = service_of(request.app.state)
        seconds = number(data, "window") or 60
        vote = act(
            request,
            me,
            service.call_for_consensus,
            number(data, "amendment") or 0,
            window=dt.timedelta(seconds=seconds),
        )
        act(request, me, service.set_agenda, "vote", str(vote.number))
        flash(request, N_("The call for consensus is open and on the floor."))
        return back(f"/votes/{vote.number}")

    @post("/votes/{n:int}/ballot", sync_to_thread=True)
    def cast(
        self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int], data: Form
    ) -> Redirect:
        """Cast or change the organisation's ballot; the receipt is shown on the panel."""
        service = service_of(request.app.state)
        choice = field(data, "choice")
        key = f"{field(data, 'key')[:80]}-{choice}"
        receipt = act(request, me, service.cast_ballot, n, choice, key=key)
        receipts = dict(request.session.get("receipts", {}))
        receipts[str(n)] = {
            "choice": receipt.choice.value,
            "receipt": receipt.receipt,
            "seq": receipt.seq,
            "check": receipt.check,
        }
        request.session["receipts"] = dict(list(receipts.items())[-10:])
        flash(request, N_("Your organisation's ballot was recorded."))
        return back(f"/votes/{n}")

    @post("/votes/{n:int}/close", sync_to_thread=True)
    def close(self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int]) -> Redirect:
        """Close the vote (the chair): the library applies the rule."""
        act(request, me, service_of(request.app.state).close_vote, n)
        flash(request, N_("The vote is closed."))
        return back(f"/votes/{n}")

    @post("/votes/{n:int}/fallback", sync_to_thread=True)
    def fallback(self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int]) -> Redirect:
        """After an objection: the question goes to a recorded vote under the rules' fallback
        rule (the chair); the page of the new vote follows."""
        vote = act(request, me, service_of(request.app.state).put_to_fallback, n)
        flash(request, N_("The question is put to a recorded vote."))
        return back(f"/votes/{vote.number}")

    @post("/votes/{n:int}/declare", sync_to_thread=True)
    def declare(self, request: Request[Any, Any, Any], me: MeDep, n: FromPath[int]) -> Redirect:
        """Declare consensus when the call's time is up without objection (the chair)."""
        act(request, me, service_of(request.app.state).declare_consensus, n)
        flash(request, N_("Consensus declared."))
        return back(f"/votes/{n}")
