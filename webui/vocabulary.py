"""Words the templates translate from values (roles, statuses, choices, rules…), listed here
so that the catalogue extractor sees them."""

from __future__ import annotations

from webui.pages._common import N_

__all__ = ["WORDS"]

WORDS = (
    # roles
    N_("delegate"), N_("signatory"), N_("chair"), N_("secretariat"), N_("observer"),
    # amendment kinds
    N_("replace"), N_("insert"), N_("delete"), N_("move"), N_("title"), N_("preamble"),
    # amendment statuses and version states
    N_("draft"), N_("submitted"), N_("withdrawn"), N_("under vote"), N_("adopted"),
    N_("rejected"), N_("needs update"), N_("superseded"), N_("set aside"), N_("frozen"),
    N_("in compromise"), N_("merged"),
    # choices
    N_("yes"), N_("no"), N_("abstain"), N_("object"),
    # vote states and outcomes
    N_("open"), N_("closed"), N_("no quorum"), N_("cancelled"),
    # rules
    N_("consensus"), N_("simple majority"), N_("two thirds"), N_("absolute majority"),
    N_("unanimity"),
    # article changes
    N_("unchanged"), N_("changed"), N_("inserted"), N_("deleted"), N_("moved"),
    N_("moved and changed"), N_("moved_and_changed"),
    # notes the library writes on versions
    N_("first draft, from the meeting file"), N_("translations updated"),
    # lint severities
    N_("error"), N_("warning"),
)  # fmt: skip
