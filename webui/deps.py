"""Who is asking, in which interface language, and how a page is rendered.

Authentication only: pages know the delegate from the signed session cookie, the API from a
bearer token. What that delegate may do is decided by :mod:`consensus_kit`; :meth:`Me.can` only
hides controls that would be refused anyway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from babel.support import NullTranslations
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Template

from consensus_kit import (
    Action,
    Delegate,
    Meeting,
    MeetingId,
    MeetingService,
    NotAuthenticated,
    Organisation,
    Role,
)
from consensus_kit.domain.permissions import allows
from webui.filters import text_dir
from webui.floor import my_ballots
from webui.i18n import Catalogues, interface_language, reading_language
from webui.settings import Settings
from webui.tokens import read_token

__all__ = [
    "Me",
    "MeDep",
    "Ui",
    "api_me",
    "client_address",
    "live_gap",
    "login_of",
    "page",
    "page_me",
    "service_of",
    "ui_of",
]


class FeedPosition(Protocol):
    """What a request needs of the live hub (:class:`webui.live.LiveHub`, which imports this
    module): the last event it has seen of a meeting, where the page's feed resumes."""

    def known_seq(self, meeting: str) -> int: ...


@dataclass(frozen=True)
class Me:
    """The authenticated delegate, their meeting, and the event number when the request began."""

    meeting: Meeting
    delegate: Delegate
    seq: int = 0

    @property
    def organisation(self) -> Organisation | None:
        """The organisation the delegate acts for, if any."""
        org = self.delegate.organisation
        return self.meeting.organisation(org) if org else None

    @property
    def mid(self) -> MeetingId:
        """The meeting's id."""
        return self.meeting.id

    def can(self, action: str) -> bool:
        """Whether to show a control (display only: the library decides)."""
        return allows(self.delegate, Action(action))

    def is_(self, role: str) -> bool:
        """Whether the delegate holds ``role``."""
        return self.delegate.has(Role(role))


MeDep = NamedDependency[Me]
"""A handler parameter ``me: MeDep`` receives the authenticated delegate."""


@dataclass(frozen=True)
class Ui:
    """The interface language of one request and its translations."""

    lang: str
    translations: NullTranslations = field(repr=False)
    accept_language: str | None = None
    """The browser's ``Accept-Language``, for the default language of the text."""
    chosen: bool = False
    """Whether the person chose the language (``POST /ui-lang``) rather than the browser."""

    def gettext(self, message: str, **values: Any) -> str:
        """``message`` in the interface language, ``%(name)s`` filled from ``values``."""
        text = self.translations.gettext(message)
        return text % values if values else text

    @property
    def dir(self) -> str:
        """``rtl`` for a right-to-left interface (Arabic), else ``ltr``."""
        return text_dir(self.lang)

    @property
    def comma(self) -> str:
        """The separator of a list in running text: ``، `` in Arabic, ``、`` in Chinese."""
        return {"ar": "، ", "zh": "、"}.get(self.lang, ", ")

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag of the interface for ``<html lang>`` (``zh-Hans``: simplified)."""
        return "zh-Hans" if self.lang == "zh" else self.lang

    def reading(self, meeting: Meeting) -> str:
        """The language the text is shown in by default for this person (see
        :func:`webui.i18n.reading_language`)."""
        return reading_language(
            self.lang,
            self.accept_language,
            meeting.languages,
            meeting.negotiating_language,
            chosen=self.chosen,
        )


def service_of(state: State) -> MeetingService:
    """The app's one service."""
    service: MeetingService = state.service
    return service


def ui_of(request: Request[Any, Any, Any], meeting: Meeting | None = None) -> Ui:
    """The interface language: the person's choice, else the browser's Accept-Language when the
    meeting has that language, else the meeting's negotiating language, else English (the rule
    of :func:`webui.i18n.interface_language`)."""
    chosen = request.session.get("ui") if "session" in request.scope else None
    accept = request.headers.get("accept-language")
    lang = interface_language(
        chosen,
        accept,
        meeting.languages if meeting else None,
        meeting.negotiating_language if meeting else None,
    )
    catalogues: Catalogues = request.app.state.catalogues
    return Ui(
        lang=lang,
        translations=catalogues.get(lang),
        accept_language=accept,
        chosen=lang == chosen,
    )


