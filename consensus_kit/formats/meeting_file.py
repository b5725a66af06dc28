"""Read and validate a meeting file (TOML): the format is documented in docs/meeting-file.md.

Validation collects *every* problem with its key path and what was expected, so a secretariat
fixes a file in one pass; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any

import msgspec

from consensus_kit.domain.ids import DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.locales import is_country_code, is_language_code
from consensus_kit.domain.model import (
    Declaration,
    Delegate,
    Meeting,
    Organisation,
    Role,
)
from consensus_kit.domain.text import LIMITS
from consensus_kit.errors import InvalidInput, MeetingFileError, Problem
from consensus_kit.formats.bounded import read_file, toml_shape_problem
from consensus_kit.formats.declaration_file import DeclarationChecks
from consensus_kit.formats.procedure_file import ProcedureChecks

__all__ = ["MeetingFile", "parse_meeting_file", "read_meeting_file"]

MAX_FILE_BYTES = 20_000_000
MAX_TOML_DEPTH = 32
"""Arrays and inline tables nest at most this deep in a meeting file (it needs 3)."""
MAX_TOML_DOTS = 15
"""A dotted key or table header has at most this many dots (a meeting file needs 3)."""

_TOP_KEYS = {
    *("meeting", "decision", "procedure", "lines", "organisations", "delegates", "declaration"),
}
_MEETING_KEYS = {
    "id",
    "title",
    "place",
    "start",
    "end",
    "languages",
    "negotiating_language",
    "organisers",
    "timezone",
}
_ORG_KEYS = {"id", "name", "country", "country_name", "region", "observer", "weight"}
_DELEGATE_KEYS = {"id", "name", "organisation", "roles", "title"}
_DECLARATION_KEYS = {"date", "title", "subtitle", "preamble", "articles", "files"}
_ARTICLE_KEYS = {"id", "text"}


class MeetingFile(msgspec.Struct, frozen=True, kw_only=True):
    """A validated meeting file: the meeting, its first draft, and any warnings."""

    source: str
    meeting: Meeting
    declaration: Declaration
    warnings: tuple[Problem, ...] = ()


def read_meeting_file(path: str | Path) -> MeetingFile:
    """Read and validate the meeting file at ``path``.

    >>> mf = read_meeting_file("examples/a20_2018/meeting.toml")  # from a checkout
    >>> mf.meeting.id
    'a20-2018'

    Raises :class:`~consensus_kit.errors.MeetingFileError` listing every problem.
    """
    file = Path(path)
    try:
        raw = read_file(file, MAX_FILE_BYTES, field="meeting file")
    except InvalidInput as exc:
        problem = Problem("", exc.reason.replace(str(file), "the file", 1))
        raise MeetingFileError(str(path), [problem]) from None
    if raw.startswith(b"PK\x03\x04"):
        raise MeetingFileError(
            str(path),
            [Problem("", "a Word (.docx) or other ZIP file, not a TOML meeting file")],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MeetingFileError(
            str(path), [Problem("", f"not valid UTF-8 (byte {exc.start})")]
        ) from None
    return parse_meeting_file(text, source=str(path), base_dir=file.parent)


def parse_meeting_file(
    text: str, *, source: str = "<meeting file>", base_dir: Path | None = None
) -> MeetingFile:
    """Validate a meeting file given as TOML text. ``base_dir`` resolves ``declaration.files``."""
    if len(text) > MAX_FILE_BYTES:
        problem = f"the file is {len(text):,} characters; the limit is {MAX_FILE_BYTES:,}"
        raise MeetingFileError(source, [Problem("", problem)])
    shape = toml_shape_problem(text, depth=MAX_TOML_DEPTH, dots=MAX_TOML_DOTS)
    if shape is not None:
        raise MeetingFileError(source, [Problem("", f"not a meeting file: {shape}")])
    try:
        data = tomllib.loads(text.replace("\r\n", "\n"))
    except tomllib.TOMLDecodeError as exc:
        raise MeetingFileError(source, [Problem("", f"not valid TOML: {exc}")]) from None
    except RecursionError:  # a shape the check above let through
        problem = "not a meeting file: nested too deeply"
        raise MeetingFileError(source, [Problem("", problem)]) from None
    checker = _Checker(base_dir)
    result = checker.file(data)
    if checker.errors or result is None:
        raise MeetingFileError(source, checker.errors)
    meeting, declaration = result
    return MeetingFile(
        source=source, meeting=meeting, declaration=declaration, warnings=tuple(checker.warnings)
    )


class _Checker(DeclarationChecks, ProcedureChecks):
    """Validation of the meeting, its decision rules, organisations and delegates."""

    # -- sections -----------------------------------------------------------------------------

    def file(self, data: dict[str, Any]) -> tuple[Meeting, Declaration] | None:
        self.table(data, "", _TOP_KEYS, ["meeting", "organisations", "delegates", "declaration"])
        head = self.meeting_head(data.get("meeting", {}))
        decision = self.decision(data.get("decision", {}))
        procedure = self.procedure(data.get("procedure", {}))
        lines = self.lines(data.get("lines", {}))
        organisations = self.organisations(data.get("organisations", []))
        delegates = self.delegates(data.get("delegates", []), organisations)
        declaration = self.declaration(data.get("declaration", {}))
        if self.errors or head is None or declaration is None:
            return None
        meeting = msgspec.structs.replace(
            head,
            decision=decision,
            procedure=procedure,
            lines=lines,
            organisations=tuple(organisations),
            delegates=tuple(delegates),
        )
        return meeting, declaration

    def meeting_head(self, value: object) -> Meeting | None:
        t = self.table(
            value,
            "meeting",
            _MEETING_KEYS,
            ["id", "title", "place", "start", "end", "languages", "negotiating_language"],
        )
        if t is None:
            return None
        self.meeting_languages(t)
        meeting_id = self.ident(t.get("id"), "meeting.id") if "id" in t else None
        title = self.texts(
            t.get("title", {}), "meeting.title", LIMITS["title"], every_language=True
        )
        place = self.texts(
            t.get("place", {}), "meeting.place", LIMITS["title"], every_language=True
        )
        organisers = self.texts(
            t.get("organisers", {}),
            "meeting.organisers",
            LIMITS["title"],
            every_language=False,
            required=False,
        )
        start = (
            self.typed(t["start"], "meeting.start", dt.date, "a date (YYYY-MM-DD)")
            if "start" in t
            else None
        )
        end = (
            self.typed(t["end"], "meeting.end", dt.date, "a date (YYYY-MM-DD)")
            if "end" in t
            else None
        )
        if start and end and end < start:
            self.error(
                "meeting.end", f"{end.isoformat()} is before the start ({start.isoformat()})"
            )
        timezone = self.timezone(t.get("timezone", "UTC"))
        if None in (meeting_id, title, place, start, end, self.negotiating) or not self.languages:
            return None
        assert meeting_id and title is not None and place is not None and self.negotiating
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        return Meeting(
            id=MeetingId(meeting_id),
            title=title,
            place=place,
            start=start,
            end=end,
            languages=self.languages,
            negotiating_language=self.negotiating,
            organisers=organisers or {},
            timezone=timezone,
        )

    def timezone(self, value: object) -> str:
        """An IANA time zone name (``Asia/Shanghai``); UTC after an error."""
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            if isinstance(value, str) and len(value) <= 64 and zoneinfo.ZoneInfo(value):
                return value
        self.error("meeting.timezone", f"{value!r} is not a time zone, e.g. 'Asia/Shanghai'")
        return "UTC"

    def meeting_languages(self, t: dict[str, Any]) -> None:
        langs = t.get("languages")
        if langs is None:
            return
        if not isinstance(langs, list) or not langs:
            self.error(
                "meeting.languages",
                'expected a non-empty array of language codes, e.g. ["en", "zh"]',
            )
            return
        seen: list[Lang] = []
        for i, lang in enumerate(langs):
            path = f"meeting.languages[{i}]"
            if not isinstance(lang, str) or not is_language_code(lang):
                self.error(
                    path,
                    f"{lang!r} is not a known language code (BCP 47, e.g. 'en', 'zh', 'pt-BR')",
                )
            elif lang in seen:
                self.error(path, f"{lang!r} is listed twice")
            else:
                seen.append(Lang(lang))
        self.languages = tuple(seen)
        neg = t.get("negotiating_language")
        if neg is None:
            return
        if neg not in seen:
            self.error(
                "meeting.negotiating_language",
                f"{neg!r} is not one of the meeting's languages ({', '.join(seen)})",
            )
        else:
            self.negotiating = Lang(neg)

    def organisations(self, value: object) -> list[Organisation]:
        result: list[Organisation] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(self._array(value, "organisations", "organisations")):
            path = f"organisations[{i}]"
            t = self.table(item, path, _ORG_KEYS, ["id", "name"])
            if t is None:
                continue
            org_id = self.ident(t["id"], f"{path}.id") if "id" in t else None
            unique = self._unique(f"{path}.id", org_id, seen, "organisation")
            name = self.texts(
                t.get("name", {}), f"{path}.name", LIMITS["name"], every_language=False
            )
            observer = bool(
                self.typed(t.get("observer", False), f"{path}.observer", bool, "true or false")
            )
            country = self.country(t, path, observer)
            official = self.texts(
                t.get("country_name", {}),
                f"{path}.country_name",
                LIMITS["name"],
                every_language=False,
                required=False,
            )
            region = None
            if "region" in t:
                region = self.text(t["region"], f"{path}.region", 64)
            elif not observer:
                self.error(
                    f"{path}.region", "is required for an organisation that votes (e.g. 'Asia')"
                )
            weight = self.typed(t.get("weight", 1), f"{path}.weight", int, "a whole number ≥ 1")
            if weight is not None and weight < 1:
                self.error(f"{path}.weight", f"{weight} is less than 1")
            if unique and org_id and name:
                result.append(
                    Organisation(
                        id=OrgId(org_id),
                        name=name,
                        country=country,
                        region=region,
                        observer=observer,
                        weight=weight or 1,
                        country_name=official or {},
                    )
                )
        return result

    def country(self, t: dict[str, Any], path: str, observer: bool) -> str | None:
        if "country" not in t:
            if not observer:
                self.error(
                    f"{path}.country",
                    "is required for an organisation that votes (ISO 3166-1 alpha-2, e.g. 'KE')",
                )
            return None
        code = t["country"]
        if not isinstance(code, str) or not is_country_code(code):
            self.error(
                f"{path}.country",
                f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. 'CN', 'KE', 'HU')",
            )
            return None
        return code

    def delegates(self, value: object, organisations: list[Organisation]) -> list[Delegate]:
        orgs = {o.id: o for o in organisations}
        result: list[Delegate] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(self._array(value, "delegates", "delegates")):
            path = f"delegates[{i}]"
            t = self.table(item, path, _DELEGATE_KEYS, ["id", "name", "roles"])
            if t is None:
                continue
            delegate_id = self.ident(t["id"], f"{path}.id") if "id" in t else None
            unique = self._unique(f"{path}.id", delegate_id, seen, "delegate")
            name = self.text(t["name"], f"{path}.name", LIMITS["name"]) if "name" in t else None
            title = self.text(t.get("title", ""), f"{path}.title", LIMITS["title"], required=False)
            roles = self.roles(t.get("roles"), f"{path}.roles") if "roles" in t else None
            org: Organisation | None = None
            if "organisation" in t:
                org_ref = t["organisation"]
                org = orgs.get(OrgId(org_ref)) if isinstance(org_ref, str) else None
                if org is None:
                    self.error(
                        f"{path}.organisation",
                        f"{org_ref!r} is not the id of an organisation in this file",
                    )
            if roles is not None:
                self.role_fits(path, roles, org, bool("organisation" in t))
            if unique and delegate_id and name and roles is not None and title is not None:
                result.append(
                    Delegate(
                        id=DelegateId(delegate_id),
                        name=name,
                        organisation=org.id if org else None,
                        roles=roles,
                        title=title,
                    )
                )
        self.required_roles(value)
        return result

    def roles(self, value: object, path: str) -> frozenset[Role] | None:
        if not isinstance(value, list) or not value:
            self.error(path, 'expected a non-empty array of roles, e.g. ["delegate", "signatory"]')
            return None
        roles: set[Role] = set()
        for j, role in enumerate(value):
            try:
                roles.add(Role(role))
            except ValueError:
                self.error(
                    f"{path}[{j}]",
                    f"{role!r} is not a role (expected one of: {', '.join(r.value for r in Role)})",
                )
                return None
        return frozenset(roles)

    def role_fits(
        self, path: str, roles: frozenset[Role], org: Organisation | None, has_org: bool
    ) -> None:
        acting = roles & {Role.DELEGATE, Role.SIGNATORY}
        if acting and not has_org:
            self.error(
                f"{path}.organisation",
                "is required for a delegate or signatory (the organisation they act for)",
            )
        if acting and org is not None and org.observer:
            self.error(
                f"{path}.roles",
                f"an observer organisation ({org.id}) cannot have delegates or signatories; "
                "use 'observer'",
            )
        if Role.OBSERVER in roles and acting:
            self.error(f"{path}.roles", "an observer cannot also be a delegate or signatory")

    def required_roles(self, raw: object) -> None:
        if not isinstance(raw, list):
            return
        named = {
            role
            for item in raw
            if isinstance(item, dict) and isinstance(item.get("roles"), list)
            for role in item["roles"]
        }
        for role in (Role.CHAIR, Role.SECRETARIAT):
            if role.value not in named:
                self.error(
                    "delegates", f"no delegate has the role {role.value!r}; a meeting needs one"
                )
