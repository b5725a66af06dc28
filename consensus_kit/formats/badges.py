"""Badges: one printable card per delegate, with a QR code that logs the delegate in.

The QR code holds the login page's address with the access code in the URL *fragment*
(``https://summit.example.org/login#code=ABCD-EFGH-JKLM``): browsers never send a fragment to
the server, so the code stays out of every server and proxy log; the login page fills its form
from it. The code is printed under the QR code as well, for typing by hand.

The cards are laid out as HTML and printed to PDF by WeasyPrint, which shapes every script
through Pango and HarfBuzz (Chinese, Arabic written right to left…) with the system's fonts;
the QR codes are drawn by segno as SVG. Both are imported only when badges are made.

>>> data = export_badges(meeting, codes, "https://summit.example.org", lang="zh")
... # doctest: +SKIP
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Mapping

from consensus_kit.domain.ids import DelegateId, Lang
from consensus_kit.domain.model import Meeting, Role
from consensus_kit.errors import InvalidInput, Unavailable
from consensus_kit.formats.export_common import label, primary

__all__ = ["BADGES_PER_PAGE", "badge_url", "badges_html", "export_badges", "require_badge_tools"]

BADGES_PER_PAGE = 8
"""Cards on one A4 sheet: two columns of four (90 × 62 mm each, with cutting lines)."""

_ROLE_ORDER = (Role.CHAIR, Role.SECRETARIAT, Role.SIGNATORY, Role.DELEGATE, Role.OBSERVER)
_FONTS = (
    '"Noto Sans", "Liberation Sans", "DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", '
    '"Noto Naskh Arabic", sans-serif'
)
_CSS = """
@page { size: A4; margin: 12mm 10mm; }
body { margin: 0; font-family: FONTS; color: #111; }
table.page { border-collapse: collapse; table-layout: fixed; margin: 0 auto; break-after: page; }
table.page:last-child { break-after: auto; }
td.badge { box-sizing: border-box; width: 90mm; height: 62mm; padding: 5mm; vertical-align: top;
  border: 0.3mm dashed #999; overflow: hidden; }
.inner { height: 52mm; overflow: hidden; }
.meeting { font-size: 7.5pt; color: #444; border-bottom: 0.4mm solid #1a4d80;
  padding-bottom: 1.5mm; margin-bottom: 2.5mm; height: 7mm; overflow: hidden; }
.qr { float: right; width: 30mm; margin-left: 3mm; text-align: center; }
.qr svg { width: 30mm; height: 30mm; }
.name { font-size: 15pt; font-weight: bold; line-height: 1.15; margin-bottom: 1.5mm; }
.organisation { font-size: 9pt; line-height: 1.25; margin-bottom: 2mm; }
.role { display: inline-block; font-size: 8pt; font-weight: bold; color: #fff;
  background: #1a4d80; padding: 0.6mm 2mm; border-radius: 1mm; }
.code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 7pt;
  letter-spacing: 0.2mm; margin-top: 0.5mm; }
.hint { font-size: 6pt; color: #555; }
""".replace("FONTS", _FONTS)


def require_badge_tools() -> None:
    """Raise :class:`~consensus_kit.errors.Unavailable` unless segno and WeasyPrint (with the
    Pango library) can be used: check it *before* issuing the codes to print."""
    try:
        import segno  # noqa: F401, PLC0415 - optional: the 'badges' extra
        import weasyprint  # noqa: F401, PLC0415
    except (ImportError, OSError) as exc:
        raise Unavailable(
            "badges need segno and WeasyPrint (with the Pango library): "
            f"pip install 'consensus-kit[badges]' ({exc})"
        ) from None


def badge_url(base_url: str, code: str) -> str:
    """The login address a badge's QR code holds: the code in the fragment, never sent to a
    server.

    >>> badge_url("https://summit.example.org/", "ABCD-EFGH-JKLM")
    'https://summit.example.org/login#code=ABCD-EFGH-JKLM'
    """
    return f"{check_base_url(base_url)}/login#code={urllib.parse.quote(code, safe='-')}"


def check_base_url(base_url: str) -> str:
    """The web UI's public address without a trailing slash; refuses anything else."""
    parts = urllib.parse.urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(
            f"{base_url!r} is not the web address delegates open (e.g. https://summit.example.org)",
            field="url",
        )
    if parts.query or parts.fragment:
        raise InvalidInput("the address must not have a query or fragment", field="url")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _qr_svg(data: str) -> str:
    import segno  # noqa: PLC0415 - only badges need it

    qr = segno.make_qr(data, error="m")
    svg: str = qr.svg_inline(scale=4, border=2, omitsize=True)
    return svg


def _card(meeting: Meeting, delegate_id: DelegateId, code: str, base_url: str, lang: str) -> str:
    delegate = meeting.delegate(delegate_id)
    if delegate is None:
        raise InvalidInput(f"no delegate {delegate_id!r} in meeting {meeting.id!r}", field="codes")
    org = meeting.organisation(delegate.organisation) if delegate.organisation else None
    org_name = org.name_in(Lang(lang), meeting.negotiating_language) if org else ""
    roles = [role for role in _ROLE_ORDER if role in delegate.roles]
    role_text = " · ".join(label(lang, f"role_{role.value}") for role in roles)
    title = meeting.title.get(Lang(lang)) or meeting.title.get(meeting.negotiating_language, "")
    e = html.escape
    return (
        f'<td class="badge" data-delegate="{e(delegate_id)}"><div class="inner">'
        f'<div class="meeting" dir="auto">{e(title)}</div>'
        f'<div class="qr">{_qr_svg(badge_url(base_url, code))}'
        f'<div class="code">{e(code)}</div><div class="hint">{e(label(lang, "badge_hint"))}</div>'
        "</div>"
        f'<div class="name" dir="auto">{e(delegate.name)}</div>'
        f'<div class="organisation" dir="auto">{e(org_name)}</div>'
        f'<div class="role">{e(role_text)}</div></div></td>'
    )


def badges_html(
    meeting: Meeting, codes: Mapping[DelegateId, str], base_url: str, *, lang: str | None = None
) -> str:
    """The badge sheets as one HTML document (cards in the meeting's order of delegates)."""
    lang = lang or meeting.negotiating_language
    if lang not in meeting.languages:
        raise InvalidInput(
            f"{lang!r} is not one of the meeting's languages ({', '.join(meeting.languages)})",
            field="lang",
        )
    if not codes:
        raise InvalidInput("no access codes to print", field="codes")
    check_base_url(base_url)
    order = {d.id: i for i, d in enumerate(meeting.delegates)}
    chosen = sorted(codes.items(), key=lambda item: order.get(item[0], len(order)))
    cards = [_card(meeting, d, code, base_url, lang) for d, code in chosen]
    rows = [
        f"<tr>{''.join(cards[i : i + 2])}{'<td></td>' * (i + 2 - len(cards[: i + 2]))}</tr>"
        for i in range(0, len(cards), 2)
    ]
    per_page = BADGES_PER_PAGE // 2
    pages = "".join(
        f'<table class="page">{"".join(rows[i : i + per_page])}</table>'
        for i in range(0, len(rows), per_page)
    )
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(meeting.id)}</title><style>{_CSS}</style></head>"
        f'<body class="lang-{html.escape(primary(lang))}">{pages}'
        "</body></html>"
    )


def export_badges(
    meeting: Meeting, codes: Mapping[DelegateId, str], base_url: str, *, lang: str | None = None
) -> bytes:
    """The badges of ``codes`` (delegate → access code) as PDF bytes, eight to an A4 page.

    Raises :class:`~consensus_kit.errors.InvalidInput` for an address that is not http(s), a
    delegate the meeting lacks or a language it does not have.
    """
    document = badges_html(meeting, codes, base_url, lang=lang)
    require_badge_tools()
    from weasyprint import HTML  # noqa: PLC0415 - heavy, and only badges need it

    pdf: bytes = HTML(string=document).write_pdf()
    return pdf
