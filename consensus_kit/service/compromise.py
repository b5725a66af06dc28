"""The compromise room: merge several open amendments to one article into a compromise text.

The chair or the secretariat reads the merge (:meth:`Compromises.merge_preview`): each
amendment's change, the words with every change that applies with certainty, and the conflicts.
They edit the words, resolve each conflict by name, and put the text to the floor as a new
amendment (:meth:`Compromises.propose_compromise`) that names the amendments it merges. Those
wait "in compromise" until it is decided: adopted, they are merged into it; otherwise they are
reopened (see ``Amendments._settle_merged``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from consensus_kit.domain.amendments import Amendment, AmendmentStatus, target_texts
from consensus_kit.domain.compromise import MergeOutcome, check_mergeable, merge_amendments
from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.events import AmendmentProposed
from consensus_kit.domain.events_floor import CompromiseProposed
from consensus_kit.domain.ids import DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.model import Meeting, VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, InvalidState
from consensus_kit.service.amendments import Amendments, AmendmentView
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["Compromises", "MergePreview"]


class MergePreview(msgspec.Struct, frozen=True, kw_only=True):
    """What the merge view shows: each amendment with its diffs, and the merge."""

    version: int
    amendments: list[AmendmentView]
    merge: MergeOutcome
    diffs: dict[Lang, list[DiffOp]]
    """Per language, the current words → the merged words."""


class Compromises:
    """Merging amendments into a compromise text; their fate follows it through
    ``amendments`` (the shared status changes)."""

    def __init__(self, ctx: Context, amendments: Amendments) -> None:
        self._ctx = ctx
        self._amendments = amendments

    def merge_preview(
        self, actor: Principal, meeting_id: MeetingId, numbers: Sequence[int]
    ) -> MergePreview:
        """The merge of amendments ``numbers`` onto the latest words (the chair or the
        secretariat): non-conflicting changes applied, conflicts listed. Changes nothing.

        >>> service.merge_preview(chair, mid, [3, 5]).merge.conflicts  # doctest: +SKIP
        []
        """
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.MERGE_AMENDMENTS)
            found, merge, version = self._merge(uow.repo, meeting, numbers)
        views = [self._amendments.view(meeting, a) for a in found]
        diffs = {
            lang: diff_texts(merge.base_texts.get(lang, ""), text, lang=lang)
            for lang, text in merge.texts.items()
            if text != merge.base_texts.get(lang)
        }
        return MergePreview(version=version, amendments=views, merge=merge, diffs=diffs)

    def propose_compromise(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        merges: Sequence[int],
        *,
        texts: dict[str, str],
        resolved: Iterable[str] = (),
        rationale: str = "",
    ) -> Amendment:
        """Put a compromise text to the floor (the chair or the secretariat): a new amendment
        with ``texts`` (language → words, as edited in the merge view) that merges ``merges``.

        Every conflict of the merge must be named in ``resolved`` (``"5:en"``: amendment 5 in
        English), saying a person settled it in these words; otherwise nothing is changed. The
        sponsors of the merged amendments sponsor the compromise.
        """
        rationale = check_text(rationale, field="rationale", limit=LIMITS["note"], required=False)
        settled = {str(k) for k in resolved}
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.MERGE_AMENDMENTS)
            found, merge, version = self._merge(repo, meeting, merges)
            keys = {c.key for c in merge.conflicts}
            open_ = [c for c in merge.conflicts if c.key not in settled]
            if open_:
                listed = "; ".join(f"amendment {c.number} ({c.lang}) {c.reason}" for c in open_)
                raise InvalidInput(f"resolve each conflict first: {listed}", field="resolved")
            if settled - keys:
                raise InvalidInput(
                    f"no such conflict in this merge: {', '.join(sorted(settled - keys))}",
                    field="resolved",
                )
            checked = self._amendments.check_texts(meeting, merge.kind, texts)
            words = {k: v for k, v in checked.items() if v != merge.base_texts.get(k)}
            if not words:
                raise InvalidInput("the compromise text changes nothing", field="texts")
            sponsors = list(dict.fromkeys(a.sponsor for a in sorted(found, key=_number)))
            cosponsors = dict.fromkeys([*sponsors[1:], *(o for a in found for o in a.cosponsors)])
            cosponsors.pop(sponsors[0], None)
            compromise = Amendment(
                meeting=meeting_id,
                number=repo.next_amendment_number(meeting_id),
                kind=merge.kind,
                base_version=version,
                sponsor=sponsors[0],
                proposed_by=DelegateId(actor.id),
                created_at=now,
                article=merge.article,
                texts=words,
                base_texts=merge.base_texts,
                cosponsors=tuple(OrgId(o) for o in cosponsors),
                rationale=rationale,
                merges=tuple(sorted(a.number for a in found)),
            )
            repo.add_amendment(compromise)
            self._record(repo, actor, compromise, sorted(settled))
            for amendment in found:
                self._amendments.set_status(
                    repo,
                    amendment,
                    AmendmentStatus.IN_COMPROMISE,
                    actor,
                    now,
                    f"merged into compromise text {compromise.number}",
                    merged_into=compromise.number,
                )
            uow.commit()
        return compromise

    def _merge(
        self, repo: Repository, meeting: Meeting, numbers: Sequence[int]
    ) -> tuple[list[Amendment], MergeOutcome, int]:
        if isinstance(numbers, (str, bytes)) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in numbers
        ):
            raise InvalidInput("amendment numbers, e.g. [3, 5]", field="amendments")
        found = [self._amendments.get(repo, meeting.id, n) for n in numbers]
        kind, article = check_mergeable(found)
        latest = self._ctx.latest(repo, meeting.id)
        if latest.state is VersionState.FROZEN:
            raise InvalidState(f"version {latest.number} is frozen: no more amendments")
        current = target_texts(latest.declaration, kind, article)
        if article is not None and latest.declaration.article(article) is None:
            raise InvalidState(f"article {article} no longer exists")
        return found, merge_amendments(current, found), latest.number

    def _record(
        self, repo: Repository, actor: Principal, compromise: Amendment, resolved: list[str]
    ) -> None:
        at = compromise.created_at
        self._ctx.append(
            repo,
            compromise.meeting,
            actor,
            at,
            AmendmentProposed(
                number=compromise.number,
                kind=compromise.kind.value,
                base_version=compromise.base_version,
                sponsor=compromise.sponsor,
                status=compromise.status.value,
                article=compromise.article,
                texts={str(k): v for k, v in compromise.texts.items()},
                rationale=compromise.rationale,
            ),
        )
        self._ctx.append(
            repo,
            compromise.meeting,
            actor,
            at,
            CompromiseProposed(
                number=compromise.number,
                merges=list(compromise.merges),
                resolved=resolved,
                cosponsors=list(compromise.cosponsors),
            ),
        )


def _number(amendment: Amendment) -> int:
    return amendment.number
