"""The hostile input corpus: text a delegate's browser, a script or an attacker may send.

Shared by the service, CLI and (later) API tests. Each case says whether the text must be
refused (with the field named, nothing stored) or accepted and kept exactly as sent.
"""

from __future__ import annotations

import msgspec

from tests.builders import UNICODE_CORPUS


class TextCase(msgspec.Struct, frozen=True):
    """One text and whether a text field must accept it."""

    name: str
    text: str
    accepted: bool


def _refused() -> list[TextCase]:
    cases = [
        TextCase(f"C0 U+{c:04X}", f"before{chr(c)}after", False)
        for c in range(0x20)
        if chr(c) not in "\t\n"
    ]
    cases += [TextCase(f"C1 U+{c:04X}", f"x{chr(c)}y", False) for c in range(0x7F, 0xA0)]
    cases += [
        TextCase(f"bidi U+{c:04X}", f"pay {chr(c)}0001 USD", False)
        for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    ]
    cases += [
        TextCase(f"surrogate U+{c:04X}", f"a{chr(c)}b", False)
        for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF)
    ]
    cases += [
        TextCase(f"nonchar U+{c:04X}", f"a{chr(c)}b", False)
        for c in [*range(0xFDD0, 0xFDF0), 0xFFFE, 0xFFFF]
    ]
    cases += [
        TextCase(f"nonchar U+{p:X}FFF{e}", f"a{chr(p * 0x10000 + 0xFFF0 + e)}b", False)
        for p in range(1, 17)
        for e in (0xE, 0xF)
    ]
    cases += [
        TextCase("100 kB word", "a" * 100_000, False),
        TextCase("article one over the limit", "x" * 20_001, False),
        TextCase("empty", "", False),
        TextCase("only spaces", "   \n\t ", False),
    ]
    return cases


def _accepted() -> list[TextCase]:
    cases = [TextCase(f"corpus {name}", text, True) for name, text in UNICODE_CORPUS.items()]
    markup = [
        "<script>alert(document.cookie)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "javascript:alert(1)",
        "{{ 7*7 }} {% raw %}",
        "<!-- comment --> &amp; &lt;b&gt;",
        "<w:t>injected</w:t>",
        "]]><![CDATA[x",
        "<?xml version='1.0'?>",
        "${jndi:ldap://x}",
    ]
    sql = [
        "'; DROP TABLE meetings; --",
        '" OR "1"="1',
        "1; DELETE FROM ballots",
        "%_\\%",
        "') UNION SELECT * FROM delegates --",
        "NULL",
        "\\x00 written out",
        "O'Brien & Sons",
        "back\\slash",
        "semicolon; and -- dashes",
    ]
    marks = [
        "right-to-left mark \u200f here",
        "left-to-right mark \u200e here",
        "Arabic letter mark \u061c here",
        "zero width joiner \u200d",
        "soft\u00adhyphen",
    ]
    emoji = ["🏳️‍🌈 flag", "👩🏽‍⚕️ doctor", "🇨🇳🇰🇪🇭🇺 flags", "1️⃣ keycap", "🫶🏿 hands"]
    scripts = [
        "Ελληνικά",
        "Русский текст",
        "ქართული",
        "አማርኛ",
        "ᠮᠣᠩᠭᠣᠯ",
        "한국어 문장",
        "ລາວ",
        "ខ្មែរ",
        "မြန်မာ",
        "Tiếng Việt có dấu",
    ]
    cases += [TextCase(f"markup {i}", t, True) for i, t in enumerate(markup)]
    cases += [TextCase(f"sql {i}", t, True) for i, t in enumerate(sql)]
    cases += [TextCase(f"mark {i}", t, True) for i, t in enumerate(marks)]
    cases += [TextCase(f"emoji {i}", t, True) for i, t in enumerate(emoji)]
    cases += [TextCase(f"script {i}", t, True) for i, t in enumerate(scripts)]
    cases += [
        TextCase("article at the limit", "x" * 20_000, True),
        TextCase("a long word inside the limit", "w" * 19_000, True),
    ]
    return cases


REFUSED = _refused()
ACCEPTED = _accepted()
TEXT_CASES = [*REFUSED, *ACCEPTED]
