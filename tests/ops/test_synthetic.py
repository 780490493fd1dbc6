"""The large synthetic data set: deterministic, realistic, loaded by COPY, and careful with data."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from src.domain.users.email import email_key
from src.ops.synthetic_data import (
    FIRST_DAY,
    LAST_DAY,
    SYNTHETIC_DOMAIN,
    synthetic_customers,
    synthetic_invoices,
)
from tests.support import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def test_customers_are_deterministic_with_unique_valid_emails() -> None:
    rows = synthetic_customers(5_000)
    assert rows == synthetic_customers(5_000)
    emails = [r[2] for r in rows]
    assert len(set(emails)) == len(emails)
    assert all(EMAIL.match(e) and e.endswith(f"@{SYNTHETIC_DOMAIN}") for e in emails)
    assert all(" " in r[1] and 1 <= len(r[1]) <= 255 for r in rows)
    assert [r[3] for r in rows] == [email_key(e) for e in emails]
    assert len({r[3] for r in rows}) == len(rows)
    assert len({r[0] for r in rows}) == len(rows)


def test_invoices_are_deterministic_dated_in_order_and_mostly_paid() -> None:
    ids = [r[0] for r in synthetic_customers(100)]
    rows = [row for batch in synthetic_invoices(ids, 20_000) for row in batch]
    assert rows == [row for batch in synthetic_invoices(ids, 20_000) for row in batch]
    dates = [r[4] for r in rows]
    assert dates == sorted(dates) and dates[0] >= FIRST_DAY and dates[-1] <= LAST_DAY
    assert (LAST_DAY - FIRST_DAY).days > 6 * 365
    assert 0.57 < sum(r[3] == "paid" for r in rows) / len(rows) < 0.63
    assert all(500 <= r[2] <= 500_000 for r in rows)
    assert len({r[0] for r in rows}) == len(rows)


@pytest.fixture
def scratch_url() -> Iterator[str]:
    url = create_database("acme_synth")
    yield url
    drop_database(url)


def _seed_large(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "src.ops.cli", "seed-large", "--customers", "300",
         "--invoices", "3000", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


async def _facts(url: str) -> dict[str, object]:
    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(
            """
            SELECT (SELECT count(*) FROM customers) AS customers,
                   (SELECT count(*) FROM invoices) AS invoices,
                   (SELECT count(*) FROM users WHERE email = 'user@nextmail.com') AS demo_user,
                   (SELECT count(*) FROM customers WHERE email = 'lee@robinson.com') AS lee,
                   s.invoice_count = (SELECT count(*) FROM invoices)
                   AND s.customer_count = (SELECT count(*) FROM customers)
                   AND s.paid_cents = (SELECT sum(amount) FROM invoices WHERE status = 'paid')
                   AND s.pending_cents = (SELECT sum(amount) FROM invoices WHERE status = 'pending')
                   AND s.paid_count = (SELECT count(*) FROM invoices WHERE status = 'paid')
                   AND s.pending_count = (SELECT count(*) FROM invoices WHERE status = 'pending')
                   AS summary_exact,
                   -- Each customer's kept bound at or past its newest invoice (left to the
                   -- load's end, not its batches).
                   NOT EXISTS (SELECT 1 FROM invoices i
                                 LEFT JOIN invoice_customer_counts k USING (customer_id)
                                WHERE k.newest IS NULL OR k.newest < i.date) AS newest_bound
              FROM invoice_summary s
            """
        )
        assert row is not None
        return dict(row)
    finally:
        await conn.close()


def test_seed_large_loads_replaces_and_refuses_foreign_data(scratch_url: str) -> None:
    first = _seed_large(scratch_url)
    assert first.returncode == 0, first.stderr
    expected = {
        "customers": 306,
        "invoices": 3013,
        "demo_user": 1,
        "lee": 1,
        "summary_exact": True,
        "newest_bound": True,
    }
    assert asyncio.run(_facts(scratch_url)) == expected

    again = _seed_large(scratch_url)  # replaces its own rows, keeps the demo data
    assert again.returncode == 0, again.stderr
    assert asyncio.run(_facts(scratch_url)) == expected

    async def add_real_customer() -> None:
        conn = await asyncpg.connect(scratch_url)
        await conn.execute(
            "INSERT INTO customers (id, name, email, email_key)"
            " VALUES (gen_random_uuid(), 'Real', 'r@x.com', 'r@x.com')"
        )
        await conn.close()

    asyncio.run(add_real_customer())
    refused = _seed_large(scratch_url)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert asyncio.run(_facts(scratch_url))["customers"] == 307

    forced = _seed_large(scratch_url, "--force")
    assert forced.returncode == 0, forced.stderr
    facts = asyncio.run(_facts(scratch_url))
    assert facts["customers"] == 307 and facts["invoices"] == 3013 and facts["summary_exact"]
    assert facts["newest_bound"]
