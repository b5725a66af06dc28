"""Who may do what: one table from actions to the roles that allow them.

Every service operation calls :func:`authorize` before it changes or reveals anything, so the
CLI and the Python API are as safe as the web UI. The *console* is the person at the terminal
with the database in hand (the CLI): it holds the secretariat's administrative rights and never
acts for an organisation — it cannot vote, sign or chair.
"""

from __future__ import annotations

import enum

import msgspec

from consensus_kit.domain.model import Delegate, Role
from consensus_kit.errors import NotPermitted

__all__ = [
    "CONSOLE",
    "POLICY",
    "Action",
    "Console",
    "Principal",
    "allows",
    "authorize",
    "principal_id",
]


class Console(msgspec.Struct, frozen=True):
    """The operator at the command line, who holds the database itself."""

    id: str = "console"


CONSOLE = Console()
"""The person at the terminal as an actor: the secretariat's rights, never a vote or a
signature (``service.load_meeting(meeting_file, actor=CONSOLE)``)."""

Principal = Delegate | Console
"""Whoever performs an operation: a delegate (web UI, API) or the console (CLI)."""


class Action(enum.StrEnum):
    """Every operation a principal can attempt."""

    READ = "read"
    READ_EVENTS = "read_events"
    PUBLISH_VERSION = "publish_version"
    FREEZE_VERSION = "freeze_version"
    ISSUE_CODES = "issue_codes"
    VERIFY = "verify"
    PROPOSE_AMENDMENT = "propose_amendment"
    REVISE_AMENDMENT = "revise_amendment"
    WITHDRAW_AMENDMENT = "withdraw_amendment"
    COSPONSOR_AMENDMENT = "cosponsor_amendment"
    ADOPT_AMENDMENT = "adopt_amendment"
    REJECT_AMENDMENT = "reject_amendment"
    SET_ASIDE_AMENDMENT = "set_aside_amendment"
    REQUEST_UPDATE = "request_update"
    RECONSIDER_AMENDMENT = "reconsider_amendment"
    COMMENT = "comment"
    UPDATE_TRANSLATION = "update_translation"
    CONFIRM_TRANSLATION = "confirm_translation"
    OPEN_VOTE = "open_vote"
    CLOSE_VOTE = "close_vote"
    CAST_BALLOT = "cast_ballot"
    ENDORSE = "endorse"
    CLOSE_SIGNING = "close_signing"
    REGISTER_KEY = "register_key"
    SET_AGENDA = "set_agenda"
    MERGE_AMENDMENTS = "merge_amendments"
    REQUEST_FLOOR = "request_floor"
    RUN_SPEAKERS_LIST = "run_speakers_list"
    ADMINISTER = "administer"


_EVERYONE = frozenset(Role)
_ACTING = frozenset({Role.DELEGATE, Role.SIGNATORY})

POLICY: dict[Action, frozenset[Role]] = {
    Action.READ: _EVERYONE,
    Action.READ_EVENTS: _EVERYONE,
    Action.VERIFY: _EVERYONE,
    Action.PUBLISH_VERSION: frozenset({Role.CHAIR, Role.SECRETARIAT}),
    Action.FREEZE_VERSION: frozenset({Role.CHAIR}),
    Action.ISSUE_CODES: frozenset({Role.SECRETARIAT}),
    # organisations propose and sponsor; the service checks it is the actor's own organisation
    Action.PROPOSE_AMENDMENT: _ACTING,
    Action.WITHDRAW_AMENDMENT: _ACTING,
    Action.COSPONSOR_AMENDMENT: _ACTING,
    # the sponsor revises its text; the secretariat may add a missing translation
    Action.REVISE_AMENDMENT: _ACTING | {Role.SECRETARIAT},
    Action.ADOPT_AMENDMENT: frozenset({Role.CHAIR}),
    Action.REJECT_AMENDMENT: frozenset({Role.CHAIR}),
    Action.SET_ASIDE_AMENDMENT: frozenset({Role.CHAIR}),
    Action.REQUEST_UPDATE: frozenset({Role.CHAIR}),
    Action.RECONSIDER_AMENDMENT: frozenset({Role.CHAIR}),
    Action.COMMENT: _EVERYONE,
    Action.UPDATE_TRANSLATION: frozenset({Role.SECRETARIAT}),
    Action.CONFIRM_TRANSLATION: frozenset({Role.SECRETARIAT}),
    Action.OPEN_VOTE: frozenset({Role.CHAIR}),
    Action.CLOSE_VOTE: frozenset({Role.CHAIR}),
    # a ballot and a signature are always for the actor's own organisation (checked in service)
    Action.CAST_BALLOT: _ACTING,
    Action.ENDORSE: frozenset({Role.SIGNATORY}),
    Action.CLOSE_SIGNING: frozenset({Role.CHAIR}),
    Action.REGISTER_KEY: frozenset({Role.SIGNATORY, Role.SECRETARIAT}),
    Action.SET_AGENDA: frozenset({Role.CHAIR}),
    # a compromise text is put together by the chair or the secretariat
    Action.MERGE_AMENDMENTS: frozenset({Role.CHAIR, Role.SECRETARIAT}),
    # the floor is asked for the actor's own organisation; observers are refused (in service)
    Action.REQUEST_FLOOR: _ACTING,
    Action.RUN_SPEAKERS_LIST: frozenset({Role.CHAIR}),
    # organisations, delegates and roles after loading (and the console, as the secretariat)
    Action.ADMINISTER: frozenset({Role.SECRETARIAT}),
}
"""The roles that allow each action. A test keeps it complete."""

CONSOLE_ACTIONS: frozenset[Action] = frozenset(
    action for action, roles in POLICY.items() if Role.SECRETARIAT in roles
)
"""The console holds exactly the secretariat's rights."""


def principal_id(actor: Principal) -> str:
    """The id recorded in events for ``actor``."""
    return actor.id


def allows(actor: Principal, action: Action) -> bool:
    """Whether ``actor``'s roles allow ``action`` (for showing controls; :func:`authorize`
    is what enforces it).

    >>> allows(CONSOLE, Action.FREEZE_VERSION)
    False
    """
    if isinstance(actor, Console):
        return action in CONSOLE_ACTIONS
    return bool(actor.roles & POLICY[action])


def authorize(actor: Principal, action: Action) -> None:
    """Raise :class:`NotPermitted` unless ``actor`` may perform ``action``.

    >>> authorize(CONSOLE, Action.ISSUE_CODES)  # the console acts as the secretariat
    """
    if allows(actor, action):
        return
    if isinstance(actor, Console):
        raise NotPermitted(
            f"the console cannot {action.value.replace('_', ' ')}: act as a delegate (--as)",
            actor=actor.id,
            action=action.value,
        )
    needed = " or ".join(sorted(r.value for r in POLICY[action]))
    raise NotPermitted(
        f"{actor.name} ({actor.id}) may not {action.value.replace('_', ' ')}: "
        f"needs the role {needed}",
        actor=actor.id,
        action=action.value,
    )
