"""A command builds the parser of its own module and loads what it uses, nothing more: an
export is a process a user waits for (bench/bench_docx.py times it against pandoc)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from consensus_kit.cli import COMMAND_MODULES, MODULES, build_parser, command_of
from consensus_kit.cli._common import Commands
from tests.cli.test_cli import A20, ROOT, run


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_the_table_of_commands_names_the_module_that_registers_each() -> None:
    found: dict[str, str] = {}
    for name in MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="command")
        importlib.import_module(f"consensus_kit.cli.{name}").register(Commands(sub))
        found |= dict.fromkeys(sub.choices, name)
    assert found == COMMAND_MODULES
    assert _commands(build_parser()) == list(found)  # every command, in the order of --help


@pytest.mark.parametrize(
    "line",
    [
        "export --db x.db --format docx --lang zh --out o.docx",
        "export --db x.db --format bilingual-docx --lang en,zh --out o.docx --no-line-numbers",
        "vote cast 3 yes --as kenya-delegate --db x.db",
        "amend propose --kind replace --text en=words --as chair --db x.db",
        "show --db x.db --lang zh",
    ],
)
def test_a_command_line_parses_alike_with_its_module_alone_or_with_every_command(
    line: str,
) -> None:
    words = line.split()
    alone = build_parser(command_of(words))
    assert len(_commands(alone)) < len(COMMAND_MODULES)
    assert vars(alone.parse_args(words)) == vars(build_parser().parse_args(words))


def test_options_before_the_command_and_mistyped_commands_get_every_command() -> None:
    assert command_of(["--help", "export"]) is None
    assert command_of([]) is None
    assert _commands(build_parser(command_of(["exprot", "--db", "x"]))) == list(COMMAND_MODULES)
    result = run("--help")
    assert result.returncode == 0 and all(name in result.stdout for name in COMMAND_MODULES)
    typo = run("exprot")
    assert typo.returncode == 2 and "'import-docx'" in typo.stderr and "'vote'" in typo.stderr


# What exporting a Word document does not use: the other commands, the other formats, the
# database dialect it does not talk to, migrations, seals, the diff engine.
UNUSED_BY_A_WORD_EXPORT = (
    "alembic",
    "cryptography",
    "rapidfuzz",
    "rich",
    "litestar",
    "uvicorn",
    "weasyprint",
    "sqlalchemy.dialects.postgresql",
    "consensus_kit.formats.akoma_ntoso",
    "consensus_kit.formats.text_export",
    "consensus_kit.formats.pdf_export",
    "consensus_kit.formats.docx_redline",
    *(f"consensus_kit.cli.{name}" for name in MODULES if name != "documents"),
)


@pytest.mark.parametrize(
    "args", [["--format", "docx", "--lang", "zh"], ["--format", "bilingual-docx"]]
)
def test_a_word_export_loads_only_what_it_uses(tmp_path: Path, args: list[str]) -> None:
    db = str(tmp_path / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    out = tmp_path / "a20.docx"
    probe = (
        "import json, sys\n"
        "from webui.cli import main\n"
        f"status = main({['export', '--db', db, *args, '--out', str(out)]!r})\n"
        f"unused = {UNUSED_BY_A_WORD_EXPORT!r}\n"
        "print(json.dumps([status, sorted({u for u in unused for m in list(sys.modules) "
        "if m == u or m.startswith(u + '.')})]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    status, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == 0 and out.stat().st_size > 10_000, done.stderr
    assert loaded == []


def test_a_command_closes_its_database_and_leaves_the_collector_to_the_program(
    tmp_path: Path,
) -> None:
    import gc

    from consensus_kit.cli import main

    db = tmp_path / "a20.db"
    assert main(["load", str(A20), "--db", str(db)]) == 0
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    assert main(["export", "--db", str(db), "--format", "md", "--out", str(tmp_path)]) == 0
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)  # called with argv
    assert sorted(p.name for p in tmp_path.glob("a20.db*")) == ["a20.db"]  # WAL closed
    # as the program (no argv), it ends without the collector's last pass, and still closed
    out = tmp_path / "a20.docx"
    result = run("export", "--db", str(db), "--format", "docx", "--lang", "en", "--out", str(out))
    assert result.returncode == 0 and out.stat().st_size > 10_000, result.stderr
    assert sorted(p.name for p in tmp_path.glob("a20.db*")) == ["a20.db"]
