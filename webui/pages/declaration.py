"""The declaration: one language, two side by side, any version, any two versions compared."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template

from consensus_kit import InvalidInput, Lang
from webui.deps import Me, MeDep, page, page_me, service_of, ui_of
from webui.pages._common import number
from webui.pages.home import freeze_blockers

__all__ = ["DeclarationPages", "reading_lang"]


def reading_lang(request: Request[Any, Any, Any], me: Me, lang: str | None) -> str:
    """The language to read the text in: asked for, else the interface language, else the
    browser's language, else the negotiating language (when the meeting has them)."""
    if lang:
        if lang not in me.meeting.languages:
            raise InvalidInput(
                f"{lang!r} is not one of the meeting's languages "
                f"({', '.join(me.meeting.languages)})",
                field="lang",
            )
        return lang
    return ui_of(request, me.meeting).reading(me.meeting)


def whole(value: str | None, name: str) -> int | None:
    """A query field as a whole number, ``None`` when absent or empty (a form's default)."""
    return number({name: value or ""}, name)


class DeclarationPages(Controller):
    """``/declaration``, ``/declaration/compare``, ``/exports/{fmt}``."""

    include_in_schema = False
    dependencies = {"me": Provide(page_me, sync_to_thread=True)}  # noqa: RUF012

    @get("/declaration", sync_to_thread=True)
    def declaration(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        v: FromQuery[str | None] = None,
        lang: FromQuery[str | None] = None,
        other: FromQuery[str | None] = None,
        part: FromQuery[str | None] = None,
    ) -> Template:
        """A version (default: the latest) in one language, or two side by side by article.

        Every query field may come empty, as the page's own form sends its defaults ("latest",
        no second language)."""
        service = service_of(request.app.state)
        number_v = whole(v, "v")
        lang, other = lang or None, other or None
        first = reading_lang(request, me, lang)
        second = reading_lang(request, me, other) if other else None
        if second == first:
            second = None
        version = service.version(me.delegate, me.mid, number_v)
        versions = service.versions(me.delegate, me.mid)
        stale = {
            (s.article, s.lang) for s in service.stale_translations(me.delegate, me.mid, number_v)
        }
        context: dict[str, Any] = {
            "version": version,
            "versions": versions,
            "latest": versions[-1],
            "pinned": number_v is not None,
            "lang": first,
            "other": second,
            "stale": stale,
        }
        if part != "text" and me.can("freeze_version"):
            context["blockers"] = freeze_blockers(service, me)
        name = "parts/declaration_text.html" if part == "text" else "declaration.html"
        return page(request, me, name, **context)

    @get("/declaration/compare", sync_to_thread=True)
    def compare(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        lang: FromQuery[str | None] = None,
        old: FromQuery[str | None] = None,
        new: FromQuery[str | None] = None,
    ) -> Template:
        """The inline diff of two versions in one language (default: the last two)."""
        service = service_of(request.app.state)
        chosen = reading_lang(request, me, lang or None)
        versions = service.versions(me.delegate, me.mid)
        newer = whole(new, "new") or versions[-1].number
        older = whole(old, "old") or max(1, newer - 1)
        diff = service.diff_versions(me.delegate, me.mid, older, newer, chosen)
        return page(
            request,
            me,
            "compare.html",
            diff=diff,
            versions=versions,
            old=older,
            new=newer,
            lang=chosen,
        )

    @get("/exports/{fmt:str}", sync_to_thread=True)
    def export(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        fmt: FromPath[str],
        lang: FromQuery[list[str] | None] = None,
        v: FromQuery[int | None] = None,
        old: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        """One exported document as a download (the library makes it)."""
        service = service_of(request.app.state)
        langs = [Lang(x) for x in lang] if lang else None
        files = service.export(me.delegate, me.mid, fmt, langs=langs, version=v, from_version=old)
        if len(files) != 1:
            raise InvalidInput("choose one language for this format", field="lang")
        found = files[0]
        return Response(
            content=found.data,
            media_type=found.media_type,
            headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
        )
