"""consensus-kit web UI: a thin Litestar app over :mod:`consensus_kit`.

>>> from webui import Settings, create_app
>>> app = create_app(Settings(db="sqlite:///meeting.db", secret="…"))  # doctest: +SKIP
"""

from __future__ import annotations

from webui.app import create_app
from webui.settings import Settings

__all__ = ["Settings", "create_app"]
