"""The secretariat's desk: stale translations with an inline editor, the parity report,
exports."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from consensus_kit import (
    ExportFormat,
    InvalidInput,
    Lang,
    badge_url,
    diff_texts,
    export_badges,
    part_texts,
    require_badge_tools,
)
from webui.deps import MeDep, page, page_me, service_of, ui_of
from webui.pages._common import N_, Form, act, back, field, flash

__all__ = ["SecretariatPages"]


class SecretariatPages(Controller):
    """``/secretariat``."""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/secretariat", sync_to_thread=True)
    def desk(
        self, request: Request[Any, Any, Any], me: MeDep, part: FromQuery[str | None] = None
    ) -> Template:
        """Stale translations (with what changed in the negotiating text), lint, exports."""
        service = service_of(request.app.state)
        version = service.version(me.delegate, me.mid)
        negotiating = me.meeting.negotiating_language
        rows = []
        for stale in service.stale_translations(me.delegate, me.mid):
            texts = part_texts(version.declaration, stale.article) or {}
            before = service.version(me.delegate, me.mid, stale.in_step_with).declaration
            old = part_texts(before, stale.article) or {}
            rows.append(
                {
                    "stale": stale,
                    "source": texts.get(negotiating, ""),
                    "changes": diff_texts(
                        old.get(negotiating, ""), texts.get(negotiating, ""), lang=negotiating
                    ),
                    "text": texts.get(stale.lang, ""),
                }
            )
        context: dict[str, Any] = {
            "version": version,
            "rows": rows,
            "findings": service.lint(me.delegate, me.mid),
            "formats": [f.value for f in ExportFormat],
            "versions": service.versions(me.delegate, me.mid),
        }
        name = "parts/secretariat_live.html" if part == "live" else "secretariat.html"
        return page(request, me, name, **context)

    @post("/secretariat/translations", sync_to_thread=True)
    def update(self, request: Request[Any, Any, Any], me: MeDep, data: Form) -> Redirect:
        """Bring the edited translations in step: one new version (the secretariat)."""
        service = service_of(request.app.state)
        current = service.version(me.delegate, me.mid).declaration
        updates: dict[tuple[str, str], str] = {}
        confirmed: list[tuple[str, str]] = []
        for name in data:
            parts = name.split(":")
            if len(parts) == 3 and parts[0] == "c":
                confirmed.append((parts[1], parts[2]))
            if len(parts) == 3 and parts[0] == "t":
                words = field(data, name)
                # a textarea left as it was is no update (and no confirmation: that is "c:")
                if (part_texts(current, parts[1]) or {}).get(Lang(parts[2])) != words:
                    updates[(parts[1], Lang(parts[2]))] = words
        if not updates and not confirmed:
            raise InvalidInput("no translation changed or confirmed", field="updates")
        note = field(data, "note")
        if updates:
            act(request, me, service.update_translations, updates, note=note)
        confirmed = [c for c in confirmed if c not in updates]
        if confirmed:
            act(request, me, service.confirm_translations, confirmed, note=note)
        flash(request, N_("The translations are in step; a new version was published."))
        return back("/secretariat")

    @post("/secretariat/badges", sync_to_thread=True, status_code=200)
    def badges(self, request: Request[Any, Any, Any], me: MeDep) -> Response[bytes]:
        """New codes for every delegate, printed on badges (PDF); the old badges stop working.
        The QR codes open this site's login page, as the request reached it."""
        base = str(request.base_url).rstrip("/") + request.app.state.settings.root_path
        badge_url(base, "check")
        require_badge_tools()  # before any code changes
        service = service_of(request.app.state)
        codes = act(request, me, service.issue_codes)
        ui = ui_of(request, me.meeting).lang
        lang = ui if ui in me.meeting.languages else None
        pdf = export_badges(me.meeting, codes, base, lang=lang)
        return Response(
            content=pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{me.mid}-badges.pdf"',
                "Cache-Control": "no-store",
            },
        )
