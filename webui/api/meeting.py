"""API: tokens, the meeting, the floor, versions, translations, the event log, exports."""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import QueryParameter, RequestBody

from consensus_kit import (
    AgendaItem,
    DeclarationDiff,
    Event,
    LintFinding,
    Meeting,
    StaleTranslation,
    Version,
    VersionSummary,
)
from webui.api.openapi import (
    READ,
    WRITE,
    AfterQuery,
    Format,
    LangQuery,
    LangsQuery,
    LimitQuery,
    VersionNo,
    VersionQuery,
    errors,
)
from webui.api.schemas import (
    AgendaIn,
    CodeIn,
    ConfirmIn,
    MeOut,
    TokenOut,
    TranslationsIn,
)
from webui.deps import MeDep, client_address, login_of, service_of
from webui.pages._common import act
from webui.settings import Settings
from webui.tokens import issue_token

__all__ = ["MeetingApi", "TokenApi"]

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class TokenApi(Controller):
    """``POST /api/v1/token``, ``DELETE /api/v1/token``."""

    @post(
        "/token",
        sync_to_thread=True,
        status_code=200,
        summary="Log in with an access code",
        responses=errors(400, 422, 429, 503),
    )
    def token(self, request: Request[Any, Any, Any], data: RequestBody[CodeIn]) -> TokenOut:
        """Exchange an access code for a bearer token (HMAC-signed, expires)."""
        service = service_of(request.app.state)
        login = service.log_in(data.code.strip(), client=client_address(request))
        settings: Settings = request.app.state.settings
        expires = int(time.time()) + settings.token_max_age
        mid, did = login.meeting.id, login.delegate.id
        return TokenOut(
            token=issue_token(settings.key("token"), mid, did, expires, login.credential),
            token_type="bearer",
            expires_at=dt.datetime.fromtimestamp(expires, dt.UTC),
            meeting=mid,
            delegate=did,
        )

    @delete(
        "/token",
        sync_to_thread=True,
        status_code=204,
        security=BEARER,
        summary="Log out: end this token",
        responses=errors(401, 503),
    )
    def end_token(self, request: Request[Any, Any, Any]) -> None:
        """End the bearer token's login: the token (and any copy) is refused from now on."""
        service_of(request.app.state).log_out(*login_of(request))


