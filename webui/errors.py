"""One map from errors to HTTP answers: the library's error tree and Litestar's own errors.

``NotFound`` → 404, ``NotAuthenticated`` → 401 (``TooManyAttempts`` → 429 with Retry-After),
``NotPermitted`` → 403, ``InvalidState`` and ``Conflict`` → 409, ``InvalidInput`` → 422 (with
the field), ``Unavailable`` → 503 (the driver's detail — host, port — goes to the log, not to
the client, with Retry-After). The API
answers ``{"code", "message", "field"}``; pages show the message (a page that needs a login
sends the browser to it). Anything else is a bug: a 500 whose traceback goes to the log with a
request id, and the answer (JSON or page) shows that id so a report can be matched to the log.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState

from consensus_kit import (
    Conflict,
    ConsensusError,
    InvalidInput,
    InvalidState,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    TooManyAttempts,
    Unavailable,
)

__all__ = ["ErrorBody", "exception_handlers", "problem_of"]

log = logging.getLogger("consensus_kit.webui")
UNAVAILABLE = "the database is unavailable right now; nothing was changed, try again in a moment"

STATUS: tuple[tuple[type[ConsensusError], int], ...] = (
    (NotFound, 404),
    (TooManyAttempts, 429),
    (NotAuthenticated, 401),
    (NotPermitted, 403),
    (InvalidState, 409),
    (Conflict, 409),
    (InvalidInput, 422),
    (Unavailable, 503),
)


class ErrorBody(msgspec.Struct, frozen=True, kw_only=True):
    """What the API answers for every refused request."""

    code: str
    message: str
    field: str | None = None
    request_id: str | None = None


_FIELD = re.compile(r"field `([^`]+)`|at `\$\.([^`]+)`")


def _body_field(message: str) -> str | None:
    """The field a msgspec message names: ``missing required field `kind```, ``unknown field
    `x```, or ``… - at `$.texts[...]``` (as ``texts``)."""
    found = _FIELD.search(message)
    if found is None:
        return None
    path = found.group(1) or found.group(2)
    return path.replace("[...]", "").split("[")[0] or None


def problem_of(exc: Exception) -> tuple[int, ErrorBody]:
    """The HTTP status and body for ``exc``."""
    if isinstance(exc, Unavailable):
        log.warning("503: %s", exc.message)
        return 503, ErrorBody(code=exc.code, message=UNAVAILABLE)
    if isinstance(exc, ConsensusError):
        status = next((s for cls, s in STATUS if isinstance(exc, cls)), 400)
        field = exc.field if isinstance(exc, InvalidInput | TooManyAttempts) else None
        message = exc.reason if isinstance(exc, InvalidInput) else exc.message
        return status, ErrorBody(code=exc.code, message=message, field=field)
    if isinstance(exc, ValidationException):
        field, message = None, "the request is malformed"
        extra = exc.extra if isinstance(exc.extra, list) else []
        if extra and isinstance(extra[0], dict):
            field = extra[0].get("key") or None
            message = str(extra[0].get("message") or message)
            if field == "data":  # the body: name the field inside it that msgspec refused
                field = _body_field(message) or field
        elif exc.detail:
            message = exc.detail
        return 422, ErrorBody(code="invalid_input", message=message, field=field)
    if isinstance(exc, HTTPException):
        code = {
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            401: "not_authenticated",
            403: "not_permitted",
        }.get(exc.status_code, "error")
        return exc.status_code, ErrorBody(code=code, message=exc.detail)
    return 500, ErrorBody(code="internal", message="internal error")


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    return path.startswith("/api/") or (path == "/live" and "authorization" in request.headers)


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _logged(request: Request[Any, Any, Any], exc: Exception, body: ErrorBody) -> ErrorBody:
    """Log an unexpected error with its traceback; the answer names the request's id (a
    proxy's ``X-Request-ID`` when it is sane, else a new one)."""
    given = request.headers.get("x-request-id", "")
    request_id = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
    log.error(
        "500 on %s %s (request id %s)", request.method, request.url.path, request_id, exc_info=exc
    )
    message = f"{body.message}; request id {request_id} (quote it when you report this)"
    return ErrorBody(code=body.code, message=message, request_id=request_id)


KEEP_LIMIT = 3000
"""Characters of a refused form kept for the next page (the session lives in a cookie)."""


def _same_site_referer(request: Request[Any, Any, Any]) -> str | None:
    """The path (and query) of the page that sent this request, if it is one of ours."""
    parts = urlsplit(request.headers.get("referer", ""))
    if not parts.path.startswith("/") or parts.netloc != request.headers.get("host", ""):
        return None
    root: str = request.app.state.settings.root_path  # the browser saw the prefix; we route without
    path = parts.path.removeprefix(root) if root else parts.path
    if not path.startswith("/") or (root and path == parts.path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _sent_form(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The text fields of the form that was refused, to give them back (not tokens or keys)."""
    form = ScopeState.from_scope(request.scope).form
    kept: dict[str, str] = {}
    if isinstance(form, dict):
        for name, value in form.items():
            text = value[-1] if isinstance(value, list) and value else value
            if isinstance(text, str) and name not in ("_csrf_token", "key", "next"):
                kept[name] = text
    total = 0
    for name in list(kept):
        total += len(kept[name])
        if total > KEEP_LIMIT:
            del kept[name]
    return kept


def _back_to_the_form(
    request: Request[Any, Any, Any], status: int, body: ErrorBody
) -> Response[Any] | None:
    """A refused form goes back to the page it came from, with the refusal shown there and
    what the person typed still in its fields (a page POST, not htmx or the API)."""
    origin = _same_site_referer(request)
    if request.method != "POST" or "hx-request" in request.headers or origin is None:
        return None
    if status not in (403, 404, 409, 422, 429):
        return None
    request.session["flash"] = {
        "kind": "error",
        "status": status,
        "field": body.field,
        "message": body.message,
    }
    request.session["kept"] = _sent_form(request)
    return Redirect(path=origin, status_code=303)


def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Answer an error as JSON (API) or as a page."""
    status, body = problem_of(exc)
    if status >= 500 and not isinstance(exc, Unavailable):
        body = _logged(request, exc, body)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
    if isinstance(exc, Unavailable):
        headers = {"Retry-After": "2"}
    if _wants_json(request):
        return Response(
            content=body, status_code=status, media_type=MediaType.JSON, headers=headers
        )
    if status == 401 and request.method == "GET" and "hx-request" not in request.headers:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=f"/login?next={quote(target, safe='')}")
    from webui.deps import page_me, ui_of  # noqa: PLC0415 - keeps errors free of cycles

    if status == 401 and request.method == "POST" and "hx-request" not in request.headers:
        # the session ended mid-task: the login form, then back to the page it happened on
        return Template(
            template_name="login.html",
            status_code=401,
            context={
                "me": None,
                "ui": ui_of(request),
                "flash": None,
                "next": _same_site_referer(request) or "/",
                "error": None,
                "expired": True,
            },
        )
    answer = _back_to_the_form(request, status, body)
    if answer is not None:
        return answer

    me = None
    if status != 401:
        try:
            me = page_me(request)
        except Exception:
            me = None
    ui = ui_of(request, me.meeting if me else None)
    template = "_error.html" if "hx-request" in request.headers else "error.html"
    return Template(
        template_name=template,
        status_code=status,
        context={"me": me, "ui": ui, "status": status, "error": body, "flash": None},
    )


exception_handlers: dict[type[Exception] | int, Any] = {
    Exception: handle,
    ConsensusError: handle,
    ValidationException: handle,
    NotFoundException: handle,
    HTTPException: handle,
}
