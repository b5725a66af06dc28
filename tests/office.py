"""Other people's office tools, as independent writers and readers of our documents: pandoc,
LibreOffice (headless, with a private profile so parallel runs do not collide) and poppler's
``pdftotext``."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import skip_unless

__all__ = ["libreoffice", "need", "pandoc", "pdf_text", "to_pdf"]


def need(*tools: str) -> None:
    """Skip without a tool (with the reason), but fail under CI=true: .ci/run installs them."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    skip_unless(not missing, f"missing {', '.join(missing)}: install them as .ci/run does")


def pandoc(markdown: str, out: Path, *, fmt: str = "docx") -> Path:
    """``markdown`` converted by pandoc to ``out`` (its format from ``fmt``)."""
    need("pandoc")
    subprocess.run(
        ["pandoc", "-f", "markdown", "-t", fmt, "-o", str(out)],
        input=markdown.encode(),
        check=True,
        timeout=60,
    )
    return out


def libreoffice(sources: Sequence[Path], target: str, outdir: Path) -> list[Path]:
    """Convert ``sources`` with one headless LibreOffice run (``target``: "docx", "pdf"…);
    plain-text sources are read as UTF-8."""
    need("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    texts = [s for s in sources if s.suffix == ".txt"]
    others = [s for s in sources if s.suffix != ".txt"]
    with tempfile.TemporaryDirectory(prefix="ck-lo-profile-") as profile:
        for group, extra in ((texts, ["--infilter=Text (encoded):UTF8,LF,,"]), (others, [])):
            if not group:
                continue
            args = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *extra]
            args += ["--convert-to", target, "--outdir", str(outdir), *map(str, group)]
            subprocess.run(args, check=True, capture_output=True, timeout=240)
    extension = target.split(":", 1)[0]
    results = [outdir / f"{s.stem}.{extension}" for s in sources]
    for result in results:
        assert result.exists(), f"LibreOffice did not write {result}"
    return results


def to_pdf(docx_bytes: bytes, folder: Path, name: str = "document") -> Path:
    """A Word document rendered to PDF by LibreOffice."""
    source = folder / f"{name}.docx"
    source.write_bytes(docx_bytes)
    return libreoffice([source], "pdf", folder)[0]


def pdf_text(pdf: Path) -> list[str]:
    """Each page's text laid out as on the page (``pdftotext -layout``)."""
    need("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")