class MeetingApi(Controller):
    """The meeting and its versions."""

    security = BEARER

    @get("/me", summary="Who the token acts for", responses=errors(401, 503))
    async def me(self, me: MeDep) -> MeOut:
        """Who the token acts for."""
        return MeOut(
            meeting=me.mid,
            delegate=me.delegate.id,
            name=me.delegate.name,
            organisation=me.delegate.organisation,
            roles=sorted(r.value for r in me.delegate.roles),
        )

    @get("/meeting", summary="The meeting", responses=errors(401, 503))
    async def meeting(self, me: MeDep) -> Meeting:
        """The meeting: title, dates, place, languages, organisations, delegates."""
        return me.meeting

    @get("/agenda", sync_to_thread=True, summary="What is on the floor", responses=errors(*READ))
    def agenda(self, request: Request[Any, Any, Any], me: MeDep) -> AgendaItem:
        """The item on the floor."""
        return service_of(request.app.state).agenda(me.delegate, me.mid)

    @put(
        "/agenda",
        sync_to_thread=True,
        summary="Put an item on the floor (the chair)",
        responses=errors(*WRITE),
    )
    def set_agenda(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[AgendaIn]
    ) -> AgendaItem:
        """Put an item on the floor (the chair)."""
        service = service_of(request.app.state)
        return act(request, me, service.set_agenda, data.kind, data.ref, data.note)

    @get("/versions", sync_to_thread=True, summary="List the versions", responses=errors(*READ))
    def versions(self, request: Request[Any, Any, Any], me: MeDep) -> list[VersionSummary]:
        """Every version, oldest first, without texts."""
        return service_of(request.app.state).versions(me.delegate, me.mid)

    @get(
        "/versions/latest",
        sync_to_thread=True,
        summary="The latest version",
        responses=errors(*READ),
    )
    def latest(self, request: Request[Any, Any, Any], me: MeDep) -> Version:
        """The latest version with all its texts."""
        return service_of(request.app.state).version(me.delegate, me.mid)

    @get(
        "/versions/{number:int}",
        sync_to_thread=True,
        summary="One version",
        responses=errors(*READ),
    )
    def version(self, request: Request[Any, Any, Any], me: MeDep, number: VersionNo) -> Version:
        """One version with all its texts."""
        return service_of(request.app.state).version(me.delegate, me.mid, number)

    @get(
        "/versions/{old:int}/diff/{new:int}",
        sync_to_thread=True,
        summary="Diff two versions in one language",
        responses=errors(*READ),
    )
    def diff(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        old: VersionNo,
        new: VersionNo,
        lang: LangQuery,
    ) -> DeclarationDiff:
        """Word/character diff of two versions in one language."""
        return service_of(request.app.state).diff_versions(me.delegate, me.mid, old, new, lang)

    @post(
        "/versions/{number:int}/freeze",
        sync_to_thread=True,
        status_code=200,
        summary="Freeze a version as the final text (the chair)",
        responses=errors(*WRITE),
    )
    def freeze(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        number: VersionNo,
        override_lint: Annotated[
            str,
            QueryParameter(
                max_length=500,
                description="the chair's reason for freezing although lint finds numbers, "
                "years, percentages or dates that differ between languages (recorded in the "
                "version_frozen event); without it such findings refuse the freeze (409)",
            ),
        ] = "",
    ) -> Version:
        """Freeze the latest version as the final text (the chair). Refused (409) while a vote
        is open, a translation is stale, or lint finds numbers or dates that differ between
        languages and no ``override_lint`` reason is given."""
        service = service_of(request.app.state)
        return act(request, me, service.freeze_version, number, override_lint=override_lint)

    @get("/stale", sync_to_thread=True, summary="Stale translations", responses=errors(*READ))
    def stale(
        self, request: Request[Any, Any, Any], me: MeDep, version: VersionQuery = None
    ) -> list[StaleTranslation]:
        """Translations that lag behind the negotiating text."""
        return service_of(request.app.state).stale_translations(me.delegate, me.mid, version)

    @get("/lint", sync_to_thread=True, summary="Language parity check", responses=errors(*READ))
    def lint(
        self, request: Request[Any, Any, Any], me: MeDep, version: VersionQuery = None
    ) -> list[LintFinding]:
        """The language-parity report."""
        return service_of(request.app.state).lint(me.delegate, me.mid, version)

    @post(
        "/translations",
        sync_to_thread=True,
        status_code=201,
        summary="Update translations (the secretariat)",
        responses=errors(*WRITE),
    )
    def translations(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[TranslationsIn]
    ) -> Version:
        """Correct translations of any part (the secretariat); makes a new version."""
        updates = {(u.article, u.lang): u.text for u in data.updates}
        service = service_of(request.app.state)
        return act(request, me, service.update_translations, updates, note=data.note)

    @post(
        "/translations/confirm",
        sync_to_thread=True,
        status_code=201,
        summary="Confirm that translations still match (the secretariat)",
        responses=errors(*WRITE),
    )
    def confirm_translations(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[ConfirmIn]
    ) -> Version:
        """Confirm that stale translations still match (the secretariat); a new version with
        the same words and content hash."""
        parts = [(p.part, p.lang) for p in data.parts]
        service = service_of(request.app.state)
        return act(
            request, me, service.confirm_translations, parts, note=data.note, version=data.version
        )

    @get(
        "/events",
        sync_to_thread=True,
        summary="The event log after a sequence number",
        responses=errors(*READ),
    )
    def events(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        after: AfterQuery = 0,
        limit: LimitQuery = 500,
    ) -> list[Event]:
        """The event log after a sequence number (for the live stream: ``GET /live``)."""
        return service_of(request.app.state).events_after(me.delegate, me.mid, after, limit)

    @get(
        "/exports/{fmt:str}",
        sync_to_thread=True,
        media_type="application/octet-stream",
        summary="Export a version as a document",
        responses=errors(*READ, 409),
    )
    def export(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        fmt: Format,
        lang: LangsQuery = None,
        version: VersionQuery = None,
        from_version: VersionQuery = None,
    ) -> Response[bytes]:
        """One exported document (docx, parallel-docx, bilingual-docx, redline-docx, md, json,
        akn, pdf, bilingual-pdf, parallel-pdf, votes-pdf: the record of votes). ``lang``
        repeats: one language for docx, redline-docx and akn; two to six, in column order, for
        parallel-docx and parallel-pdf (default: every language) and bilingual-docx (default:
        the first two); two for bilingual-pdf."""
        from consensus_kit import InvalidInput  # noqa: PLC0415

        files = service_of(request.app.state).export(
            me.delegate, me.mid, fmt, langs=lang, version=version, from_version=from_version
        )
        if len(files) != 1:
            raise InvalidInput("choose one language for this format", field="lang")
        return Response(
            content=files[0].data,
            media_type=files[0].media_type,
            headers={"Content-Disposition": f'attachment; filename="{files[0].filename}"'},
        )
