"""What the OpenAPI schema says about every operation beyond its types: the error answers, each
with an example body, and the parameters' meanings and allowed values.

Every operation under ``/api/v1`` takes ``summary=`` and ``responses=errors(...)`` in its
decorator and describes itself in its docstring (the schema's description);
``tests/web/test_openapi_complete.py`` fails on an operation without them.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import PathParameter, QueryParameter

from consensus_kit import ExportFormat
from webui.errors import ErrorBody

__all__ = [
    "ACTIONS",
    "READ",
    "WRITE",
    "AfterQuery",
    "AmendmentAction",
    "AmendmentNo",
    "ArticleQuery",
    "CommentNo",
    "CommentTargetQuery",
    "Format",
    "LangQuery",
    "LangsQuery",
    "LimitQuery",
    "OpenOnly",
    "TargetIdQuery",
    "VersionNo",
    "VersionQuery",
    "VoteNo",
    "errors",
]

MAX_NUMBER = 2**31 - 1

_ERRORS: dict[int, tuple[str, ErrorBody]] = {
    400: (
        "The request could not be read (malformed JSON, a bad header).",
        ErrorBody(code="error", message="Malformed JSON body"),
    ),
    401: (
        "No valid bearer token: log in with `POST /api/v1/token`.",
        ErrorBody(code="not_authenticated", message="log in first: no valid token"),
    ),
    403: (
        "The delegate's role does not allow this (e.g. only the chair opens votes).",
        ErrorBody(code="not_permitted", message="delegate 'ekesa' may not open_vote"),
    ),
    404: (
        "What the path names does not exist in this meeting.",
        ErrorBody(code="not_found", message="amendment 42 not found"),
    ),
    409: (
        "The meeting's state refuses it now (a closed vote, a frozen version, a stale "
        "translation, a text changed meanwhile).",
        ErrorBody(code="invalid_state", message="vote 3 is closed"),
    ),
    413: (
        "The body is larger than 256 KiB.",
        ErrorBody(code="too_large", message="Request Entity Too Large"),
    ),
    422: (
        "A field or parameter is invalid; `field` names it.",
        ErrorBody(code="invalid_input", message="unknown language 'xx'", field="lang"),
    ),
    429: (
        "Too many login attempts; `Retry-After` says when to try again.",
        ErrorBody(
            code="too_many_attempts", message="too many attempts; try again later", field="code"
        ),
    ),
    503: (
        "The database is unavailable; nothing was changed. `Retry-After: 2`.",
        ErrorBody(
            code="unavailable",
            message="the database is unavailable right now; nothing was changed, "
            "try again in a moment",
        ),
    ),
}

READ = (400, 401, 404, 422, 503)
"""The errors a read can answer."""
WRITE = (400, 401, 403, 404, 409, 413, 422, 503)
"""The errors a change can answer."""


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """The documented error answers with these statuses, each with an example body."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody,
            description=_ERRORS[status][0],
            examples=[
                Example(
                    summary=_ERRORS[status][1].code,
                    value=msgspec.to_builtins(_ERRORS[status][1]),
                )
            ],
        )
        for status in statuses
    }


ACTIONS = ("submit", "withdraw", "cosponsor", "reject")
"""The actions of ``POST /api/v1/amendments/{number}/{action}``."""

AmendmentNo = Annotated[
    int, PathParameter(ge=0, le=MAX_NUMBER, description="The amendment's number in the meeting.")
]
VersionNo = Annotated[
    int, PathParameter(ge=0, le=MAX_NUMBER, description="A version's number (1 is the draft).")
]
VoteNo = Annotated[
    int, PathParameter(ge=0, le=MAX_NUMBER, description="The vote's number in the meeting.")
]
CommentNo = Annotated[
    int, PathParameter(ge=0, le=MAX_NUMBER, description="The comment's number in the meeting.")
]
AmendmentAction = Annotated[
    str,
    PathParameter(
        description="`submit` a draft, `withdraw` it (its sponsor), `cosponsor` it (another "
        "organisation) or `reject` it (the chair). Adopting is `/adopt`.",
        schema_extra={"enum": list(ACTIONS)},
    ),
]
Format = Annotated[
    str,
    PathParameter(
        description="The export format: `docx` (one language), `parallel-docx` (two to six, "
        "side by side, a column each), `bilingual-docx` (two, side by side), `redline-docx` "
        "(tracked changes against `from_version`), `md`, `json`, `akn` (Akoma Ntoso 3.0 XML, "
        "one language), `pdf` (one language, numbered lines), `bilingual-pdf` (two, side by "
        "side), `parallel-pdf` (two to six, side by side, a column each), `votes-pdf` (the "
        "record of votes). The PDFs need WeasyPrint on the server "
        "(`consensus-kit[pdf]`): without it they answer 503.",
        schema_extra={"enum": [f.value for f in ExportFormat]},
    ),
]
_LANG = {"pattern": "^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$", "examples": ["en", "zh"]}
LangQuery = Annotated[
    str,
    QueryParameter(
        description="A language of the meeting (its BCP 47 code, as in the meeting file's "
        "`languages`; `GET /api/v1/meeting` lists them).",
        schema_extra=_LANG,
    ),
]
LangsQuery = Annotated[
    list[str] | None,
    QueryParameter(
        description="Languages of the meeting (repeat: `lang=en&lang=zh`); default: each "
        "language the format takes.",
        schema_extra={
            "oneOf": [{"type": "array", "items": {"type": "string", **_LANG}}, {"type": "null"}]
        },
    ),
]
ArticleQuery = Annotated[
    str | None,
    QueryParameter(
        max_length=64, description="Only the amendments to this article (its id, e.g. `art-2`)."
    ),
]
OpenOnly = Annotated[
    bool, QueryParameter(description="`true`: only those still in play (not decided or closed).")
]
CommentTargetQuery = Annotated[
    str,
    QueryParameter(
        description="What the comments are on: an `article` or an `amendment`.",
        schema_extra={"enum": ["article", "amendment"]},
    ),
]
TargetIdQuery = Annotated[
    str,
    QueryParameter(
        max_length=64,
        description="The article's id (`art-2`) or the amendment's number (`3`).",
    ),
]
AfterQuery = Annotated[
    int,
    QueryParameter(
        ge=0,
        le=MAX_NUMBER,
        description="The last event number the client has (0: from the start); a number past "
        "the log's end is refused.",
    ),
]
LimitQuery = Annotated[
    int, QueryParameter(ge=1, le=1000, description="At most this many events (1-1000).")
]
VersionQuery = Annotated[
    int | None,
    QueryParameter(
        ge=0, le=MAX_NUMBER, description="A version's number; default: the latest version."
    ),
]
