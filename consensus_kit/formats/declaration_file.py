"""The ``[declaration]`` part of a meeting file: inline articles or Markdown files per language.

Validation collects *every* problem with its key path and what was expected, so a secretariat
fixes a file in one pass; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path, PurePath

from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.model import (
    Article,
    Declaration,
)
from consensus_kit.domain.text import LIMITS
from consensus_kit.errors import InvalidInput
from consensus_kit.formats.bounded import read_file
from consensus_kit.formats.checker import Checker, _type_name
from consensus_kit.formats.markdown_draft import MarkdownDraft, parse_markdown_draft

__all__ = ["DeclarationChecks"]

MAX_FILE_BYTES = 20_000_000
MAX_DRAFT_BYTES = 20_000_000
"""The largest Markdown draft a meeting file's ``declaration.files`` may name."""

_TOP_KEYS = {"meeting", "decision", "organisations", "delegates", "declaration"}
_MEETING_KEYS = {
    "id",
    "title",
    "place",
    "start",
    "end",
    "languages",
    "negotiating_language",
    "organisers",
}
_DECISION_KEYS = {"rule", "quorum", "secret"}
_ORG_KEYS = {"id", "name", "country", "region", "observer", "weight"}
_DELEGATE_KEYS = {"id", "name", "organisation", "roles", "title"}
_DECLARATION_KEYS = {"date", "title", "subtitle", "preamble", "articles", "files"}
_ARTICLE_KEYS = {"id", "text"}


