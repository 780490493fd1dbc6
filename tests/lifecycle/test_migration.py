"""The lifecycle migration on a database that holds the schema and rows from before it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import asyncpg
import pytest

from tests.support import ROOT, create_database, drop_database

LIFECYCLE = "2026_11_28t15"  # the lifecycle migrations' ids start here


def _last_before(app: str) -> str:
    """The id of the app's last migration before the lifecycle ones."""
    stamps = sorted(
        p.stem.removeprefix(f"{app}_")
        for p in (ROOT / "migrations" / app).glob(f"{app}_*.py")
        if p.stem.removeprefix(f"{app}_") < LIFECYCLE
    )
    date, time = stamps[-1].upper().split("T")
    return f"{date.replace('_', '-')}T{time.replace('_', ':')}"


BEFORE = {app: _last_before(app) for app in ("users", "invoices")}

OLD_SCHEMA = """
import asyncio
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from src.db import DB, engine_config
from src.settings import get_settings

BEFORE = {before!r}

async def main():
    for app in BaseMigrationManager().get_sorted_app_names():
        result = await run_forwards(app_name=app, migration_id=BEFORE.get(app, "all"))
        assert result.success, result.message

asyncio.run(main())
"""


def _run(code: list[str], url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "test"}
    done = subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def old_database() -> Iterator[str]:
    url = create_database("acme_oldschema")
    try:
        _run(["-c", OLD_SCHEMA.format(before=BEFORE)], url)
        yield url
    finally:
        drop_database(url)


async def test_migration_numbers_dues_and_pays_existing_invoices(old_database: str) -> None:
    conn = await asyncpg.connect(old_database)
    try:
        columns = {
            r["column_name"]
            for r in await conn.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'invoices'"
            )
        }
        assert "number" not in columns and "amount_paid" not in columns
        customer = uuid.uuid4()
        await conn.execute(
            "INSERT INTO customers (id, name, email, email_key, created_at, updated_at)"
            " VALUES ($1, 'Old Customer', 'old@customer.io', 'old@customer.io', now(), now())",
            customer,
        )
        # (amount, status, date, created): two on one date, told apart by created_at.
        base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        rows = [
            (700, "pending", dt.date(2024, 3, 1), base + dt.timedelta(hours=2)),
            (500, "paid", dt.date(2023, 5, 1), base),
            (600, "paid", dt.date(2024, 3, 1), base + dt.timedelta(hours=1)),
            (800, "pending", dt.date(2021, 12, 31), base + dt.timedelta(hours=9)),
        ]
        ids = []
        for amount, status, date, created in rows:
            ids.append(
                await conn.fetchval(
                    "INSERT INTO invoices (id, customer_id, amount, status, date, created_at,"
                    " updated_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $5)"
                    " RETURNING id",
                    customer,
                    amount,
                    status,
                    date,
                    created,
                )
            )
        updated_before = await conn.fetchval("SELECT max(updated_at) FROM invoices")
    finally:
        await conn.close()

    _run(["-m", "src.ops.cli", "migrate"], old_database)

    conn = await asyncpg.connect(old_database)
    try:
        got = await conn.fetch(
            "SELECT amount, status, number, date, due_date, amount_paid, updated_at"
            " FROM invoices ORDER BY number"
        )
        assert [(r["number"], r["amount"]) for r in got] == [(1, 800), (2, 500), (3, 600), (4, 700)]
        assert all(r["due_date"] == r["date"] + dt.timedelta(days=30) for r in got)
        assert [r["amount_paid"] for r in got] == [0, 500, 600, 0]
        assert [r["status"] for r in got] == ["pending", "paid", "paid", "pending"]
        # Numbering is not a user's change: ETags of existing invoices stay valid.
        assert max(r["updated_at"] for r in got) == updated_before
        payments = await conn.fetch(
            "SELECT i.amount AS invoice_amount, p.amount, p.date, i.date AS invoice_date,"
            " p.method, p.voided_at FROM payments p JOIN invoices i ON i.id = p.invoice_id"
            " ORDER BY p.amount"
        )
        assert [(p["amount"], p["method"], p["voided_at"]) for p in payments] == [
            (500, "other", None),
            (600, "other", None),
        ]
        assert all(p["date"] == p["invoice_date"] for p in payments)
        summary = await conn.fetchrow("SELECT * FROM invoice_summary")
        assert (summary["paid_cents"], summary["pending_cents"]) == (1100, 1500)
        assert (summary["paid_count"], summary["pending_count"]) == (2, 2)
        assert await conn.fetchval("SELECT last_number FROM invoice_numbers") == 4
        open_due = await conn.fetch(
            "SELECT due_date, open_count, balance_cents FROM invoice_open_due ORDER BY due_date"
        )
        assert [(r["open_count"], r["balance_cents"]) for r in open_due] == [(1, 800), (1, 700)]
        # The next invoice continues the numbers.
        number = await conn.fetchval(
            "INSERT INTO invoices (customer_id, amount, status, date)"
            " SELECT customer_id, 5, 'pending', date '2025-01-01' FROM invoices LIMIT 1"
            " RETURNING number"
        )
        assert number == 5
        assert set(ids) == {r["id"] for r in await conn.fetch("SELECT id FROM invoices")} - {
            await conn.fetchval("SELECT id FROM invoices WHERE number = 5")
        }
    finally:
        await conn.close()
