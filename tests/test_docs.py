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
