"""Server-rendered pages (Jinja + HTMX), grouped by what a delegate does."""

from __future__ import annotations

from typing import Any

from webui.pages.administration import AdministrationPages
from webui.pages.amendments import AmendmentPages
from webui.pages.auth import AuthPages
from webui.pages.declaration import DeclarationPages
from webui.pages.floor import FloorPages
from webui.pages.home import HomePages
from webui.pages.projector import ProjectorPages
from webui.pages.secretariat import SecretariatPages
from webui.pages.signing import SigningPages
from webui.pages.votes import VotePages

__all__ = ["page_handlers"]

page_handlers: list[Any] = [
    AuthPages,
    HomePages,
    DeclarationPages,
    FloorPages,
    AmendmentPages,
    VotePages,
    SigningPages,
    ProjectorPages,
    SecretariatPages,
    AdministrationPages,
]
