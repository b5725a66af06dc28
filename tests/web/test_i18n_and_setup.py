"""Interface languages, settings from the environment, the ``serve`` command."""

from __future__ import annotations

import gc
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from consensus_kit import InvalidInput, open_service
from webui import create_app
from webui.cli import main
from webui.i18n import Catalogues, missing_messages, negotiate
from webui.settings import Settings, sqlite_path

ROOT = Path(__file__).resolve().parents[2]


def test_every_interface_string_has_a_chinese_translation() -> None:
    assert missing_messages("zh") == []


def test_the_catalogue_compiles_at_start_up() -> None:
    zh = Catalogues().get("zh")
    assert zh.gettext("Votes") == "表决"
    assert zh.gettext("Article %(n)s") % {"n": 3} == "第3条"
    assert Catalogues().get("es").gettext("Votes") == "Votaciones"
    assert Catalogues().get("de").gettext("Votes") == "Votes"  # no German: English


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-GB,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,zh-TW;q=0.5", "fr"),
        ("de-DE,zh-TW;q=0.5", "zh"),
        ("de, fr;q=0.5", "fr"),
        ("de, it;q=0.5", "en"),
        ("zh;q=0, en", "en"),
        ("zh;q=abc", "en"),
    ],
)
def test_the_interface_language_comes_from_accept_language(
    header: str | None, expected: str
) -> None:
    assert negotiate(header) == expected


def test_a_generated_secret_is_kept_next_to_the_sqlite_file(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    first = Settings.from_env({"CK_DB": db})
    second = Settings.from_env({"CK_DB": db})
    assert first.secret == second.secret and len(first.secret) > 30
    secret_file = tmp_path / "m.db.secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert Settings.from_env({"CK_DB": db, "CK_SECRET": "given"}).secret == "given"
    assert Settings.from_env({"CK_DB": db, "CK_REDIS": "redis://x"}).redis == "redis://x"


def test_sqlite_paths_are_recognised() -> None:
    assert sqlite_path("sqlite:////tmp/a.db") == Path("/tmp/a.db")
    assert sqlite_path("meeting.db") == Path("meeting.db")
    assert sqlite_path("postgresql://u@h/db") is None
    assert sqlite_path("sqlite:///:memory:") is None


def test_importing_the_app_creates_no_database(tmp_path: Path) -> None:
    code = "import webui, webui.app, webui.cli; print('ok')"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.stdout.strip() == "ok", done.stderr
    assert list(tmp_path.iterdir()) == []


def test_serve_has_help_and_other_commands_are_the_librarys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--redis" in out and "--workers" in out and "--db" in out
    assert main(["demo", "--db", str(tmp_path / "demo.db"), "--no-serve"]) == 0
    assert main(["versions", "--db", str(tmp_path / "demo.db")]) == 0
    assert "1" in capsys.readouterr().out


def test_the_console_script_is_the_web_uis_cli() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["consensus-kit"] == "webui.cli:main"


def test_gc_thresholds_come_from_the_environment_and_bad_ones_name_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"CK_DB": str(tmp_path / "m.db"), "CK_SECRET": "s"}
    assert Settings.from_env(base).gc_thresholds is None
    tuned = Settings.from_env({**base, "CK_GC_THRESHOLDS": "5000,20,1000"})
    assert tuned.gc_thresholds == (5000, 20, 1000)
    for bad in ("5000,20", "a,b,c", "0,10,10", "-1,2,3"):
        with pytest.raises(InvalidInput) as caught:
            Settings.from_env({**base, "CK_GC_THRESHOLDS": bad})
        assert caught.value.field == "CK_GC_THRESHOLDS"
    # serve refuses a bad value with the variable's name, before starting anything
    open_service(str(tmp_path / "m.db")).store.close()
    monkeypatch.setenv("CK_GC_THRESHOLDS", "1,2")
    assert main(["serve", "--db", str(tmp_path / "m.db")]) == 1
    assert "CK_GC_THRESHOLDS" in capsys.readouterr().err


def test_the_app_applies_the_gc_thresholds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    open_service(url).store.close()
    before = gc.get_threshold()
    try:
        create_app(Settings(db=url, secret="s", gc_thresholds=(4321, 12, 345)))
        assert gc.get_threshold() == (4321, 12, 345)
    finally:
        gc.set_threshold(*before)
