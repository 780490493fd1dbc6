"""Long migrations: `CREATE INDEX CONCURRENTLY` through the migration runner (docs/deploy.md).

PostgreSQL refuses CONCURRENTLY inside a transaction block, and Piccolo wraps every migration
in one; migrations/sql_v2.py runs such statements outside it. Each case runs in its own
process with DATABASE_URL naming a fresh database, as the migrator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, sys
from src.db import DB, configure_database
from migrations.sql_v1 import sql_forwards
from migrations.sql_v2 import sql_forwards_outside_transaction

INDEX = ["DROP INDEX CONCURRENTLY IF EXISTS big_n_idx",
         "CREATE INDEX CONCURRENTLY big_n_idx ON big (n)"]

async def main(kind):
    configure_database()  # as the migrator does: the engine is set up at start, not at import
    await DB.run_ddl("CREATE TABLE big (n int)")
    await DB.run_ddl("INSERT INTO big SELECT g FROM generate_series(1, 20000) g")
    if kind == "twice":
        # A failed build leaves an INVALID index: the migration must survive a re-run.
        await DB.run_ddl("CREATE INDEX big_n_idx ON big (n)")
    build = sql_forwards if kind == "in-transaction" else sql_forwards_outside_transaction
    manager = await build("2026-11-28T14:30:00:000000", "invoices", "index big.n", INDEX)()
    try:
        await manager.run()
    except Exception as error:
        print("error:", type(error).__name__, str(error).splitlines()[0])
        return
    rows = await DB.run_ddl(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_n_idx'::regclass")
    print("valid:", rows[0]["indisvalid"])

asyncio.run(main(sys.argv[1]))
"""


def _run(kind: str) -> str:
    url = create_database("acme_longmig")
    try:
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, kind],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "APP_ENV": "test"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        drop_database(url)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].rsplit("... ", 1)[-1]


def test_concurrent_index_build_runs_outside_the_transaction() -> None:
    assert _run("outside") == "valid: True"


def test_the_same_statement_inside_a_migration_transaction_is_refused() -> None:
    # Why the second builder exists: the ordinary one cannot do it.
    outcome = _run("in-transaction")
    assert "error: ActiveSQLTransactionError" in outcome, outcome


def test_the_concurrent_migration_can_run_again_over_a_leftover_index() -> None:
    assert _run("twice") == "valid: True"
