"""Who a change is credited to, per language: the exports' redlines and Akoma Ntoso
expressions credit only the amendments that changed that language's words."""

from __future__ import annotations

from consensus_kit.domain.amendments import TEXT_KINDS, Amendment
from consensus_kit.domain.declaration import ChangeKind, compare_declarations
from consensus_kit.domain.ids import DelegateId, Lang
from consensus_kit.domain.model import Declaration, Meeting, Version
from consensus_kit.domain.tracking import TEXT_PARTS

__all__ = ["author", "changed_parts", "changes"]


def changes(amendment: Amendment, lang: str) -> bool:
    """Whether an adopted amendment changed the words of ``lang`` (moving or deleting an
    article changes every language; a text amendment only the languages whose words differ
    from the ones it was written against)."""
    if amendment.kind not in TEXT_KINDS:
        return True
    code = Lang(lang)
    return code in amendment.texts and amendment.texts[code] != amendment.base_texts.get(code)


def changed_parts(before: Declaration, after: Declaration, lang: str) -> list[str]:
    """The parts whose words in ``lang`` differ (or moved) between two declarations."""
    parts: list[str] = [
        c.article
        for c in compare_declarations(before, after, Lang(lang))
        if c.kind is not ChangeKind.UNCHANGED
    ]
    for part in TEXT_PARTS:
        if _words_of(before, part, lang) != _words_of(after, part, lang):
            parts.append(part)
    return parts


def _words_of(declaration: Declaration, part: str, lang: str) -> str | None:
    texts: dict[Lang, str] = getattr(declaration, part)
    return texts.get(Lang(lang))


def author(meeting: Meeting, version: Version, amendment: Amendment | None, lang: str) -> str:
    """Who a change in ``version`` is credited to, named in ``lang`` where possible."""
    if amendment is not None:
        org = meeting.organisation(amendment.sponsor)
        return org.name_in(Lang(lang), meeting.negotiating_language) if org else amendment.sponsor
    delegate = meeting.delegate(DelegateId(version.created_by))
    return delegate.name if delegate else "Secretariat"
