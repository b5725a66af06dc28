"""The package as organisers get it: ``python -m build`` makes an sdist and a wheel that hold
the templates, static files, migrations and translations, and the wheel installed into a fresh
virtualenv outside the checkout loads and exports the A20 meeting on its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from consensus_kit import __version__

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built once per session from a copy of the tracked files."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source")
    files = run("git", "ls-files", "-z", cwd=ROOT).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "build", "--outdir", out, source, cwd=source)  # isolated: pip
    # fetches the build backend named in pyproject.toml, as for any user
    return out


def test_the_wheel_holds_what_the_app_reads_from_disk(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    assert wheel.name.startswith(f"consensus_kit-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        "webui/templates/base.html",
        "webui/templates/parts/tally.html",
        "webui/static/app.css",
        "webui/static/htmx.min.js",
        "webui/locale/zh/LC_MESSAGES/messages.po",
        "consensus_kit/py.typed",
        "consensus_kit/domain/unicode/14.0.0.json",
        "consensus_kit/storage/migrations/env.py",
        "consensus_kit/storage/migrations/versions/0001_initial.py",
    }
    missing = {n for n in wanted if n not in names}
    assert not missing, missing
    templates = {p.name for p in (ROOT / "webui" / "templates").rglob("*.html")}
    assert templates <= {Path(n).name for n in names if n.startswith("webui/templates/")}
    migrations = {p.name for p in (ROOT / "consensus_kit/storage/migrations/versions").glob("*.py")}
    assert migrations <= {Path(n).name for n in names}
    assert not any(n.startswith(("tests/", "docs/", "bench/")) for n in names)


def test_the_sdist_holds_the_sources_and_the_package_data(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for name in ("pyproject.toml", "README.md", "webui/templates/base.html",
                 "consensus_kit/storage/migrations/versions/0001_initial.py"):  # fmt: skip
        assert name in names, name


def test_the_wheel_installs_and_runs_outside_the_checkout(
    dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (wheel,) = dist.glob("*.whl")
    home = tmp_path_factory.mktemp("fresh")
    assert not home.is_relative_to(ROOT)
    run(sys.executable, "-m", "venv", home / "venv", cwd=home)
    bin_dir = home / "venv" / "bin"
    run(bin_dir / "pip", "install", "-q", wheel, cwd=home)  # dependencies come from PyPI
    shutil.copy(ROOT / "examples" / "a20_2018" / "meeting.toml", home / "meeting.toml")

    version = run(bin_dir / "consensus-kit", "--version", cwd=home)
    assert __version__ in version.stdout
    run(bin_dir / "consensus-kit", "load", "meeting.toml", "--db", "a20.db", cwd=home)
    run(bin_dir / "consensus-kit", "export", "--db", "a20.db", "--format", "docx",
        "--lang", "zh", "--out", "a20.zh.docx", cwd=home)  # fmt: skip
    assert (home / "a20.zh.docx").stat().st_size > 5_000
    run(bin_dir / "consensus-kit", "export", "--db", "a20.db", "--format", "md",
        "--out", "a20.md", cwd=home)  # fmt: skip
    assert "A20" in (home / "a20.md").read_text(encoding="utf-8")

    check = (
        "import importlib.resources as r, webui, consensus_kit, sys\n"
        "from webui import Settings, create_app\n"
        "assert 'site-packages' in webui.__file__ and 'site-packages' in consensus_kit.__file__\n"
        "assert (r.files('webui') / 'templates' / 'base.html').is_file()\n"
        "app = create_app(Settings(db='a20.db', secret='wheel'))\n"
        "print(app.template_engine.get_template('base.html').name)\n"
    )
    shown = run(bin_dir / "python", "-c", check, cwd=home)
    assert "base.html" in shown.stdout
