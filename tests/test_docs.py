"""The docs run: every code block in README.md and docs/ is executed by a test or is a fragment.

A block is preceded by a marker the reader does not see: ``<!-- run: NAME -->`` when a test
executes it (the test, in this file or another under tests/, fetches it with
``marked_block("NAME")``), or
``<!-- fragment: why -->`` when it cannot run as written (configuration, sample output, a
deployment on servers of your own). The README's commands are also the ones make and CI run.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```$", re.S | re.M)
MARKER = re.compile(r"<!-- (run|fragment): (.+?) -->\s*$")


def code_blocks() -> list[tuple[str, int, str, str, str]]:
    """Every fenced block: (file, line, marker kind, marker value, code); kind "" if none."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
            marker = MARKER.search(before)
            kind, value = (marker.group(1), marker.group(2)) if marker else ("", "")
            line = text.count("\n", 0, match.start()) + 1
            found.append((path.name, line, kind, value, match.group(1)))
    return found


def marked_block(name: str) -> str:
    """The code of the one block marked ``<!-- run: name -->``."""
    blocks = [code for _, _, kind, value, code in code_blocks() if (kind, value) == ("run", name)]
    assert len(blocks) == 1, f"{len(blocks)} blocks marked 'run: {name}'"
    return blocks[0]


def readme_commands() -> list[str]:
    block = marked_block("two-commands")
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_every_code_block_runs_in_a_test_or_is_marked_as_a_fragment() -> None:
    here = inspect.getsource(sys.modules[__name__])
    tests = here + "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("test_*.py")
    )
    for name, line, kind, value, _ in code_blocks():
        assert kind, f"{name}:{line}: mark the block <!-- run: NAME --> or <!-- fragment: why -->"
        if kind == "run":
            assert f'marked_block("{value}")' in tests, (
                f"{name}:{line}: no test runs the block marked 'run: {value}'"
            )


def test_the_readme_gives_exactly_two_commands() -> None:
    assert len(readme_commands()) == 2


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    test_command = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci


def test_ci_runs_it_again_as_on_a_machine_without_database_servers() -> None:
    test_command = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text().replace("\\\n", "")
    fresh = [line for line in ci.splitlines() if line.startswith("env -u")]
    assert len(fresh) == 1
    assert "-u CK_TEST_PG_URL -u CK_TEST_REDIS_URL -u CI " in fresh[0]
    assert test_command in fresh[0]


def test_make_runs_the_readmes_commands() -> None:
    makefile = (ROOT / "Makefile").read_text().replace("$(PY)", "python3")
    demo, test = readme_commands()
    assert demo in makefile and test in makefile


def test_the_readme_python_example_runs(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    block = marked_block("python-example")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    frozen = namespace["frozen"]
    assert frozen.number == 3 and frozen.state.value == "frozen"  # type: ignore[attr-defined]
    assert "especially especially" not in frozen.declaration.articles[1].text["en"]  # type: ignore[attr-defined]


def test_the_run_your_own_meeting_section_works_as_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    import httpx

    lines = marked_block("own-meeting").rstrip("\n").splitlines()
    serve = lines.pop()
    assert serve.startswith("consensus-kit serve")
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    assert shutil.which("consensus-kit", path=env["PATH"])
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(lines)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "loaded meeting 'lake-2027'" in done.stdout
    assert (tmp_path / "lake.docx").stat().st_size > 5_000
    server = subprocess.Popen(
        ["bash", "-c", f"exec {serve}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                response = httpx.get("http://127.0.0.1:8040/", follow_redirects=True, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response.status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def test_the_exports_python_example_runs(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(marked_block("exports-python"), "docs/exports.md", "exec"), {})
    assert (tmp_path / "a20.zh.docx").read_bytes()[:2] == b"PK"


def test_the_administration_cli_walk_runs(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import shlex

    from consensus_kit import CONSOLE, open_service, verify_store
    from consensus_kit.cli import main
    from tests.builders import meeting_toml

    (tmp_path / "meeting.toml").write_text(meeting_toml(), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'm.db'}"
    monkeypatch.setenv("CK_DB", db)
    assert main(["load", str(tmp_path / "meeting.toml"), "--db", db]) == 0
    for line in marked_block("administration-cli").splitlines():
        argv = shlex.split(line)
        assert argv[0] == "consensus-kit"
        assert main(argv[1:]) == 0, line
    out = capsys.readouterr().out
    assert "朝鲜民主主义人民共和国" not in out  # list shows names, not country names
    assert "救助儿童会" in out and "signatory-2b\tDr Kwame Osei" in out
    assert verify_store(open_service(db).store, CONSOLE).ok


@pytest.mark.postgres
def test_the_several_machines_section_works_as_written(tmp_path, pg_url, redis_test_url) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess

    from tests.cluster.harness import free_ports, need_haproxy

    need_haproxy()
    block = marked_block("local-cluster")
    balancer = free_ports(4)  # the ports the README names may be taken on this machine
    block = block.replace("8101", str(balancer + 1)).replace("8100", str(balancer))
    block = block.replace('CK_SERVE="consensus-kit"', f'CK_SERVE="{sys.executable} -m webui.cli"')
    block = block.replace("CK_CLUSTER_DIR=.cluster", f"CK_CLUSTER_DIR={tmp_path / 'cluster'}")
    env = {**os.environ, "CK_DB": pg_url, "CK_REDIS": redis_test_url,
           "CK_CLUSTER_DIR": str(tmp_path / "cluster")}  # fmt: skip
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    subprocess.run(["deploy/local-cluster.sh", "down"], cwd=ROOT, env=env, timeout=60,
                   capture_output=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '{"status":"ready","database":"ok","redis":"ok","stopping":false}' in done.stdout
    assert "cluster up: http://127.0.0.1:" in done.stdout and "stopped" in done.stdout