class DeclarationChecks(Checker):
    """Validation of the first draft."""

    def declaration(self, value: object) -> Declaration | None:
        t = self.table(value, "declaration", _DECLARATION_KEYS, [])
        if t is None:
            return None
        date = None
        if "date" in t:
            date = self.typed(t["date"], "declaration.date", dt.date, "a date (YYYY-MM-DD)")
        if "files" in t:
            if any(k in t for k in ("title", "subtitle", "preamble", "articles")):
                self.error(
                    "declaration.files",
                    "give either 'files' or title/preamble/articles in the meeting file, not both",
                )
                return None
            return self.declaration_from_files(t["files"], date)
        if "title" not in t:
            self.error("declaration.title", "is required (or give 'files')")
        if "articles" not in t:
            self.error("declaration.articles", "is required (or give 'files')")
        title = self.texts(
            t.get("title", {}), "declaration.title", LIMITS["title"], every_language=True
        )
        subtitle = self.texts(
            t.get("subtitle", {}),
            "declaration.subtitle",
            LIMITS["title"],
            every_language=False,
            required=False,
        )
        preamble = self.texts(
            t.get("preamble", {}),
            "declaration.preamble",
            LIMITS["preamble"],
            every_language=False,
            required=False,
        )
        articles = self.articles(t.get("articles", []))
        if title is None or articles is None:
            return None
        return Declaration(
            title=title,
            subtitle=subtitle or {},
            preamble=preamble or {},
            articles=tuple(articles),
            date=date,
        )

    def articles(self, value: object) -> list[Article] | None:
        items = self._array(value, "declaration.articles", "articles")
        if isinstance(value, list) and not value:
            self.error("declaration.articles", "must hold at least one article")
        result: list[Article] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(items):
            path = f"declaration.articles[{i}]"
            t = self.table(item, path, _ARTICLE_KEYS, ["text"])
            if t is None:
                continue
            article_id = self.ident(t["id"], f"{path}.id") if "id" in t else f"art-{i + 1}"
            unique = self._unique(f"{path}.id", article_id, seen, "article")
            texts = self.texts(
                t.get("text", {}), f"{path}.text", LIMITS["article"], every_language=False
            )
            if (
                texts is not None
                and self.negotiating
                and self.negotiating not in texts
                and "text" in t
            ):
                self.error(
                    f"{path}.text.{self.negotiating}", "is required (the negotiating language)"
                )
            for lang in self.languages:
                if texts is not None and lang not in texts and lang != self.negotiating:
                    self.warn(f"{path}.text.{lang}", "missing: translation pending")
            if unique and article_id and texts:
                result.append(Article(id=ArticleId(article_id), text=texts))
        return result

    def declaration_from_files(self, value: object, date: dt.date | None) -> Declaration | None:
        if not isinstance(value, dict) or not value:
            self.error(
                "declaration.files",
                'expected a table of language → path, e.g. { en = "draft.en.md" }',
            )
            return None
        drafts: dict[Lang, MarkdownDraft] = {}
        for lang, rel in value.items():
            path = f"declaration.files.{lang}"
            if self.languages and lang not in self.languages:
                self.error(
                    path,
                    f"{lang!r} is not one of the meeting's languages ({', '.join(self.languages)})",
                )
                continue
            draft = self._read_draft(rel, path)
            if draft is not None:
                drafts[Lang(lang)] = draft
        for lang in self.languages:
            if lang not in value:
                self.error(f"declaration.files.{lang}", "is required (every meeting language)")
        if self.errors or not drafts:
            return None
        counts = {lang: len(d.articles) for lang, d in drafts.items()}
        if len(set(counts.values())) > 1:
            listed = ", ".join(f"{lang}: {n}" for lang, n in counts.items())
            self.error(
                "declaration.files",
                f"the language files have different numbers of articles ({listed})",
            )
            return None
        return self._assemble(drafts, date)

    def _read_draft(self, rel: object, path: str) -> MarkdownDraft | None:
        if not isinstance(rel, str):
            self.error(path, f"expected a file path, got {_type_name(rel)}")
            return None
        # confined to the meeting file's folder: a meeting file from elsewhere must not make a
        # private file (or /dev/zero) the declaration
        folder = (self.base_dir or Path.cwd()).resolve()
        if PurePath(rel).is_absolute() or "\0" in rel:
            self.error(path, f"{rel!r}: give a path relative to the meeting file's folder")
            return None
        file = (folder / rel).resolve()
        if not file.is_relative_to(folder):
            self.error(path, f"{rel!r} is outside the meeting file's folder")
            return None
        try:
            raw = read_file(file, MAX_DRAFT_BYTES, field=path)
            if raw.startswith(b"PK\x03\x04"):
                self.error(
                    path,
                    f"{rel} is a Word (.docx) or other ZIP file, not a Markdown draft: save it "
                    "as text, or import Word drafts after loading with 'consensus-kit import-docx'",
                )
                return None
            text = raw.decode("utf-8")
        except InvalidInput as exc:
            self.error(path, exc.reason.replace(str(file), repr(rel)))
            return None
        except UnicodeDecodeError as exc:
            self.error(path, f"cannot read {rel!r} (not valid UTF-8 at byte {exc.start})")
            return None
        try:
            return parse_markdown_draft(text)
        except ValueError as exc:
            self.error(path, f"{rel}: {exc}")
            return None

    def _assemble(
        self, drafts: dict[Lang, MarkdownDraft], date: dt.date | None
    ) -> Declaration | None:
        def collect(
            get: Callable[[MarkdownDraft], str], field: str, limit: int, required: bool
        ) -> dict[Lang, str]:
            out: dict[Lang, str] = {}
            for lang, draft in drafts.items():
                checked = self.text(
                    get(draft), f"declaration.files.{lang}: {field}", limit, required
                )
                if checked:
                    out[lang] = checked
            return out

        title = collect(lambda d: d.title, "title", LIMITS["title"], True)
        subtitle = collect(lambda d: d.subtitle, "subtitle", LIMITS["title"], False)
        preamble = collect(lambda d: d.preamble, "preamble", LIMITS["preamble"], False)
        n = len(next(iter(drafts.values())).articles)

        def article(i: int) -> Article:
            def text_of(draft: MarkdownDraft) -> str:
                return draft.articles[i]

            texts = collect(text_of, f"article {i + 1}", LIMITS["article"], True)
            return Article(id=ArticleId(f"art-{i + 1}"), text=texts)

        articles = [article(i) for i in range(n)]
        if self.errors:
            return None
        return Declaration(
            title=title, subtitle=subtitle, preamble=preamble, articles=tuple(articles), date=date
        )
