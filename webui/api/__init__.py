"""The JSON API under ``/api/v1``: everything the pages do, with bearer tokens."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from webui.api.administration import AdministrationApi
from webui.api.drafting import DraftingApi
from webui.api.floor import FloorApi
from webui.api.meeting import MeetingApi, TokenApi
from webui.api.voting import SigningApi, VotingApi
from webui.deps import api_me

__all__ = ["api_router"]


def api_router() -> Router:
    """A fresh router (one per app)."""
    return Router(
        path="/api/v1",
        route_handlers=[
            TokenApi,
            MeetingApi,
            DraftingApi,
            FloorApi,
            VotingApi,
            SigningApi,
            AdministrationApi,
        ],
        dependencies={"me": Provide(api_me)},
        tags=["consensus-kit"],
    )
