"""``/secretariat/organisations``: the secretariat adds, renames and withdraws organisations
and delegates, sets roles, substitutes a head of delegation and re-issues codes.

Thin: every form calls one library door; the library checks the role and the input. A refused
form comes back with the refusal and what was typed (see ``webui/errors.py``). A form carries
the revision of the record it showed: a change by someone else in between is refused.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consensus_kit import Role, record_tag
from webui.deps import MeDep, page, page_me, service_of
from webui.pages._common import N_, Form, act, back, field, flash

__all__ = ["AdministrationPages"]

HERE = "/secretariat/organisations"


def _langs(data: dict[str, Any], prefix: str, languages: Any) -> dict[str, str]:
    """``prefix.LANG`` fields that were filled in (an empty one leaves that language as it is)."""
    found = {lang: field(data, f"{prefix}.{lang}") for lang in languages}
    return {lang: text for lang, text in found.items() if text.strip()}


def _roles(data: dict[str, Any]) -> list[str]:
    value = data.get("roles", [])
    return [str(v) for v in (value if isinstance(value, list) else [value]) if v]


def _expected(data: dict[str, Any]) -> str | None:
    return field(data, "expected") or None


class AdministrationPages(Controller):
    """``/secretariat/organisations`` and its forms."""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    def _page(self, request: Request[Any, Any, Any], me: Any, **context: Any) -> Template:
        meeting = service_of(request.app.state).meeting(me.mid)  # read now: the latest
        return page(
            request,
            me,
            "administration.html",
            meeting=meeting,
            tag=record_tag,
            roles=[r.value for r in Role],
            **context,
        )

    @get(HERE, sync_to_thread=True)
    def desk(self, request: Request[Any, Any, Any], me: MeDep) -> Template:
        """Organisations and delegates with a form for each act."""
        return self._page(request, me)

    @post(HERE, sync_to_thread=True)
    def add_organisation(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Redirect:
        """Add an organisation."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.add_organisation,
            field(data, "id").strip(),
            name=_langs(data, "name", me.meeting.languages),
            country=field(data, "country").strip().upper() or None,
            region=field(data, "region").strip() or None,
            observer=field(data, "observer") == "on",
            country_name=_langs(data, "country_name", me.meeting.languages),
            reason=field(data, "reason"),
        )
        flash(request, N_("The organisation was added."))
        return back(HERE)

    @post(HERE + "/{org_id:str}/rename", sync_to_thread=True)
    def rename_organisation(
        self, request: Request[Any, Any, Any], me: MeDep, org_id: FromPath[str], data: Form
    ) -> Redirect:
        """Rename an organisation or its country."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.rename_organisation,
            org_id,
            name=_langs(data, "name", me.meeting.languages),
            country_name=_langs(data, "country_name", me.meeting.languages),
            reason=field(data, "reason"),
            expected=_expected(data),
        )
        flash(request, N_("The organisation was renamed."))
        return back(HERE)

    @post(HERE + "/{org_id:str}/withdraw", sync_to_thread=True)
    def withdraw_organisation(
        self, request: Request[Any, Any, Any], me: MeDep, org_id: FromPath[str], data: Form
    ) -> Redirect:
        """Withdraw an organisation."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.withdraw_organisation,
            org_id,
            reason=field(data, "reason"),
            expected=_expected(data),
        )
        flash(request, N_("The organisation withdrew; its ballots and signatures stay."))
        return back(HERE)

    @post("/secretariat/delegates", sync_to_thread=True, status_code=200)
    def add_delegate(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Template:
        """Add a delegate; their code is shown on this page, once."""
        service = service_of(request.app.state)
        delegate_id = field(data, "id").strip()
        done = act(
            request,
            me,
            service.add_delegate,
            delegate_id,
            name=field(data, "name"),
            organisation=field(data, "organisation") or None,
            roles=_roles(data),
            title=field(data, "title"),
            reason=field(data, "reason"),
        )
        return self._page(request, me, code=(delegate_id, done.code))

    @post("/secretariat/delegates/{delegate_id:str}/rename", sync_to_thread=True)
    def rename_delegate(
        self, request: Request[Any, Any, Any], me: MeDep, delegate_id: FromPath[str], data: Form
    ) -> Redirect:
        """Rename a delegate."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.rename_delegate,
            delegate_id,
            name=field(data, "name") or None,
            title=field(data, "title") if "title" in data else None,
            reason=field(data, "reason"),
            expected=_expected(data),
        )
        flash(request, N_("The delegate was renamed."))
        return back(HERE)

    @post("/secretariat/delegates/{delegate_id:str}/roles", sync_to_thread=True)
    def roles(
        self, request: Request[Any, Any, Any], me: MeDep, delegate_id: FromPath[str], data: Form
    ) -> Redirect:
        """Set a delegate's roles."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.change_roles,
            delegate_id,
            _roles(data),
            reason=field(data, "reason"),
            expected=_expected(data),
        )
        flash(request, N_("The roles were changed."))
        return back(HERE)

    @post("/secretariat/delegates/{delegate_id:str}/withdraw", sync_to_thread=True)
    def withdraw_delegate(
        self, request: Request[Any, Any, Any], me: MeDep, delegate_id: FromPath[str], data: Form
    ) -> Redirect:
        """Withdraw a delegate."""
        service = service_of(request.app.state)
        act(
            request,
            me,
            service.withdraw_delegate,
            delegate_id,
            reason=field(data, "reason"),
            expected=_expected(data),
        )
        flash(request, N_("The delegate withdrew; their code no longer works."))
        return back(HERE)

    @post(
        "/secretariat/delegates/{delegate_id:str}/substitute", sync_to_thread=True, status_code=200
    )
    def substitute(
        self, request: Request[Any, Any, Any], me: MeDep, delegate_id: FromPath[str], data: Form
    ) -> Template:
        """Substitute a head of delegation; a new successor's code is shown once."""
        service = service_of(request.app.state)
        by = field(data, "by").strip()
        done = act(
            request,
            me,
            service.substitute_delegate,
            delegate_id,
            by=by,
            name=field(data, "name") or None,
            reason=field(data, "reason"),
            expected=_expected(data),
        )
        return self._page(request, me, code=(by, done.code) if done.code else None)

    @post("/secretariat/delegates/{delegate_id:str}/code", sync_to_thread=True, status_code=200)
    def reissue_code(
        self, request: Request[Any, Any, Any], me: MeDep, delegate_id: FromPath[str]
    ) -> Template:
        """A new code for one delegate, shown once."""
        service = service_of(request.app.state)
        code = act(request, me, service.reissue_code, delegate_id)
        return self._page(request, me, code=(delegate_id, code))
