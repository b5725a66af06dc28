"""Replay a drafting session of the A20 consensus through the public consensus-kit API.

    python examples/a20_2018/replay.py --db sqlite:///a20.db --out out/a20

ILLUSTRATIVE, NOT HISTORICAL: the seeds publish only the final text, not the drafting record.
The session below starts from an invented earlier draft (the published text with four passages
changed, see ``DRAFT_CHANGES``) and shows how the room could have reached the published text:
amendments in English and Chinese, comments, a consensus vote with a formal objection, a revised
amendment that passes, a majority vote, a call for consensus, translations brought back in step,
then the freeze, all 20 endorsements, the parity check and the exports. The script asserts that
the session ends at exactly the published English and Chinese texts.

Only ``import consensus_kit`` is used: this is what an organiser's own script would look like.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import msgspec

import consensus_kit as ck

HERE = Path(__file__).resolve().parent
BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")

# (article, language, published words, words of the invented earlier draft)
DRAFT_CHANGES = [
    (
        "art-1",
        "en",
        "Today’s society faces challenges in respect to children rights, such as terrorism, "
        "regional conflicts, pollution, climate change, and poverty.",
        "Today’s society faces challenges in respect to children rights.",
    ),
    ("art-3", "en", "should be high on the agenda", "should be on the agenda"),
    ("art-3", "zh", "列入关爱保护儿童事业的重要议程", "列入关爱保护儿童事业的议程"),
    (
        "art-4",
        "zh",
        "构建一个充满活力的全球儿童保护平台。我们认识到",
        "构建一个全球儿童保护平台。我们认识到",
    ),
]

CHECKPOINTS = ("draft", "vote-open", "frozen", "end")
"""Where :func:`replay` may stop: the draft loaded; a majority vote open with some ballots
cast (the demo's live moment); the final text frozen; the whole session."""


class SummitClock:
    """Beijing time during the summit, moving a few seconds per step (reproducible)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=7)
        return self.now.astimezone(dt.UTC)

    def jump(self, to: dt.datetime) -> None:
        self.now = max(self.now, to)


def earlier_draft(published: ck.Declaration) -> ck.Declaration:
    """The invented earlier draft: the published text with ``DRAFT_CHANGES`` undone."""
    articles = []
    for article in published.articles:
        text = dict(article.text)
        for article_id, lang, final, draft in DRAFT_CHANGES:
            if article_id == article.id:
                assert final in text[lang], (article_id, lang, final)
                text[lang] = text[lang].replace(final, draft)
        articles.append(ck.Article(id=article.id, text=text))
    return msgspec.structs.replace(published, articles=tuple(articles))


def published_words(article_id: str, lang: str, current: str) -> str:
    """``current`` with the published words of one draft change put back."""
    for a, lg, final, draft in DRAFT_CHANGES:
        if (a, lg) == (article_id, lang):
            assert draft in current, (article_id, lang)
            return current.replace(draft, final)
    raise KeyError((article_id, lang))


class Session:
    """The replayed session: the service, the meeting, its people and the summit clock."""

    def __init__(self, db: str, log: Callable[[str], None]) -> None:
        self.log = log
        self.published = ck.read_meeting_file(HERE / "meeting.toml")
        self.clock = SummitClock(dt.datetime(2018, 3, 22, 9, 0, tzinfo=BEIJING))
        self.service = ck.MeetingService(ck.SqlStore.open(db), clock=self.clock)
        draft = earlier_draft(self.published.declaration)
        loaded = self.service.load_meeting(
            msgspec.structs.replace(self.published, declaration=draft), actor=ck.CONSOLE
        )
        self.loaded = loaded
        self.meeting = loaded.meeting.id
        self.who = {d.id: d for d in loaded.meeting.delegates}
        self.chair, self.secretariat = self.who["chair"], self.who["secretariat"]
        log(f"version 1: the draft ({loaded.version.content_hash[:12]})")

    def text_of(self, article_id: str, lang: str) -> str:
        """The latest text of one article in one language."""
        version = self.service.version(self.chair, self.meeting)
        article = version.declaration.article(ck.ArticleId(article_id))
        assert article is not None
        return article.text[lang]

    def ballots(self, vote: int, choices: dict[str, str]) -> None:
        """Each named delegate casts their organisation's ballot."""
        for delegate_id, choice in choices.items():
            self.service.cast_ballot(
                self.who[delegate_id], self.meeting, vote, choice, key=f"v{vote}-{delegate_id}"
            )

    def first_delegate(self, org: ck.Organisation) -> ck.Delegate:
        """The (one) delegate of an organisation."""
        return next(d for d in self.loaded.meeting.delegates if d.organisation == org.id)

    def article_1(self) -> None:
        """A consensus vote fails on one objection; the revised amendment passes."""
        s, m, chair = self.service, self.meeting, self.chair
        s.set_agenda(chair, m, "article", "art-1", note="Article 1: the challenges")
        art1 = self.text_of("art-1", "en")
        quote = "children rights"
        start = art1.index(quote)
        s.post_comment(
            self.who["rana-flower"],
            m,
            target="article",
            target_id="art-1",
            body="Which challenges? The text could name them.",
            quote=ck.Quote(lang="en", start=start, end=start + len(quote), text=quote),
        )
        with_war = art1.replace(
            "children rights.",
            "children rights, such as war, terrorism, regional conflicts, pollution, climate "
            "change, and poverty.",
        )
        a1 = s.propose_amendment(
            self.who["ekesa"],
            m,
            kind="replace",
            article="art-1",
            texts={"en": with_war},
            rationale="Name the challenges.",
        )
        s.cosponsor_amendment(self.who["marunda"], m, a1.number)
        vote = s.open_vote(chair, m, amendment=a1.number, rule="consensus")
        s.set_agenda(chair, m, "vote", str(vote.number))
        supporters = (
            "ekesa",
            "marunda",
            "sheth",
            "saniel",
            "kawah",
            "hazizaj",
            "mkandawire",
            "busgopaul",
            "osman",
            "setiawan",
            "kalyan-eng",
        )
        self.ballots(vote.number, dict.fromkeys(supporters, "yes") | {"rzayeva": "object"})
        s.post_comment(
            self.who["rzayeva"],
            m,
            target="amendment",
            target_id=str(a1.number),
            body="“War” is not a challenge the organisations here can name together.",
        )
        closed = s.close_vote(chair, m, vote.number)
        assert closed.result is not None and closed.result.outcome is ck.Outcome.REJECTED
        assert closed.result.objectors == ("azerbaijan-children-union",)
        self.log(f"amendment {a1.number}: {closed.result.reason}")

        a2 = s.propose_amendment(
            self.who["ekesa"],
            m,
            kind="replace",
            article="art-1",
            texts={"en": published_words("art-1", "en", self.text_of("art-1", "en"))},
            rationale="Revised after the objection: without “war”.",
        )
        vote = s.open_vote(chair, m, amendment=a2.number, rule="consensus")
        voters = [o for o in self.loaded.meeting.organisations if not o.observer]
        self.ballots(vote.number, {self.first_delegate(o).id: "yes" for o in voters[:19]})
        closed = s.close_vote(chair, m, vote.number)
        assert closed.result is not None and closed.result.outcome is ck.Outcome.ADOPTED
        self.log(f"amendment {a2.number}: adopted ({closed.result.reason})")

        stale = s.stale_translations(self.secretariat, m)
        assert [(t.article, t.lang) for t in stale] == [("art-1", "zh")]
        # the published Chinese article 1 does not list the challenges: the secretariat checks
        # it against the new English and confirms on purpose that it still matches
        v = s.confirm_translations(
            self.secretariat,
            m,
            [("art-1", "zh")],
            note="Chinese article 1 checked against the new English text",
        )
        assert s.stale_translations(self.secretariat, m) == []
        self.log(f"version {v.number}: Chinese article 1 confirmed")

    def article_3_vote(self) -> int:
        """A withdrawn amendment; then a majority vote opens on article 3."""
        s, m, chair = self.service, self.meeting, self.chair
        art2 = self.text_of("art-2", "en")
        a3 = s.propose_amendment(
            self.who["hazizaj"],
            m,
            kind="replace",
            article="art-2",
            texts={"en": art2.replace("especially especially", "especially")},
            rationale="A doubled word.",
        )
        s.post_comment(
            self.secretariat,
            m,
            target="amendment",
            target_id=str(a3.number),
            body="The Chinese text is not affected.",
        )
        s.withdraw_amendment(self.who["hazizaj"], m, a3.number)
        a4 = s.propose_amendment(
            self.who["saniel"],
            m,
            kind="replace",
            article="art-3",
            texts={
                "en": published_words("art-3", "en", self.text_of("art-3", "en")),
                "zh": published_words("art-3", "zh", self.text_of("art-3", "zh")),
            },
            rationale="Partnership with business deserves priority.",
        )
        vote = s.open_vote(chair, m, amendment=a4.number, rule="simple_majority")
        s.set_agenda(chair, m, "vote", str(vote.number))
        self.ballots(
            vote.number,
            {
                "saniel": "yes",
                "sheth": "yes",
                "ekesa": "yes",
                "kalyan-eng": "yes",
                "leera-kim": "no",
                "osman": "abstain",
                "busgopaul": "yes",
            },
        )
        return vote.number

    def article_3_close(self, vote: int) -> None:
        """The rest of the room votes; the chair closes; article 3 changes in both languages."""
        cast = {b.organisation for b in self.service.vote(self.chair, self.meeting, vote).ballots}
        rest = [o for o in self.loaded.meeting.organisations[:14] if o.id not in cast]
        self.ballots(vote, {self.first_delegate(o).id: "yes" for o in rest})
        closed = self.service.close_vote(self.chair, self.meeting, vote)
        assert closed.result is not None and closed.result.outcome is ck.Outcome.ADOPTED
        self.log(f"vote {vote}: adopted ({closed.result.reason})")

    def article_4(self) -> None:
        """A Chinese-only amendment adopted on the chair's call for consensus."""
        s, m = self.service, self.meeting
        a5 = s.propose_amendment(
            self.who["baljinnyam"],
            m,
            kind="replace",
            article="art-4",
            texts={"zh": published_words("art-4", "zh", self.text_of("art-4", "zh"))},
            rationale="与英文文本一致：“dynamic”。",
        )
        call = s.call_for_consensus(self.chair, m, a5.number, window=dt.timedelta(minutes=2))
        self.clock.jump(self.clock.now + dt.timedelta(minutes=3))
        declared = s.declare_consensus(self.chair, m, call.number)
        assert declared.result is not None and declared.result.outcome is ck.Outcome.ADOPTED
        self.log(f"amendment {a5.number}: adopted by consensus")

    def check_published(self) -> ck.Version:
        """The session ends at exactly the published English and Chinese texts."""
        final = self.service.version(self.chair, self.meeting)
        ours, theirs = final.declaration, self.published.declaration
        assert (ours.title, ours.subtitle, ours.preamble) == (
            theirs.title,
            theirs.subtitle,
            theirs.preamble,
        )
        for mine, published in zip(ours.articles, theirs.articles, strict=True):
            assert mine.text == published.text, mine.id
        assert self.service.stale_translations(self.chair, self.meeting) == []
        return final

    def freeze(self, final: ck.Version) -> ck.Version:
        """23 March: the chair freezes the final text."""
        self.clock.jump(dt.datetime(2018, 3, 23, 10, 0, tzinfo=BEIJING))
        frozen = self.service.freeze_version(self.chair, self.meeting, final.number)
        self.log(f"version {frozen.number} frozen: {frozen.content_hash[:12]}")
        return frozen

    def sign(self, frozen: ck.Version) -> None:
        """All 20 organisations endorse; the chair closes signing; lint and verify."""
        s, m = self.service, self.meeting
        s.set_agenda(self.chair, m, "signing", str(frozen.number))
        for delegate in self.loaded.meeting.delegates:
            if ck.Role.SIGNATORY in delegate.roles:
                s.endorse(delegate, m, frozen.number)
        count = s.close_signing(self.chair, m, frozen.number)
        assert count == 20, count
        self.log(f"{count} organisations endorsed version {frozen.number}")
        for finding in s.lint(self.chair, m):
            self.log(f"lint: {finding}")
        report = ck.verify_store(s.store, ck.CONSOLE)
        assert report.ok, report.findings
        self.log(f"verify: {report.events} events, {report.versions} versions, all intact")


def replay(
    db: str, out: Path | None = None, *, until: str = "end", log: Callable[[str], None] = print
) -> ck.MeetingService:
    """Run the session into ``db`` up to checkpoint ``until``; export to ``out`` at the end."""
    if until not in CHECKPOINTS:
        raise ValueError(f"until must be one of {CHECKPOINTS}")
    session = Session(db, log)
    if until == "draft":
        return session.service
    session.article_1()
    vote = session.article_3_vote()
    if until == "vote-open":
        log(f"vote {vote} is open: the room is live")
        return session.service
    session.article_3_close(vote)
    session.article_4()
    frozen = session.freeze(session.check_published())
    if until == "frozen":
        return session.service
    session.sign(frozen)
    if out is not None:
        export_all(session.service, session.meeting, frozen.number, out, log)
    return session.service


def export_all(
    service: ck.MeetingService,
    meeting: ck.MeetingId,
    version: int,
    out: Path,
    log: Callable[[str], None],
) -> list[Path]:
    """Every export format of the final text into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for exported in service.export_all(ck.CONSOLE, meeting, version):
        path = out / exported.filename
        path.write_bytes(exported.data)
        written.append(path)
    log(f"exported {len(written)} files to {out}: {', '.join(p.name for p in written)}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database URL or SQLite path (must be empty)")
    parser.add_argument("--out", type=Path, help="folder for the exported documents")
    parser.add_argument("--until", choices=CHECKPOINTS, default="end", help="stop at this point")
    args = parser.parse_args(argv)
    try:
        replay(args.db, args.out, until=args.until)
    except ck.ConsensusError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
