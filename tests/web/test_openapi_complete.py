"""Every operation of the OpenAPI schema is documented for a reader who has only the schema: a
summary written by a person, a description, each parameter's meaning and allowed values, and
its error answers, each with an example body. A new route without them fails here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consensus_kit import open_service
from webui import Settings, create_app

METHODS = ("get", "post", "put", "patch", "delete")
CHOICES = {"action", "fmt", "target"}  # parameters with a closed set of values: an enum
LANGS = {"lang"}  # a language of the meeting: a pattern (the meeting decides which)


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'schema.db'}"
    open_service(db).store.close()
    app = create_app(Settings(db=db, secret="openapi"))
    data: dict[str, Any] = json.loads(json.dumps(app.openapi_schema.to_schema(), default=str))
    app.state.service.store.close()
    return data


def operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_the_schema_has_the_api(schema: dict[str, Any]) -> None:
    assert len(operations(schema)) >= 40


def test_every_operation_has_a_summary_and_a_description(schema: dict[str, Any]) -> None:
    for name, op in operations(schema):
        summary = op.get("summary", "")
        # Litestar's default is the handler's name in one word ("Move"): a person writes more
        assert " " in summary.strip(), f"{name}: summary= in the decorator ({summary!r})"
        assert len(op.get("description", "").strip()) >= 20, f"{name}: a docstring"


def test_every_parameter_says_what_it_is_and_which_values_it_takes(
    schema: dict[str, Any],
) -> None:
    for name, op in operations(schema):
        for parameter in op.get("parameters", []):
            where = f"{name} {parameter['name']}"
            assert parameter.get("description", "").strip(), f"{where}: a description"
            kind = parameter.get("schema", {})
            variants = kind.get("oneOf", [kind])
            if parameter["name"] in CHOICES:
                assert any(v.get("enum") for v in variants), f"{where}: its values as an enum"
            if parameter["name"] in LANGS:
                items = [v.get("items", v) for v in variants]
                assert any(v.get("pattern") for v in items), f"{where}: a language pattern"
            if any(v.get("type") == "integer" for v in variants):
                bounded = [v for v in [*variants, kind] if "minimum" in v or "maximum" in v]
                assert bounded, f"{where}: its bounds"


def test_every_operation_lists_its_errors_with_examples(schema: dict[str, Any]) -> None:
    for name, op in operations(schema):
        if not name.split()[1].startswith("/api/"):
            # /healthz and /readyz are a balancer's probes: /healthz has no error answer (a
            # dead process does not answer at all) and /readyz's 503 carries its own body,
            # what it checked (tests/web/test_health.py holds both to their documentation)
            continue
        errors = {s: r for s, r in op["responses"].items() if s.startswith(("4", "5"))}
        assert errors, f"{name}: responses=errors(...)"
        for status, answer in errors.items():
            assert answer.get("description"), f"{name} {status}: a description"
            content = answer.get("content", {}).get("application/json", {})
            examples = content.get("examples", {})
            assert examples, f"{name} {status}: an example body"
            for example in examples.values():
                assert {"code", "message"} <= set(example["value"]), f"{name} {status}"
        if op.get("security"):
            assert "401" in errors, f"{name}: needs a token, so it can answer 401"


def test_the_amendment_actions_are_listed(schema: dict[str, Any]) -> None:
    op = schema["paths"]["/api/v1/amendments/{number}/{action}"]["post"]
    action = next(p for p in op["parameters"] if p["name"] == "action")
    assert set(action["schema"]["enum"]) == {"submit", "withdraw", "cosponsor", "reject"}


def test_the_export_formats_are_listed(schema: dict[str, Any]) -> None:
    op = schema["paths"]["/api/v1/exports/{fmt}"]["get"]
    fmt = next(p for p in op["parameters"] if p["name"] == "fmt")
    assert set(fmt["schema"]["enum"]) == {
        "docx", "parallel-docx", "bilingual-docx", "redline-docx", "md", "json", "akn", "pdf",
        "bilingual-pdf", "parallel-pdf", "votes-pdf",
    }  # fmt: skip


def test_the_decision_rules_are_listed(schema: dict[str, Any]) -> None:
    from consensus_kit import DecisionRule

    rule = schema["components"]["schemas"]["VoteIn"]["properties"]["rule"]
    options = rule.get("oneOf") or rule.get("anyOf") or [rule]
    named = [o["$ref"].rsplit("/", 1)[1] for o in options if "$ref" in o]
    options += [schema["components"]["schemas"][name] for name in named]
    listed = {v for option in options for v in option.get("enum", [])}
    assert listed - {None} == {r.value for r in DecisionRule}, rule  # None: the default


def test_the_consensus_window_states_its_bounds(schema: dict[str, Any]) -> None:
    body = schema["components"]["schemas"]["ConsensusCallIn"]["properties"]["window_seconds"]
    assert body["minimum"] >= 10 and body["maximum"] == 86_400


def test_the_published_reference_page_is_generated_from_this_schema() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "reference" / "http.md"
    assert "<!-- http-api -->" in page.read_text(encoding="utf-8")
