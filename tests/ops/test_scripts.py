"""Every Python script the Makefile names starts the way the Makefile starts it (as a file, from
the project root), so `make concurrency`, `make bench` and the rest never die on an import."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(set(re.findall(r"python (scripts/\w+\.py)", (ROOT / "Makefile").read_text())))


def test_the_makefile_names_the_benchmarks_and_the_concurrency_run() -> None:
    assert {"scripts/bench.py", "scripts/concurrency.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_script_run_as_a_file_answers_its_help(script: str) -> None:
    done = subprocess.run(
        [sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
