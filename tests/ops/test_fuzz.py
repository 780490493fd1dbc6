"""The whole documented contract under schemathesis: every phase, every check, every operation.

The schemathesis CLI (4.x) runs against a real server: examples, coverage (malformed and
negative bodies, headers and parameters at their limits), fuzzing (FUZZ_EXAMPLES per operation,
100 by default) and stateful sequences, with every check (switched on in the settings): no 5xx,
every answer of the documented status and shape, schema-valid requests accepted and
schema-invalid ones refused, `Allow` on OPTIONS, security as documented. Logout is fuzzed too:
the hooks log in again after the run ends its own session (tests/ops/fuzz_hooks.py). Settings:
tests/ops/schemathesis.toml.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT, create_database, drop_database, report, serve

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
PHASES = "examples,coverage,fuzzing,stateful"
ST = Path(sys.executable).with_name("st")


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    database_url = create_database("acme_fuzz")
    log = tmp_path_factory.mktemp("fuzz") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            yield url, log
    finally:
        drop_database(database_url)


def test_every_operation_holds_its_contract_under_every_phase_and_check(
    fuzz_server: tuple[str, Path], tmp_path: Path
) -> None:
    url, log = fuzz_server
    env = {
        **os.environ,
        "FUZZ_BASE_URL": url,
        "SCHEMATHESIS_HOOKS": "tests.ops.fuzz_hooks",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(ST),
        "--config-file",
        str(ROOT / "tests" / "ops" / "schemathesis.toml"),
        "run",
        f"{url}/schema/openapi.json",
        "--phases",
        PHASES,
        "--max-examples",
        str(EXAMPLES),
        "--generation-deterministic",
        "--workers",
        "1",
        "--max-failures",
        "50",
        "--report",
        "junit",
        "--report-junit-path",
        str(tmp_path / "junit.xml"),
    ]
    run = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=1500, check=False
    )
    output = run.stdout + run.stderr
    generated = re.search(r"(\d+) generated", output)
    operations = re.search(r"Operations:\s+(\d+) selected / (\d+) total", output)
    cases = int(generated.group(1)) if generated else 0
    report(
        f"fuzz: {cases} cases over {operations.group(1) if operations else '?'} operations"
        f" (phases {PHASES}, every check, {EXAMPLES} examples per operation)"
    )
    assert run.returncode == 0, output[-12000:]
    assert operations is not None and operations.group(1) == operations.group(2), output[-3000:]
    assert int(operations.group(1)) >= 18  # logout included
    assert cases >= 100 * int(operations.group(1)) * (EXAMPLES >= 100)
    assert "Traceback" not in log.read_text()
