"""The record of votes as PDF: every vote with its rule, tally, outcome and, where the ballot
was not secret, the roll call.

>>> data = export_votes_pdf(meeting, views, "en")                             # doctest: +SKIP

A secret vote prints its totals and the published check codes only — what anyone taking part
may read (:func:`~consensus_kit.service.vote_views.vote_view`), nothing more. An open vote is
printed as "still open", with no tally when it is secret.
"""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo
from collections.abc import Sequence
from typing import TYPE_CHECKING

from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Meeting
from consensus_kit.domain.voting import Choice, VoteMode
from consensus_kit.errors import InvalidInput
from consensus_kit.formats.export_common import guess_lang, label
from consensus_kit.formats.pdf_common import document, lang_attrs, write_pdf

if TYPE_CHECKING:  # what the service gives; formats do not import the service at run time
    from consensus_kit.service.vote_views import VoteView

__all__ = ["export_votes_pdf", "votes_html"]

_e = html.escape
_CHOICES = (Choice.YES, Choice.NO, Choice.ABSTAIN, Choice.OBJECT)


def _when(meeting: Meeting, value: dt.datetime | None) -> str:
    if value is None:
        return ""
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(meeting.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".strip()


def _org(meeting: Meeting, org_id: str | None, lang: str) -> str:
    if org_id is None:
        return ""
    org = meeting.organisation(org_id)  # type: ignore[arg-type]
    return org.name_in(Lang(lang), meeting.negotiating_language) if org else org_id


def _vote(meeting: Meeting, view: VoteView, lang: str) -> str:
    vote = view.vote
    key = "consensus_call_n" if vote.mode is VoteMode.CONSENSUS_CALL else "vote_n"
    subject = (
        label(lang, "on_reconsideration", n=vote.amendment)
        if vote.mode is VoteMode.RECONSIDERATION
        else label(lang, "on_amendment", n=vote.amendment)
        if vote.amendment is not None
        else label(lang, "on_version", n=vote.version)
    )
    rows = [
        (label(lang, "rule"), label(lang, f"rule_{vote.rule.value}")),
        (label(lang, "quorum"), f"{vote.quorum:.0%}"),
        (label(lang, "ballot"), label(lang, "secret" if vote.secret else "roll_call")),
        (label(lang, "opened"), _when(meeting, vote.opened_at)),
        (label(lang, "closed"), _when(meeting, vote.closed_at) or label(lang, "still_open")),
    ]
    if view.tally is not None:
        t = view.tally
        counts = " · ".join(
            f"{label(lang, f'choice_{c.value}')} {getattr(t, c.value)}"
            for c in _CHOICES
            if c is not Choice.OBJECT or vote.rule.value == "consensus"
        )
        rows.append((label(lang, "tally"), counts))
    rows.append(
        (
            label(lang, "participation"),
            label(lang, "cast_of", cast=view.cast, eligible=view.eligible),
        )
    )
    if vote.result is not None:
        rows.append((label(lang, "outcome"), label(lang, f"outcome_{vote.result.outcome.value}")))
    facts = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    roll = ""
    if view.ballots and not vote.secret:
        lines = "".join(
            f"<tr><td {lang_attrs(guess_lang(_org(meeting, b.organisation, lang), lang))}>"
            f"{_e(_org(meeting, b.organisation, lang))}</td>"
            f"<td>{_e(label(lang, f'choice_{b.choice.value}') if b.choice else '')}</td></tr>"
            for b in view.ballots
        )
        roll = (
            f'<table class="roll"><thead><tr><th>{_e(label(lang, "organisation"))}</th>'
            f"<th>{_e(label(lang, 'choice'))}</th></tr></thead><tbody>{lines}</tbody></table>"
        )
    elif view.ballots:
        lines = "".join(
            f"<tr><td>{_e(b.check or '')}</td>"
            f"<td>{_e(label(lang, f'choice_{b.choice.value}') if b.choice else '')}</td></tr>"
            for b in view.ballots
        )
        roll = (
            f'<p class="note">{_e(label(lang, "secret_note"))}</p>'
            f'<table class="roll"><thead><tr><th>{_e(label(lang, "check_code"))}</th>'
            f"<th>{_e(label(lang, 'choice'))}</th></tr></thead><tbody>{lines}</tbody></table>"
        )
    return (
        f'<section class="vote" id="vote-{vote.number}"><h3>{_e(label(lang, key, n=vote.number))}'
        f" · {_e(subject)}</h3><dl>{facts}</dl>{roll}</section>"
    )


def votes_html(meeting: Meeting, views: Sequence[VoteView], lang: str) -> str:
    """The HTML the record of votes is printed from, in ``lang``."""
    if lang not in meeting.languages:
        raise InvalidInput(
            f"{lang!r} is not one of the meeting's languages ({', '.join(meeting.languages)})",
            field="lang",
        )
    title = meeting.title.get(Lang(lang)) or meeting.title.get(meeting.negotiating_language, "")
    heading = f"<h1>{_e(title)}</h1><h2>{_e(label(lang, 'votes_title'))}</h2>"
    body = (
        "".join(_vote(meeting, v, lang) for v in views) or f"<p>{_e(label(lang, 'votes_none'))}</p>"
    )
    return document(
        f'<main class="votes" {lang_attrs(lang)}>{heading}{body}</main>',
        lang=lang,
        title=f"{title} — {label(lang, 'votes_title')}",
        version=None,
    )


def export_votes_pdf(meeting: Meeting, views: Sequence[VoteView], lang: str) -> bytes:
    """The record of votes (``views``, oldest first) in ``lang``, as PDF bytes."""
    return write_pdf(votes_html(meeting, views, lang))
