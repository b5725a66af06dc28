"""Regenerate the README's "Line numbers and PDF" pictures.

    python -m tests.web.make_i22_pictures [--out docs/images]

- ``i22-line-numbers.png``: the amendment page of the A20 session of ``make_screenshots``
  (Kenya's amendment to article 2), its diff along the numbered lines in English and Chinese,
  by headless Chromium (Playwright, the system Chromium).
- ``i22-bilingual-pdf.png``: page 1 of the side-by-side PDF (Chinese and English) of the A20
  text, rendered by poppler's ``pdftoppm``.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import consensus_kit as ck
from tests.web.make_screenshots import CHROMIUM, CHROMIUM_ARGS, ROOT, Session, login, serve


def main(argv: list[str] | None = None) -> int:
    """Play the session, shoot the amendment page, print the PDF's first page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'a20.db'}"
        session = Session(db)
        session.propose()
        (pdf,) = session.service.export(
            ck.CONSOLE, session.mid, "bilingual-pdf", langs=["zh", "en"]
        )
        source = Path(folder) / "a20.pdf"
        source.write_bytes(pdf.data)
        stem = args.out / "i22-bilingual-pdf"
        subprocess.run(
            [
                *("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"),
                str(source),
                str(stem),
            ],
            check=True,
        )
        print(f"wrote {stem}.png")
        with serve(db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            desk = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}
            page = login(browser, base, session.codes["rozga"], **desk)
            page.goto(f"{base}/amendments/1")
            page.wait_for_timeout(300)
            head = page.locator("#amendment-live h1").bounding_box()
            box = page.locator("section.diffs").bounding_box()
            assert head is not None and box is not None
            top = max(head["y"] - 12, 0)
            page.screenshot(
                path=str(args.out / "i22-line-numbers.png"),
                clip={
                    "x": 0,
                    "y": top,
                    "width": 1280,
                    "height": box["y"] + box["height"] - top + 12,
                },
                full_page=True,
            )
            print(f"wrote {args.out / 'i22-line-numbers.png'}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
