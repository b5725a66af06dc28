"""The one service object users hold: a facade over the rooms of operations.

Each room is one class in its own module that takes the shared :class:`Context` and, in its
constructor, the other rooms it uses; no room inherits another. This facade builds them in
dependency order and opens one door per public method (see :mod:`~consensus_kit.service.doors`).
``docs/architecture.md`` draws the rooms and what each may use.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from consensus_kit.domain.logins import LOGIN_LIMITS, LoginLimits
from consensus_kit.service.access import Access
from consensus_kit.service.administration import Administration
from consensus_kit.service.adoption import Adoption
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.ballots import Ballots
from consensus_kit.service.comments import Comments
from consensus_kit.service.compromise import Compromises
from consensus_kit.service.context import Context, utc_now
from consensus_kit.service.doors import door
from consensus_kit.service.drafting import Drafting
from consensus_kit.service.exports import Exports
from consensus_kit.service.meetings import Meetings
from consensus_kit.service.ports import Store
from consensus_kit.service.procedure import RulesOfProcedure
from consensus_kit.service.signing import Signing
from consensus_kit.service.speakers import Speakers
from consensus_kit.service.translations import Translations
from consensus_kit.service.versions import Versions
from consensus_kit.service.vote_records import VoteRecords
from consensus_kit.service.voting import Voting

__all__ = ["MeetingService"]


class MeetingService:
    """Every operation of consensus-kit over one store.

    >>> service = MeetingService(SqlStore.open("sqlite:///meeting.db"))  # doctest: +SKIP
    >>> service.open_vote(chair, meeting_id, amendment=3)  # doctest: +SKIP
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        choice: Callable[[str], str] = secrets.choice,
        login_limits: LoginLimits = LOGIN_LIMITS,
    ) -> None:
        self.store = store
        ctx = Context(store, clock=clock, choice=choice, login_limits=login_limits)
        access = Access(ctx)
        votes = VoteRecords(ctx)
        amendments = Amendments(ctx, votes)
        versions = Versions(ctx, amendments)
        adoption = Adoption(ctx, amendments)
        drafting = Drafting(ctx, amendments, versions)
        voting = Voting(ctx, amendments, adoption, votes)
        signing = Signing(ctx)
        procedure = RulesOfProcedure(ctx, amendments, votes, voting)
        meetings = Meetings(ctx, access)
        rooms: list[object] = [
            access,
            meetings,
            Administration(ctx, access, meetings),
            versions,
            drafting,
            adoption,
            Compromises(ctx, amendments),
            Translations(ctx, versions, amendments),
            Comments(ctx, amendments),
            voting,
            procedure,
            Ballots(ctx, votes, voting),
            signing,
            Exports(ctx, versions, drafting, signing, voting),
            Speakers(ctx),
        ]
        self._rooms = {type(room).__name__: room for room in rooms}

    # -- meetings, codes, the floor, events (meetings.py) --------------------------------------
    load_meeting = door(Meetings.load_meeting)
    meeting_ids = door(Meetings.meeting_ids)
    meeting = door(Meetings.meeting)
    the_meeting = door(Meetings.the_meeting)
    delegate = door(Meetings.delegate)
    issue_codes = door(Meetings.issue_codes)
    take_pending_codes = door(Meetings.take_pending_codes)
    set_agenda = door(Meetings.set_agenda)
    agenda = door(Meetings.agenda)
    events_after = door(Meetings.events_after)
    check_event_reader = door(Meetings.check_event_reader)

    # -- organisations, delegates and roles after loading (administration.py) ------------------
    add_organisation = door(Administration.add_organisation)
    rename_organisation = door(Administration.rename_organisation)
    withdraw_organisation = door(Administration.withdraw_organisation)
    add_delegate = door(Administration.add_delegate)
    rename_delegate = door(Administration.rename_delegate)
    withdraw_delegate = door(Administration.withdraw_delegate)
    change_roles = door(Administration.change_roles)
    substitute_delegate = door(Administration.substitute_delegate)
    reissue_code = door(Administration.reissue_code)

    # -- logging in (access.py) ----------------------------------------------------------------
    log_in = door(Access.log_in)
    authenticate = door(Access.authenticate)
    resume = door(Access.resume)
    resume_async = door(Access.resume_async)
    recheck_logins = door(Access.recheck_logins)
    log_out = door(Access.log_out)

    # -- versions (versions.py) ----------------------------------------------------------------
    publish_version = door(Versions.publish_version)
    freeze_version = door(Versions.freeze_version)
    version = door(Versions.version)
    versions = door(Versions.versions)
    compare_versions = door(Versions.compare_versions)
    diff_versions = door(Versions.diff_versions)

    # -- amendments (drafting.py, adoption.py) -------------------------------------------------
    propose_amendment = door(Drafting.propose_amendment)
    submit_amendment = door(Drafting.submit_amendment)
    withdraw_amendment = door(Drafting.withdraw_amendment)
    cosponsor_amendment = door(Drafting.cosponsor_amendment)
    current_words = door(Drafting.current_words)
    preview_amendment = door(Drafting.preview_amendment)
    amendment = door(Drafting.amendment)
    amendments = door(Drafting.amendments)
    amendment_count = door(Drafting.amendment_count)
    revise_amendment = door(Adoption.revise_amendment)
    adopt_amendment = door(Adoption.adopt_amendment)
    reject_amendment = door(Adoption.reject_amendment)
    set_aside_amendment = door(Adoption.set_aside_amendment)
    request_update = door(Adoption.request_update)
    merge_preview = door(Compromises.merge_preview)
    propose_compromise = door(Compromises.propose_compromise)

    # -- translations (translations.py) --------------------------------------------------------
    stale_translations = door(Translations.stale_translations)
    update_translations = door(Translations.update_translations)
    confirm_translations = door(Translations.confirm_translations)
    lint = door(Translations.lint)

    # -- comments (comments.py) ----------------------------------------------------------------
    post_comment = door(Comments.post_comment)
    edit_comment = door(Comments.edit_comment)
    withdraw_comment = door(Comments.withdraw_comment)
    comments = door(Comments.comments)

    # -- votes and ballots (voting.py, ballots.py) ---------------------------------------------
    open_vote = door(Voting.open_vote)
    call_for_consensus = door(Voting.call_for_consensus)
    close_vote = door(Voting.close_vote)
    declare_consensus = door(Voting.declare_consensus)
    vote = door(Voting.vote)
    votes = door(Voting.votes)
    put_to_fallback = door(RulesOfProcedure.put_to_fallback)
    reconsider_amendment = door(RulesOfProcedure.reconsider_amendment)
    move_to_reconsider = door(RulesOfProcedure.move_to_reconsider)
    cast_ballot = door(Ballots.cast_ballot)
    cast_ballot_async = door(Ballots.cast_ballot_async)

    # -- the speakers' list (speakers.py) -----------------------------------------------------
    speakers_list = door(Speakers.speakers_list)
    request_floor = door(Speakers.request_floor)
    withdraw_floor_request = door(Speakers.withdraw_floor_request)
    order_speakers = door(Speakers.order_speakers)
    give_floor = door(Speakers.give_floor)
    end_turn = door(Speakers.end_turn)
    close_speakers_list = door(Speakers.close_speakers_list)
    reopen_speakers_list = door(Speakers.reopen_speakers_list)

    # -- signing (signing.py) ------------------------------------------------------------------
    endorse = door(Signing.endorse)
    revoke_endorsement = door(Signing.revoke_endorsement)
    close_signing = door(Signing.close_signing)
    signing_open = door(Signing.signing_open)
    signing_record = door(Signing.signing_record)
    reopen_signing = door(Signing.reopen_signing)
    register_organisation_key = door(Signing.register_organisation_key)
    endorsements = door(Signing.endorsements)
    signatories = door(Signing.signatories)
    meeting_public_key = door(Signing.meeting_public_key)

    # -- exports (exports.py) ------------------------------------------------------------------
    export = door(Exports.export)
    export_all = door(Exports.export_all)
