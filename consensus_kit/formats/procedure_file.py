"""The ``[decision]``, ``[procedure]`` and ``[lines]`` tables of a meeting file: the meeting's
default decision rule, its rules of procedure and the length of a numbered line.

Every key is optional; the defaults keep an objection to a call for consensus binding and a
rejected amendment closed (see ``docs/meeting-file.md``).
"""

from __future__ import annotations

from consensus_kit.domain.model import (
    DecisionDefaults,
    DecisionRule,
    LineWidths,
    Procedure,
    Reconsideration,
)
from consensus_kit.formats.checker import Checker

__all__ = ["ProcedureChecks"]

_DECISION_KEYS = {"rule", "quorum", "secret"}
_KEYS = {
    "consensus_fallback",
    "text_rule",
    "text_quorum",
    "reconsideration",
    "reconsideration_rule",
    "min_consensus_window",
}
_LINE_KEYS = {"latin": (20, 400), "cjk": (10, 200)}
_RULES = ", ".join(r.value for r in DecisionRule)


class ProcedureChecks(Checker):
    """Validation of how decisions are taken: ``[decision]`` and ``[procedure]``."""

    def decision(self, value: object) -> DecisionDefaults:
        t = self.table(value, "decision", _DECISION_KEYS, [])
        if not t:
            return DecisionDefaults()
        rule = DecisionRule.CONSENSUS
        if "rule" in t:
            try:
                rule = DecisionRule(t["rule"])
            except ValueError:
                self.error(
                    "decision.rule",
                    f"{t['rule']!r} is not a rule "
                    f"(expected one of: {', '.join(r.value for r in DecisionRule)})",
                )
        quorum = 0.5
        if "quorum" in t:
            q = self.typed(t["quorum"], "decision.quorum", float, "a number between 0 and 1")
            if q is not None and not 0 <= q <= 1:
                self.error("decision.quorum", f"{q} is not between 0 and 1")
            elif q is not None:
                quorum = q
        secret = False
        if "secret" in t:
            secret = bool(self.typed(t["secret"], "decision.secret", bool, "true or false"))
        return DecisionDefaults(rule=rule, quorum=quorum, secret=secret)

    def procedure(self, value: object) -> Procedure:
        t = self.table(value, "procedure", _KEYS, [])
        if not t:
            return Procedure()
        fallback = self._rule(t, "consensus_fallback", allow_none=True)
        text_rule = self._rule(t, "text_rule", allow_none=False)
        text_quorum = None
        if "text_quorum" in t:
            q = self.typed(t["text_quorum"], "procedure.text_quorum", float, "a number 0–1")
            if q is not None and not 0 <= q <= 1:
                self.error("procedure.text_quorum", f"{q} is not between 0 and 1")
            else:
                text_quorum = q
        reconsideration = Reconsideration.NONE
        if "reconsideration" in t:
            try:
                reconsideration = Reconsideration(t["reconsideration"])
            except ValueError:
                choices = ", ".join(r.value for r in Reconsideration)
                self.error(
                    "procedure.reconsideration",
                    f"{t['reconsideration']!r} is not one of: {choices}",
                )
        motion_rule = self._motion_rule(t, reconsideration)
        window = 10
        if "min_consensus_window" in t:
            w = self.typed(
                t["min_consensus_window"], "procedure.min_consensus_window", int, "seconds"
            )
            if w is not None and not 10 <= w <= 86_400:
                self.error("procedure.min_consensus_window", f"{w} is not between 10 and 86400")
            elif w is not None:
                window = w
        return Procedure(
            consensus_fallback=fallback,
            text_rule=text_rule,
            text_quorum=text_quorum,
            reconsideration=reconsideration,
            min_consensus_window=window,
            reconsideration_rule=motion_rule,
        )

    def _motion_rule(self, t: dict[str, object], reconsideration: Reconsideration) -> DecisionRule:
        """``reconsideration_rule``: the rule of a vote on a motion to reconsider (two thirds
        unless given); only with ``reconsideration = "vote"``, and never consensus (a motion is
        decided by a recorded vote)."""
        if "reconsideration_rule" not in t:
            return DecisionRule.TWO_THIRDS
        value = t["reconsideration_rule"]
        if reconsideration is not Reconsideration.VOTE:
            self.error(
                "procedure.reconsideration_rule",
                'applies only with reconsideration = "vote"',
            )
            return DecisionRule.TWO_THIRDS
        rules = [r for r in DecisionRule if r is not DecisionRule.CONSENSUS]
        rule = next((r for r in rules if r.value == value), None)
        if rule is None:
            self.error(
                "procedure.reconsideration_rule",
                f"{value!r} is not a rule for a motion to reconsider "
                f"(expected one of: {', '.join(r.value for r in rules)})",
            )
            return DecisionRule.TWO_THIRDS
        return rule

    def lines(self, value: object) -> LineWidths:
        """``[lines]``: the length of a numbered line, ``latin`` columns and ``cjk`` characters."""
        t = self.table(value, "lines", set(_LINE_KEYS), [])
        if not t:
            return LineWidths()
        widths: dict[str, int] = {}
        for key, (low, high) in _LINE_KEYS.items():
            if key not in t:
                continue
            n = self.typed(t[key], f"lines.{key}", int, "a whole number")
            if n is not None and not low <= n <= high:
                self.error(f"lines.{key}", f"{n} is not between {low} and {high}")
            elif n is not None:
                widths[key] = n
        return LineWidths(**widths)

    def _rule(self, t: dict[str, object], key: str, *, allow_none: bool) -> DecisionRule | None:
        if key not in t:
            return None
        value = t[key]
        if allow_none and value == "none":
            return None
        try:
            rule = DecisionRule(str(value)) if isinstance(value, str) else None
        except ValueError:
            rule = None
        if rule is None:
            more = ' or "none"' if allow_none else ""
            self.error(f"procedure.{key}", f"{value!r} is not a rule (expected {_RULES}{more})")
            return None
        if allow_none and rule is DecisionRule.CONSENSUS:
            self.error(f"procedure.{key}", 'consensus cannot fall back on consensus: use "none"')
            return None
        return rule
