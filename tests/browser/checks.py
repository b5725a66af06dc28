"""Checks a scenario runs on any page state: axe-core (serious and critical findings fail),
English left in the Chinese (or Arabic, Russian) interface, raw ids shown to people, colour contrast.

Imported only when Playwright is installed (see the guard at the top of the scenarios)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

_RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "")),
  }));
}"""


def axe(page: Page, state: str, seen: dict[str, list[str]] | None = None) -> list[str]:
    """Run axe-core on the page as it is now; return the serious and critical findings as
    lines naming ``state`` (and record them in ``seen``)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # as a devtools evaluation: the app's Content-Security-Policy refuses inline scripts
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found = page.evaluate(_RUN_AXE)
    lines = [
        f"{state}: {v['impact']} {v['id']} ({v['help']}): {'; '.join(v['nodes'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]
    if seen is not None:
        seen[state] = lines
    return lines


# Text of the interface language's parts of the page: elements in another language (the
# other language's text of the declaration, the library's own English details) and names or
# codes marked translate="no" are not interface text.
_INTERFACE_TEXT = """(lang) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, [translate='no'], svg title, .live-status")) continue;
    if (el.closest("[hidden], [aria-hidden='true']")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const owner = el.closest("[lang]");
    if (!owner || !owner.lang.toLowerCase().startsWith(lang)) continue;
    const text = node.data.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    const owner = el.closest("[lang]");
    if (el.closest("[translate='no']") || !owner || !owner.lang.toLowerCase().startsWith(lang)) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      if (el.hasAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  return out;
}"""

# Latin words of two letters or more that may stand in Chinese text: formats and codes people
# know by these names (a version hash is marked translate="no").
ALLOWED_LATIN = {"Word", "docx", "DOCX", "SHA", "Markdown", "JSON", "Akoma", "Ntoso", "xml", "md"}


def english_in_chinese(page: Page) -> list[str]:
    """Interface text of a Chinese page that holds Latin-script words."""
    found = []
    for text in page.evaluate(_INTERFACE_TEXT, "zh"):
        words = [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_LATIN]
        if words:
            found.append(text)
    return found


def latin_in(page: Page, lang: str) -> list[str]:
    """Interface text of a page in a non-Latin script (``ar``, ``ru``, ``zh``) that holds
    Latin-script words: English left untranslated."""
    found = []
    for text in page.evaluate(_INTERFACE_TEXT, lang):
        words = [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_LATIN]
        if words:
            found.append(text)
    return found


def chinese_in_english(page: Page) -> list[str]:
    """Interface text of an English page that holds CJK characters."""
    return [t for t in page.evaluate(_INTERFACE_TEXT, "en") if re.search(r"[\u3400-\u9fff]", t)]


_CONTRAST = """([a, b]) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""


def contrast(page: Page, colour_a: str, colour_b: str) -> float:
    """The WCAG contrast ratio of two CSS ``rgb()`` colours."""
    return float(page.evaluate(_CONTRAST, [colour_a, colour_b]))


def background_of(page: Page, selector: str) -> str:
    """The first non-transparent background colour at or above ``selector``."""
    return str(
        page.evaluate(
            """(selector) => {
              for (let el = document.querySelector(selector); el; el = el.parentElement) {
                const c = getComputedStyle(el).backgroundColor;
                if (c && c !== "transparent" && !c.startsWith("rgba(0, 0, 0, 0")) return c;
              }
              return "rgb(255, 255, 255)";
            }""",
            selector,
        )
    )
