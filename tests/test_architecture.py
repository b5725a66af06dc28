"""The shape of the code: imports point inward, the public API is complete."""

from __future__ import annotations

import ast
from pathlib import Path

import consensus_kit

PACKAGE = Path(consensus_kit.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def imports_of(layer: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE)): imported_modules(path)
        for path in (PACKAGE / layer).rglob("*.py")
    }


def test_domain_imports_nothing_from_storage_web_or_docx() -> None:
    forbidden = (
        "sqlalchemy",
        "alembic",
        "litestar",
        "docx",
        "webui",
        "consensus_kit.storage",
        "consensus_kit.service",
        "consensus_kit.formats",
        "consensus_kit.cli",
    )
    for path, modules in imports_of("domain").items():
        bad = {m for m in modules if m.startswith(forbidden)}
        assert not bad, f"domain/{path} imports {bad}"


def test_service_imports_no_sqlalchemy_or_web() -> None:
    forbidden = (
        "sqlalchemy",
        "alembic",
        "litestar",
        "webui",
        "consensus_kit.storage",
        "consensus_kit.cli",
    )
    for path, modules in imports_of("service").items():
        bad = {m for m in modules if m.startswith(forbidden)}
        assert not bad, f"service/{path} imports {bad}"


def test_storage_holds_no_web_code() -> None:
    for path, modules in imports_of("storage").items():
        bad = {m for m in modules if m.startswith(("litestar", "webui", "consensus_kit.cli"))}
        assert not bad, f"storage/{path} imports {bad}"


def test_all_lists_every_public_name_and_only_those() -> None:
    for name in consensus_kit.__all__:  # names load on first use (PEP 562): load them all
        getattr(consensus_kit, name)
    public = {
        name
        for name in vars(consensus_kit)
        if not name.startswith("_")
        and not isinstance(getattr(consensus_kit, name), type(consensus_kit))
    } | {"__version__"}
    public -= {"annotations"}
    assert set(consensus_kit.__all__) == public
    assert consensus_kit.__all__ == sorted(
        consensus_kit.__all__, key=lambda n: (not n.isupper(), n)
    )


def test_cli_uses_only_the_public_api_and_domain_helpers() -> None:
    for path in (PACKAGE / "cli").glob("*.py"):
        internal = {
            m
            for m in imported_modules(path)
            if m.startswith("consensus_kit.")
            and not m.startswith(("consensus_kit.domain", "consensus_kit.cli"))
        }
        assert internal == set(), f"cli/{path.name} imports {internal}"


def test_no_module_grows_past_five_hundred_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}, "split these files by concept"
