"""The Litestar application: ``create_app(settings)`` wires the service, pages, API and feed.

Nothing is created at import time: ``uvicorn --factory webui.app:create_app`` (or
``consensus-kit serve``) calls :func:`create_app`, which reads the environment when no settings
are given. Mounted under a prefix in another application (``Settings(root_path="/meeting")``,
``docs/embedding.md``), the room still routes paths from its own root; links, static files,
redirects and cookies carry the prefix.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar import Litestar, Request
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders, State
from litestar.exceptions import SerializationException
from litestar.middleware.session.client_side import (
    ClientSideSessionBackend,
    CookieBackendConfig,
)
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import Message, Scope

from consensus_kit import __version__, open_service
from webui import filters
from webui.api import api_router
from webui.bodies import refuse_deep_json
from webui.cards import cards
from webui.errors import exception_handlers
from webui.feed import live_feed
from webui.health import drain_on_signals, health_handlers
from webui.i18n import LANGUAGE_NAMES, Catalogues
from webui.live import Link, LiveHub
from webui.pages import page_handlers
from webui.settings import Settings

__all__ = ["create_app"]

HERE = Path(__file__).parent
MAX_BODY = 256 * 1024
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _secure_cookies(headers: MutableScopeHeaders) -> None:
    """Mark every cookie ``Secure``: the request came over HTTPS (directly, or through a
    proxy uvicorn trusts with ``X-Forwarded-Proto``: ``--forwarded-allow-ips``)."""
    cookies = headers.getall("set-cookie", [])
    if cookies and not all("secure" in c.lower().split("; ") for c in cookies):
        del headers["set-cookie"]
        for cookie in cookies:
            secure = "secure" in cookie.lower().split("; ")
            headers.add("set-cookie", cookie if secure else f"{cookie}; Secure")


class _SessionBackend(ClientSideSessionBackend):
    """Litestar's cookie sessions, except that a damaged cookie is no session rather than a 500.

    Litestar 2.25 catches a bad signature, but not a cookie whose readable expiry part was
    altered: its JSON no longer decodes (seen as an intermittent 500 on a forged cookie)."""

    def load_data(self, data: list[bytes]) -> dict[str, Any]:
        try:
            return super().load_data(data)
        except (SerializationException, KeyError, TypeError, ValueError):
            return {}


class _SessionConfig(CookieBackendConfig):
    _backend_class = _SessionBackend


def _under(root: str, location: str) -> str:
    """A redirect to a path of the room, under the prefix it is mounted at. The room speaks
    paths from its own root (``/votes/3``); only the answer that leaves it carries the prefix,
    as a reverse proxy's ``proxy_redirect`` would."""
    if root and location.startswith("/") and not location.startswith(("//", "/\\")):
        return root + location
    return location


def _answer_headers(root: str) -> Callable[[Message, Scope], Awaitable[None]]:
    """The hook that sets the security headers on every answer (and a redirect's prefix)."""

    async def security_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            if scope.get("scheme") == "https":
                _secure_cookies(headers)
            if root and "location" in headers:
                headers["Location"] = _under(root, headers["location"])
            headers["Content-Security-Policy"] = CSP
            headers["X-Content-Type-Options"] = "nosniff"
            headers["Referrer-Policy"] = "same-origin"
            headers["X-Frame-Options"] = "DENY"

    return security_headers


@pass_context
def _gettext(context: Context, message: str, **values: Any) -> str:
    ui = context.get("ui")
    if ui is None:
        return message % values if values else message
    text: str = ui.gettext(message, **values)
    return text


def _environment(root: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = _gettext
    env.globals["version"] = __version__
    env.globals["language_names"] = LANGUAGE_NAMES
    env.globals["root"] = root  # the mount prefix: every link is "{{ root }}/votes/3"
    filters.install(env)
    env.globals["cards"] = cards
    return env


async def _notify(request: Request[Any, Any, Any]) -> None:
    """After a change committed, wake the meeting's live streams."""
    changed = request.state.get("changed")
    if changed:
        hub: LiveHub = request.app.state.hub
        hub.changed(str(changed))


def _backend(settings: Settings) -> ChannelsBackend:
    if settings.redis:
        from webui.notices import RedisNotices  # noqa: PLC0415 - optional dependency

        return RedisNotices(settings.redis)
    return MemoryChannelsBackend()


def create_app(settings: Settings | None = None) -> Litestar:
    """The web UI over the database in ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    if settings.gc_thresholds:
        # fewer, rarer collections: with 2,000 open live streams a full collection paused the
        # event loop for hundreds of milliseconds (``serve`` sets CK_GC_THRESHOLDS)
        gc.set_threshold(*settings.gc_thresholds)
    # the schema must already be current
    service = open_service(settings.db, migrate=False, login_limits=settings.login_limits)
    backend = _backend(settings)
    channels = ChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=50,
        subscriber_backlog_strategy="dropleft",
    )
    hub = LiveHub(
        service,
        channels,
        poll_interval=settings.poll_interval,
        heartbeat=settings.heartbeat,
        link=backend if isinstance(backend, Link) else None,
    )

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncGenerator[None, None]:
        await hub.start()
        drain_on_signals(hub)  # SIGTERM: live streams reconnect elsewhere before the close
        try:
            yield
        finally:
            await hub.stop()
            service.store.close()

    session = _SessionConfig(
        secret=settings.key("session"),
        key="ck_session",
        max_age=settings.session_max_age,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path=settings.root_path or "/",
        exclude=["/api/", "/static/", "/schema"],
    )
    csrf = CSRFConfig(
        secret=settings.key("csrf").hex(),
        cookie_name="ck_csrf",
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=settings.secure_cookies,
        cookie_path=settings.root_path or "/",
        exclude=["/api/", "/schema"],
    )
    return Litestar(
        route_handlers=[
            *page_handlers,
            live_feed,
            *health_handlers,
            api_router(),
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],
        state=State(
            {"service": service, "settings": settings, "hub": hub, "catalogues": Catalogues()}
        ),
        plugins=[channels],
        lifespan=[lifespan],
        middleware=[session.middleware],
        csrf_config=csrf,
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(_environment(settings.root_path))
        ),
        exception_handlers=exception_handlers,
        before_request=refuse_deep_json,
        after_response=_notify,
        before_send=[_answer_headers(settings.root_path)],
        request_max_body_size=MAX_BODY,
        debug=settings.debug,
        openapi_config=OpenAPIConfig(
            title="consensus-kit API",
            version=__version__,
            path="/schema",
            description="Everything the room's pages do, for scripts and other clients. Log in "
            "with an access code (`POST /api/v1/token`) and send `Authorization: Bearer TOKEN`. "
            'Every refusal answers `{"code", "message", "field"}`.',
            use_handler_docstrings=True,  # each operation's docstring is its description
            render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http", scheme="bearer", description="POST /api/v1/token {code}"
                    )
                }
            ),
        ),
    )
