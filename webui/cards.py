"""An amendment's line and its diffs as HTML, written in Python rather than in Jinja macros.

An article's page lists its open amendments, a thousand at a large meeting. As Jinja macros (a
macro call per amendment, per language and per line label, a translation and a CLDR look-up each
time) a card cost ~0.2 ms, so 1,000 amendments took ~200 ms. Here what repeats (translated
labels, language and organisation names, a status's badge, a language's heading) is looked up
once per page, and each card is joined from strings: the same HTML, byte for byte, that the
macros wrote (``macros.html`` calls this module, so every page draws the same cards). What is
kept lives as long as one page: nothing here makes a render after a restart slower.

Presentation only: the diffs and the lines they touch come from the library's views.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context, Undefined
from markupsafe import Markup, escape

from consensus_kit import AmendmentView, DiffOp, Lang, LineWidths, Meeting
from webui.filters import lang_name, line_spans, numbered_diff, org_label, text_dir

__all__ = ["Cards", "cards"]


def _defined(context: Context, name: str) -> Any:
    value = context.get(name)
    return None if isinstance(value, Undefined) else value


class Cards:
    """The cards of one page: what every card repeats, looked up once."""

    def __init__(
        self,
        ui: Any,
        meeting: Meeting | None,
        root: str,
        *,
        positions: Mapping[str, int] | None = None,
        article_id: str | None = None,
        position: int | None = None,
    ) -> None:
        self._ui = ui
        self._meeting = meeting
        self._root = str(escape(root))
        self._positions = positions or {}
        self._article_id = article_id
        self._position = position
        self._gettext = ui.translations.gettext if ui is not None else (lambda m: m)
        self._ui_lang = ui.lang if ui is not None else "en"
        self._comma = str(escape(ui.comma)) if ui is not None else ", "
        self._names: dict[str, str] = {}
        self._words: dict[str, str] = {}
        self._orgs: dict[str | None, str] = {}
        self._heads: dict[tuple[Any, ...], str] = {}
        self._labels: dict[tuple[Any, ...], str] = {}
        self._diff_heads: dict[tuple[Any, ...], str] = {}
        # "Amendment %(n)s" translated and escaped once (a number needs no escaping)
        self._numbered = self._("Amendment %(n)s")

    def _(self, message: str, **values: Any) -> str:
        """``message`` in the interface language, escaped (as ``{{ _(message) }}``)."""
        text = self._words.get(message)
        if text is None:
            text = self._words[message] = self._gettext(message)
        return str(escape(text % values if values else text))

    def _lang(self, lang: str) -> str:
        name = self._names.get(lang)
        if name is None:
            name = self._names[lang] = str(escape(lang_name(lang, self._ui_lang)))
        return name

    def _org(self, org: str | None) -> str:
        label = self._orgs.get(org)
        if label is None:
            meeting = self._meeting
            label = self._orgs[org] = str(org_label(meeting, org, self._ui_lang)) if meeting else ""
        return label

    def line_label(self, numbers: Sequence[int]) -> Markup:
        """``line 3`` or ``lines 2–4, 7``, translated (as the ``line_label`` macro)."""
        if len(numbers) == 1:
            return Markup(self._("line %(n)s", n=numbers[0]))
        if numbers:
            return Markup(self._("lines %(list)s", list=", ".join(line_spans(numbers))))
        return Markup("")

    def _article_ref(self, article_id: str) -> str:
        if article_id in self._positions:
            return self._("Article %(n)s", n=self._positions[article_id])
        if self._position is not None and self._article_id == article_id:
            return self._("Article %(n)s", n=self._position)
        return self._("an article no longer in the text")

    def line(self, view: AmendmentView) -> Markup:
        """An amendment's number, status, kind, article, lines, sponsor and pending languages
        (as the ``amendment_line`` macro)."""
        a = view.amendment
        key = (a.status, a.kind, a.article)
        head = self._heads.get(key)
        if head is None:  # the same for every open amendment of an article
            status = a.status.value
            head = self._heads[key] = "".join(
                (
                    f'</a> <span class="badge status-{escape(status)}">',
                    self._(status.replace("_", " ")),
                    '</span>\n<span class="muted">',
                    self._(a.kind.value),
                    f" · {self._article_ref(a.article)}" if a.article else "",
                )
            )
        number = self._numbered % {"n": a.number}
        out = [f'<a href="{self._root}/amendments/{a.number}">{number}{head}']
        if view.lines:
            out.append(self._lines(view.lines))
        out += (" · ", self._org(a.sponsor))
        if a.cosponsors:
            out.append(f" +{len(a.cosponsors)}")
        out.append("</span>\n")
        if view.pending:
            out += ('<span class="badge warn">', self._("translation pending"), ": ")
            out.append(self._comma.join(self._lang(lang) for lang in view.pending))
            out.append("</span>")
        return Markup("".join(out))

    def _lines(self, lines: Mapping[Lang, Sequence[int]]) -> str:
        """`` · English lines 2–3, 中文 line 2``: the lines an amendment touches, per language."""
        key = tuple((lang, *numbers) for lang, numbers in lines.items())
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = " · " + self._comma.join(
                f'<span class="lines">{self._lang(lang)} {self.line_label(numbers)}</span>'
                for lang, numbers in lines.items()
            )
        return label

    def diffs(
        self,
        view_diffs: Mapping[Lang, Sequence[DiffOp]],
        langs: Iterable[str] | None = None,
        lines: Mapping[Lang, Sequence[int]] | None = None,
        widths: LineWidths | None = None,
    ) -> Markup:
        """A diff per language along the numbered lines of the older text; ``lines`` names the
        lines it touches beside the language (as the ``diffs`` macro)."""
        wanted = set(langs) if langs else None
        w = widths or (self._meeting.lines if self._meeting else None)
        out: list[str] = []
        for lang, ops in view_diffs.items():
            if wanted is not None and lang not in wanted:
                continue
            numbers = lines.get(lang) if lines else None
            key = (lang, *numbers) if numbers else (lang,)
            head = self._diff_heads.get(key)
            if head is None:  # the language, the lines, the direction: once a page
                label = f' <span class="lines">{self.line_label(numbers)}</span>' if numbers else ""
                head = self._diff_heads[key] = (
                    f'<div class="diff-lang"><span class="lang">{self._lang(lang)}</span>{label}'
                    f'<div class="diff numbered" lang="{escape(lang)}" dir="{text_dir(lang)}">'
                )
            out += (head, numbered_diff(ops, lang, w), "</div></div>\n")
        return Markup("".join(out))

    def cards(self, views: Iterable[AmendmentView]) -> Markup:
        """The article page's list: each amendment's line and diffs in an ``<article>``."""
        return Markup(
            "".join(
                f'  <article class="card">{self.line(view)}'
                f"{self.diffs(view.diffs, lines=view.lines)}</article>\n"
                for view in views
            )
        )

    def items(self, views: Iterable[AmendmentView]) -> Markup:
        """Amendments as list items, one line each (as the amendment list's)."""
        return Markup("".join(f"<li>{self.line(view)}</li>\n" for view in views))


@pass_context
def cards(context: Context) -> Cards:
    """The cards of the page being rendered (the template's ``ui``, meeting and links)."""
    me = _defined(context, "me")
    article = _defined(context, "article")
    return Cards(
        _defined(context, "ui"),
        me.meeting if me else None,
        _defined(context, "root") or "",
        positions=_defined(context, "positions"),
        article_id=getattr(article, "id", None),
        position=_defined(context, "position"),
    )
