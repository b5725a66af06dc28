"""consensus-kit web UI: a thin Litestar app over :mod:`consensus_kit`.

>>> from webui import Settings, create_app
>>> app = create_app(Settings(db="sqlite:///meeting.db", secret="…"))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from webui.app import create_app
    from webui.settings import Settings

__all__ = ["Settings", "create_app"]

# Loaded on first use (PEP 562): the console script lives in webui.cli, and importing this
# package must not load Litestar for ``consensus-kit --version`` or ``export``.
_ORIGIN = {"Settings": "webui.settings", "create_app": "webui.app"}


def __getattr__(name: str) -> object:
    module = _ORIGIN.get(name)
    if module is None:
        raise AttributeError(f"module 'webui' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
