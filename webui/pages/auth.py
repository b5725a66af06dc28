"""Logging in with an access code, logging out, choosing the interface language."""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from consensus_kit import NotAuthenticated, TooManyAttempts
from webui.deps import client_address, login_of, page, page_me, service_of
from webui.i18n import UI_LANGUAGES
from webui.pages._common import Form, back, field, local

__all__ = ["AuthPages"]


class AuthPages(Controller):
    """``/login``, ``/logout``, ``/ui-lang``."""

    include_in_schema = False

    @get("/login", sync_to_thread=True)
    def login_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Template:
        """The access-code form."""
        try:
            me = page_me(request)
        except NotAuthenticated:
            me = None
        return page(request, me, "login.html", next=local(next), error=None)

    @post("/login", sync_to_thread=True)
    def login(self, request: Request[Any, Any, Any], data: Form) -> Redirect | Template:
        """Check the code with the library; the session then names the meeting and delegate."""
        code = field(data, "code").strip()
        target = local(field(data, "next"))
        try:
            login = service_of(request.app.state).log_in(code, client=client_address(request))
        except TooManyAttempts as exc:
            answer = page(
                request,
                None,
                "login.html",
                status_code=429,
                next=target,
                error=exc.message,
                wait=exc.retry_after,
            )
            answer.headers["Retry-After"] = str(exc.retry_after)
            return answer
        except NotAuthenticated as exc:
            return page(
                request, None, "login.html", status_code=401, next=target, error=exc.message
            )
        ui = request.session.get("ui")
        request.clear_session()
        request.set_session(
            {
                "meeting": login.meeting.id,
                "delegate": login.delegate.id,
                "credential": login.credential,
            }
        )
        if ui in UI_LANGUAGES:
            request.session["ui"] = ui
        return back(target)

    @post("/logout", sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        """End the login on the server (a copy of the cookie stops working, and its live
        streams end), then forget the session."""
        with contextlib.suppress(NotAuthenticated):  # already ended: only forget it
            service_of(request.app.state).log_out(*login_of(request))
        request.clear_session()
        return back("/login")

    @post("/ui-lang")
    async def ui_lang(self, request: Request[Any, Any, Any], data: Form) -> Redirect:
        """Remember the interface language for this browser."""
        lang = field(data, "lang")
        if lang in UI_LANGUAGES:
            request.session["ui"] = lang
        return back(local(field(data, "next")))
