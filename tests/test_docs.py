"""The README's commands are the ones the Makefile and CI run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README has no 'Two commands' block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_the_readme_gives_exactly_two_commands() -> None:
    assert len(readme_commands()) == 2


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    test_command = readme_commands()[1]
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_make_runs_the_readmes_commands() -> None:
    makefile = (ROOT / "Makefile").read_text().replace("$(PY)", "python3")
    demo, test = readme_commands()
    assert demo in makefile and test in makefile


def test_the_readme_python_example_runs(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    block = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
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

    section = (ROOT / "README.md").read_text().split("## Run your own meeting", 1)[1]
    script = re.search(r"```sh\n(.*?)```", section, re.S)
    assert script
    lines = script.group(1).rstrip("\n").splitlines()
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
