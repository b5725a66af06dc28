"""The README's "Run a meeting from the command line" walk, run exactly as written.

The block marked ``<!-- run: cli-walk -->`` is handed to bash (``-euo pipefail``) in a fresh
folder holding a copy of ``examples/``, with the installed ``consensus-kit`` entry point on the
PATH; then the database and the exported Word files are read to check what the walk claims.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from consensus_kit import CONSOLE, AmendmentStatus, Outcome, VersionState, open_service
from tests.test_docs import ROOT, marked_block

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def walked(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    here = tmp_path_factory.mktemp("walk")
    shutil.copytree(ROOT / "examples", here / "examples")
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if k != "CK_DB"}
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    assert shutil.which("consensus-kit", path=env["PATH"]), "install the package: pip install -e ."
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", marked_block("cli-walk")],
        cwd=here,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr
    return here, done


def test_the_walk_adopts_the_amendment_after_the_objection_is_outvoted(
    walked: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    here, done = walked
    assert "amendment 1 proposed (submitted)" in done.stdout
    service = open_service(f"sqlite:///{here / 'forum.db'}")
    try:
        mid = service.the_meeting()
        call, fallback = service.votes(CONSOLE, mid)
        assert call.result is not None and call.result.outcome is Outcome.CANCELLED
        assert fallback.rule.value == "two_thirds" and fallback.result is not None
        assert fallback.result.outcome is Outcome.ADOPTED
        assert (fallback.result.tally.yes, fallback.result.tally.no) == (2, 1)
        first, second = (v.amendment for v in service.amendments(CONSOLE, mid))
        assert first.status is AmendmentStatus.ADOPTED and first.adopted_in == 2
        assert second.status is AmendmentStatus.ADOPTED and second.adopted_in == 3
    finally:
        service.store.close()


def test_the_observer_is_refused_and_changes_nothing(
    walked: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, done = walked
    assert (
        "error: UNESCO representative (observer) may not adopt amendment: needs the role chair"
        in done.stderr.splitlines()
    )
    # the amendment went on to the call for consensus: still submitted after the refusal
    assert "vote 1 on amendment 1: call for consensus" in done.stdout


def test_the_walk_freezes_signs_and_exports_the_new_words(
    walked: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    here, done = walked
    service = open_service(f"sqlite:///{here / 'forum.db'}")
    try:
        mid = service.the_meeting()
        final = service.version(CONSOLE, mid)
        assert final.number == 5 and final.state is VersionState.FROZEN
        assert service.stale_translations(CONSOLE, mid) == []
        assert not service.signing_open(CONSOLE, mid, 5)
        signed = {e.organisation for e in service.endorsements(CONSOLE, mid, 5)}
        assert signed == {"cn-reading", "ke-libraries", "br-leitura"}
        art_3 = final.declaration.articles[2].text
        assert art_3["en"].endswith("to review progress.")
    finally:
        service.store.close()
    texts = {
        lang: "\n".join(
            p.text
            for p in docx.Document(
                str(here / "final" / f"reading-forum-2027-v5.{lang}.docx")
            ).paragraphs
        )
        for lang in ("en", "zh")
    }
    assert "lend books and digital media to children" in texts["en"]
    assert "reveiw" not in texts["en"]
    assert "图书馆应免费向儿童出借图书和数字媒体。" in texts["zh"]
    assert done.stdout.rstrip().splitlines()[-1].startswith("OK")
