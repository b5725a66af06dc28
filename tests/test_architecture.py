"""The shape of the code: imports point inward, the public API is complete."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import consensus_kit
import webui
from consensus_kit import MeetingService, SqlStore
from consensus_kit.service.doors import Door

PACKAGE = Path(consensus_kit.__file__).parent
WEBUI = Path(webui.__file__).parent
SERVICE = "consensus_kit.service"


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


def test_no_file_in_the_library_or_the_web_ui_passes_four_hundred_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for top in (PACKAGE, WEBUI)
        for p in top.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}, "split these files by concept"


def module_graph(*packages: Path) -> dict[str, set[str]]:
    """Each module of ``packages`` and the modules of ``packages`` it imports by name."""
    paths: dict[str, Path] = {}
    for top in packages:
        for path in top.rglob("*.py"):
            parts = list(path.relative_to(top.parent).with_suffix("").parts)
            paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in paths)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    found.add(child if child in paths else base)
        graph[name] = {m for m in found if m in paths and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back_through_others() -> None:
    """Imports inside functions and under ``TYPE_CHECKING`` count: a cycle is a cycle."""
    assert cycles(module_graph(PACKAGE, WEBUI)) == []


def service_classes() -> list[type]:
    classes = []
    for path in sorted((PACKAGE / "service").glob("*.py")):
        module = importlib.import_module(f"consensus_kit.service.{path.stem}")
        classes += [
            c
            for c in vars(module).values()
            if isinstance(c, type) and c.__module__ == module.__name__
        ]
    return classes


def test_no_room_of_the_service_inherits_another() -> None:
    inherited = {
        c.__qualname__: [b.__qualname__ for b in c.__mro__[1:] if b.__module__.startswith(SERVICE)]
        for c in service_classes()
    }
    assert {c: bases for c, bases in inherited.items() if bases} == {}


def test_the_facade_is_composed_of_rooms_and_adds_no_operation_of_its_own() -> None:
    own = {
        name
        for name, value in vars(MeetingService).items()
        if callable(value) and not name.startswith("_") and not isinstance(value, Door)
    }
    assert own == set()
    service = MeetingService(SqlStore.open("sqlite://"))
    for name, value in vars(MeetingService).items():
        if isinstance(value, Door):
            bound = getattr(service, name)
            room = service._rooms[value.room]
            assert bound.__self__ is room, name
            assert value.method is getattr(type(room), name), name
    service.store.close()


def test_a_room_names_the_rooms_it_uses_in_its_constructor() -> None:
    """A room keeps the context and the rooms it was given, nothing else it could reach into."""
    rooms = MeetingService(SqlStore.open("sqlite://"))._rooms.values()
    for room in rooms:
        given = set(inspect.signature(type(room).__init__).parameters) - {"self"}
        held = {k.removeprefix("_") for k, v in vars(room).items() if hasattr(v, "_ctx")}
        assert held <= given, type(room).__name__
