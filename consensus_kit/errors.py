"""The one error tree of consensus-kit.

Every error a caller can provoke is a :class:`ConsensusError`; the web UI maps the tree to HTTP
status codes in one place and the CLI prints the message on one line::

    ConsensusError                 anything consensus-kit refuses
     ├── NotFound                  no such meeting, version, delegate…           (404)
     ├── NotAuthenticated          unknown or missing access code               (401)
     │    └── TooManyAttempts      too many login attempts: wait ``retry_after``  (429)
     ├── NotPermitted              the actor's role does not allow the action   (403)
     ├── InvalidState              the action does not fit the current state    (409)
     ├── Conflict                  a concurrent or duplicate change             (409)
     ├── InvalidInput              a value is malformed; names the field        (422)
     │    └── MeetingFileError     a meeting file has one or more problems      (422)
     └── Unavailable               the database cannot be reached               (503)

Errors carry context (``field``, ``actor``) so a message can say what was wrong and where.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "Conflict",
    "ConsensusError",
    "InvalidInput",
    "InvalidState",
    "MeetingFileError",
    "NotAuthenticated",
    "NotFound",
    "NotPermitted",
    "Problem",
    "TooManyAttempts",
    "Unavailable",
]


class ConsensusError(Exception):
    """Base of every error consensus-kit raises on purpose."""

    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ConsensusError):
    """A meeting, version, delegate or other object does not exist."""

    code = "not_found"


class NotAuthenticated(ConsensusError):
    """No valid access code or token was given."""

    code = "not_authenticated"


class TooManyAttempts(NotAuthenticated):
    """Too many login attempts from one address or with one code; ``retry_after`` seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, field: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.field = field


class NotPermitted(ConsensusError):
    """The actor's roles do not allow the action."""

    code = "not_permitted"

    def __init__(self, message: str, *, actor: str | None = None, action: str | None = None):
        super().__init__(message)
        self.actor = actor
        self.action = action


class InvalidState(ConsensusError):
    """The action does not fit the object's current state (e.g. changing a frozen version)."""

    code = "invalid_state"


class Conflict(ConsensusError):
    """A concurrent or duplicate change was refused."""

    code = "conflict"


class InvalidInput(ConsensusError):
    """A value is malformed, out of range or not allowed; ``field`` names where."""

    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class Problem:
    """One problem found in a meeting file: where (key path) and what was expected."""

    __slots__ = ("message", "path", "severity")

    def __init__(self, path: str, message: str, severity: str = "error") -> None:
        self.path = path
        self.message = message
        self.severity = severity

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r}, {self.severity!r})"


class MeetingFileError(InvalidInput):
    """A meeting file could not be loaded; ``problems`` lists every error found."""

    code = "invalid_meeting_file"

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = [f"{source}: {p}" for p in self.problems]
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the meeting file"
        ConsensusError.__init__(self, "\n".join([head, *lines]))
        self.field = self.problems[0].path if self.problems else None
        self.reason = self.message


class Unavailable(ConsensusError):
    """The database (or another service we depend on) cannot be reached right now."""

    code = "unavailable"
