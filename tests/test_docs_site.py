"""The documentation site builds strictly (mkdocs.yml): a broken link, anchor or API reference
fails the build, and so this test. Offline: no plugin fetches anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import consensus_kit as ck

ROOT = Path(__file__).resolve().parents[1]


def build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``config`` into ``site``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = build(ROOT / "mkdocs.yml", out)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr, done.stderr[-3000:]
    return out


def test_every_page_in_docs_is_built(site: Path) -> None:
    for page in (ROOT / "docs").rglob("*.md"):
        built = site / page.relative_to(ROOT / "docs").with_suffix(".html")
        assert built.stat().st_size > 1000, built


def test_the_python_reference_documents_every_public_name(site: Path) -> None:
    page = (site / "reference" / "python.html").read_text(encoding="utf-8")
    for name in ck.__all__:
        if name != "__version__":
            assert 'id="consensus_kit.' in page and f">{name}<" in page, name
    assert "MeetingService.open_vote" in page and "MeetingService.cast_ballot" in page


def test_the_http_reference_lists_every_operation_and_the_schema(site: Path) -> None:
    schema = json.loads((site / "reference" / "openapi.json").read_text(encoding="utf-8"))
    page = (site / "reference" / "http.html").read_text(encoding="utf-8")
    for path, item in schema["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                assert f"<code>{method.upper()} {path}</code>" in page, (method, path)


def test_the_site_fetches_nothing_from_elsewhere(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "tools", tmp_path / "tools")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    (tmp_path / "consensus_kit").symlink_to(ROOT / "consensus_kit")
    page = tmp_path / "docs" / "getting-started.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the lost page](lost.md).\n")
    done = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert done.returncode != 0
    assert "lost.md" in done.stderr


def test_every_public_name_has_a_docstring_the_reference_can_show() -> None:
    """What the API reference reads (Griffe, statically): constants and id types included."""
    import griffe

    package = griffe.load("consensus_kit", search_paths=[str(ROOT)])
    missing = [
        f"{module}.{name}"
        for module, names in ck._EXPORTS.items()
        for name in names
        if not (doc := package[f"{module.removeprefix('consensus_kit.')}.{name}"].docstring)
        or len(doc.value.strip()) < 10
    ]
    assert not missing, missing
