"""What the page controllers share: acting through the service, flashing, redirecting back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from litestar import Request
from litestar.params import URLEncodedBody
from litestar.response import Redirect

from consensus_kit import InvalidInput
from webui.deps import Me

__all__ = ["N_", "Form", "act", "back", "field", "flash", "local", "number"]

T = TypeVar("T")


def act(
    request: Request[Any, Any, Any],
    me: Me,
    operation: Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> T:
    """Call ``operation(actor, meeting, *args)``; once it committed, the live feed is told."""
    result = operation(me.delegate, me.mid, *args, **kwargs)
    request.state.changed = me.mid
    return result


def flash(request: Request[Any, Any, Any], message: str, kind: str = "ok") -> None:
    """A message shown once on the next page."""
    request.session["flash"] = {"kind": kind, "message": message}


def local(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


def back(target: str) -> Redirect:
    """See other: after a POST, the browser loads ``target`` with GET."""
    return Redirect(path=target, status_code=303)


Form = URLEncodedBody[dict[str, Any]]
"""A URL-encoded form; repeated names give lists."""


def field(data: dict[str, Any], name: str, default: str = "") -> str:
    """One form field as text (the last value when repeated)."""
    value = data.get(name, default)
    if isinstance(value, list):
        value = value[-1] if value else default
    return str(value)


def number(data: dict[str, Any], name: str) -> int | None:
    """A form field as a whole number, ``None`` when empty; the library checks the rest."""
    text = field(data, name).strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput("expected a whole number", field=name)
    return int(text)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message