def _me(
    state: State, meeting_id: str, delegate_id: str, credential: str, *, seq: bool = True
) -> Me:
    service = service_of(state)
    hub: FeedPosition = state.hub
    meeting, delegate = service.resume(meeting_id, delegate_id, credential)
    # read before the page's data: the feed resumes here (JSON answers need no feed position)
    last = hub.known_seq(meeting_id) if seq else 0
    return Me(meeting=meeting, delegate=delegate, seq=last)


def client_address(request: Request[Any, Any, Any]) -> str | None:
    """The client's address, as the server saw it (behind a trusted proxy: as it forwarded)."""
    return request.client.host if request.client else None


def _session(request: Request[Any, Any, Any]) -> tuple[str, str, str]:
    """(meeting, delegate, credential) of the session cookie; :class:`NotAuthenticated`."""
    if "session" not in request.scope:  # the JSON API has no sessions
        raise NotAuthenticated("send 'Authorization: Bearer <token>' (POST /api/v1/token)")
    session = request.session
    mid, did = session.get("meeting"), session.get("delegate")
    credential = session.get("credential")
    if not isinstance(mid, str) or not isinstance(did, str) or not isinstance(credential, str):
        raise NotAuthenticated("log in with your access code")
    return mid, did, credential


def page_me(request: Request[Any, Any, Any]) -> Me:
    """The delegate logged in with the session cookie; :class:`NotAuthenticated` if none."""
    return _me(request.app.state, *_session(request))


def login_of(request: Request[Any, Any, Any]) -> tuple[str, str, str]:
    """(meeting, delegate, credential) of the bearer token if one is sent, else of the session
    cookie (not yet checked: :meth:`consensus_kit.MeetingService.resume` does)."""
    if request.headers.get("authorization"):
        return _token(request)
    return _session(request)


def _token(request: Request[Any, Any, Any]) -> tuple[str, str, str]:
    """(meeting, delegate, credential) of the ``Authorization: Bearer`` token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("send 'Authorization: Bearer <token>' (POST /api/v1/token)")
    settings: Settings = request.app.state.settings
    mid, did, credential, _expires = read_token(settings.key("token"), token.strip(), time.time())
    return mid, did, credential


async def api_me(request: Request[Any, Any, Any]) -> Me:
    """The delegate named by the ``Authorization: Bearer`` token; :class:`NotAuthenticated`.

    In the event loop, without a worker thread: a login checked within the last second is
    trusted, and the logins checked at the same moment share one read of the database (2,000
    delegates voting at once). ``seq`` stays 0: a JSON answer has no live feed to resume."""
    meeting, delegate = await service_of(request.app.state).resume_async(*_token(request))
    return Me(meeting=meeting, delegate=delegate)


def live_gap(request: Request[Any, Any, Any]) -> float:
    """The longest silence of a healthy live feed, in seconds: the heartbeat period plus the
    feed's own re-read period (``webui.live.SAFETY_POLL``) and a second of slack."""
    settings: Settings = request.app.state.settings
    return settings.heartbeat + 6.0


def page(
    request: Request[Any, Any, Any],
    me: Me | None,
    name: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    """Render template ``name`` with what every page needs (who, language, live position)."""
    ui = ui_of(request, me.meeting if me else None)
    flash = request.session.pop("flash", None) if me is not None else None
    if me is not None and "/" not in name:
        context.setdefault("kept", request.session.pop("kept", None) or {})
    if me is not None and "/" not in name and name != "projector.html" and "floor" not in context:
        context["floor"] = my_ballots(request, service_of(request.app.state), me)
        context["speakers_strip"] = service_of(request.app.state).speakers_list(me.delegate, me.mid)
    return Template(
        template_name=name,
        status_code=status_code,
        context={"me": me, "ui": ui, "flash": flash, "live_gap": live_gap(request), **context},
    )
