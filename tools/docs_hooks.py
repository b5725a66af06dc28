"""MkDocs hooks: the two reference pages are generated from the code at build time.

- ``reference/python.md``: one mkdocstrings entry per name in ``consensus_kit.__all__``,
  grouped by the module it comes from, and one per door of ``MeetingService`` (the facade's
  methods are descriptors: each is documented from the room method it opens onto).
- ``reference/http.md``: every operation of the web UI's OpenAPI schema (summary, description,
  parameters with their allowed values, request body, answers and error examples), and the
  schema itself as ``reference/openapi.json``.

Nothing here fetches anything: the schema comes from ``webui.create_app`` over a temporary
SQLite file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

import consensus_kit as ck
from consensus_kit.service.doors import Door
from consensus_kit.service.service import MeetingService
from webui import Settings, create_app

PYTHON_MARK = "<!-- python-api -->"
HTTP_MARK = "<!-- http-api -->"
METHODS = ("get", "post", "put", "patch", "delete")

_schema_cache: dict[str, Any] = {}


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI schema of the web UI, as JSON data (built once per build)."""
    if not _schema_cache:
        with tempfile.TemporaryDirectory() as folder:
            db = f"sqlite:///{Path(folder) / 'schema.db'}"
            service = ck.open_service(db)
            service.store.close()
            app = create_app(Settings(db=db, secret="docs"))
            schema = json.loads(json.dumps(app.openapi_schema.to_schema(), default=str))
            app.state.service.store.close()
        _schema_cache.update(schema)
    return _schema_cache


def python_reference() -> str:
    """The mkdocstrings directives for everything in ``consensus_kit.__all__``."""
    exported = {name for names in ck._EXPORTS.values() for name in names}
    in_init = sorted(n for n in ck.__all__ if n not in exported and n != "__version__")
    lines = ["## `consensus_kit`", ""]
    lines += [f"::: consensus_kit.{name}" for name in in_init]
    lines += ["", "`consensus_kit.__version__`: the version of the installed package.", ""]
    lines += ["## `MeetingService`", "", "::: consensus_kit.service.service.MeetingService"]
    lines += ["    options:", "      members: false", ""]
    rooms = "[Architecture](../architecture.md)"
    lines += [f"Its methods, each a door onto one room of the service (see {rooms}):", ""]
    for name, value in vars(MeetingService).items():
        if isinstance(value, Door):
            target = f"{value.method.__module__}.{value.method.__qualname__}"
            lines += [f"::: {target}", "    options:", f"      heading: MeetingService.{name}"]
            lines += [f"      toc_label: {name}", "      heading_level: 4", ""]
    for module, names in ck._EXPORTS.items():
        public = [n for n in names if n != "MeetingService"]
        if not public:
            continue
        lines += [f"## `{module.removeprefix('consensus_kit.')}`", ""]
        for name in public:
            lines += [f"::: {module}.{name}", ""]
    return "\n".join(lines)


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    if "oneOf" in schema or "anyOf" in schema:
        return " or ".join(_type(s) for s in schema.get("oneOf") or schema["anyOf"])
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[-1]}`"
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    kind = schema.get("type", "any")
    return f"`{kind}`" if isinstance(kind, str) else " or ".join(f"`{k}`" for k in kind)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def http_reference() -> str:
    """Every operation of the schema as Markdown."""
    schema = openapi_schema()
    out: list[str] = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            out += [f"### {op['summary']}", "", f"`{method.upper()} {path}`", ""]
            out += [op.get("description", "").strip(), ""]
            params = op.get("parameters", [])
            if params:
                out += ["| parameter | in | required | allowed values | meaning |"]
                out += ["|---|---|---|---|---|"]
                for p in params:
                    out.append(
                        f"| `{p['name']}` | {p['in']} | {'yes' if p.get('required') else 'no'} "
                        f"| {_type(p.get('schema', {}))} | {_cell(p.get('description', ''))} |"
                    )
                out.append("")
            body = op.get("requestBody")
            if body:
                content = next(iter(body["content"].values()))
                out += [f"Body: {_type(content.get('schema', {}))}.", ""]
            out += ["| status | meaning | example |", "|---|---|---|"]
            for status, answer in op.get("responses", {}).items():
                examples = next(iter(answer.get("content", {}).values()), {}).get("examples", {})
                example = next(iter(examples.values()), {}).get("value") if examples else None
                shown = f"`{json.dumps(example, ensure_ascii=False)}`" if example else ""
                out.append(f"| {status} | {_cell(answer.get('description', ''))} | {shown} |")
            out.append("")
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Fill the marked places of the two reference pages."""
    if PYTHON_MARK in markdown:
        markdown = markdown.replace(PYTHON_MARK, python_reference())
    if HTTP_MARK in markdown:
        markdown = markdown.replace(HTTP_MARK, http_reference())
    return markdown


def on_files(files: Any, config: Any, **_: Any) -> Any:
    """Publish the OpenAPI schema beside the HTTP reference."""
    content = json.dumps(openapi_schema(), indent=1, ensure_ascii=False)
    files.append(File.generated(config, "reference/openapi.json", content=content))
    return files
