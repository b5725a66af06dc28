"""Commands start at once: importing the library or asking for help loads no heavy machinery.

Each check runs in a fresh interpreter (this one has loaded everything already) and looks at
``sys.modules``: a module that is not loaded cannot slow start-up down, on any machine.
bench/bench_startup.py times the same commands against pandoc.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# What a command that does not touch a database or a document must not pay for.
HEAVY = (
    "alembic",
    "sqlalchemy",
    "docx",
    "lxml",
    "litestar",
    "uvicorn",
    "rich",
    "cryptography",
    "consensus_kit.formats",
    "consensus_kit.storage",
    "consensus_kit.service",
)


def loaded_after(code: str) -> list[str]:
    """The heavy packages loaded after running ``code`` in a new interpreter."""
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted({{h for h in {HEAVY!r} for m in list(sys.modules) "
        "if m == h or m.startswith(h + '.')})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_library_loads_no_database_web_or_format_code() -> None:
    assert loaded_after("import consensus_kit") == []


def test_a_public_name_loads_only_its_own_module() -> None:
    assert loaded_after("import consensus_kit as ck; ck.diff_texts('a b', 'a c')") == []
    store = loaded_after("from consensus_kit import SqlStore")
    assert "sqlalchemy" in store and "docx" not in store and "litestar" not in store


@pytest.mark.parametrize(
    "flag", ["--help", "--version", "export --help", "amend propose --help", "vote cast --help"]
)
def test_help_and_version_load_nothing_heavy(flag: str) -> None:
    code = (
        "import contextlib, io\n"
        "from webui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({flag.split()!r})"
    )
    assert loaded_after(code) == []


def test_every_public_name_resolves() -> None:
    code = "import consensus_kit\nfor name in consensus_kit.__all__: getattr(consensus_kit, name)"
    assert "consensus_kit.formats" in loaded_after(code)
    import consensus_kit

    with pytest.raises(AttributeError, match="no_such_name"):
        _ = consensus_kit.no_such_name  # type: ignore[attr-defined]
