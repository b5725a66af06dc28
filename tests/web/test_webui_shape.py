"""The web UI stays thin: public API only, small files, no inline script (the CSP forbids it)."""

from __future__ import annotations

import re
from pathlib import Path

import webui
from tests.test_architecture import imported_modules

WEBUI = Path(webui.__file__).parent
LIBRARY = WEBUI.parent / "consensus_kit"


def test_webui_uses_the_public_api_and_domain_helpers_only() -> None:
    for path in WEBUI.rglob("*.py"):
        internal = {
            m
            for m in imported_modules(path)
            if m.startswith("consensus_kit.") and not m.startswith("consensus_kit.domain")
        }
        allowed = {"consensus_kit.cli"} if path.name == "cli.py" else set()
        assert internal <= allowed, f"{path.relative_to(WEBUI)} imports {internal - allowed}"


def test_the_library_never_imports_the_web_ui() -> None:
    for path in LIBRARY.rglob("*.py"):
        assert not {m for m in imported_modules(path) if m.split(".")[0] == "webui"}, path


def test_webui_files_stay_under_four_hundred_lines() -> None:
    long = {
        str(p.relative_to(WEBUI)): n
        for p in [*WEBUI.rglob("*.py"), *WEBUI.rglob("*.html")]
        if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 400
    }
    assert long == {}


def test_templates_hold_no_inline_script_or_style() -> None:
    for path in (WEBUI / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert not re.search(r"\sstyle=", text), path
        assert "|safe" not in text and "Markup(" not in text, path
