"""Many invoices in one statement or one transaction take consecutive numbers, and a rolled-back
savepoint gives its numbers back (the counter row is written once per statement)."""

from __future__ import annotations

import asyncpg
import pytest

from src.domain.sql import atomic, fetch, fetch_one
from tests.factories import make_customer


async def _numbers_since(first: int) -> list[int]:
    rows = await fetch("SELECT number FROM invoices WHERE number > {} ORDER BY number", first)
    return [r["number"] for r in rows]


async def test_bulk_inserts_and_a_failed_savepoint_leave_no_gap(db: None) -> None:
    customer = await make_customer()
    start = await fetch_one("SELECT last_number FROM invoice_numbers")
    assert start is not None
    first = int(start["last_number"])
    insert_many = (
        "INSERT INTO invoices (customer_id, amount, status, date)"
        " SELECT {}, 100 + n, 'pending', DATE '2024-01-01' FROM generate_series(1, {}) n"
    )
    await fetch(insert_many, customer, 2_000)
    # A statement that fails half-way, inside its savepoint: its numbers come back.
    with pytest.raises(asyncpg.CheckViolationError):
        async with atomic():
            await fetch(
                "INSERT INTO invoices (customer_id, amount, status, date)"
                " SELECT {}, 3 - n, 'pending', DATE '2024-01-01' FROM generate_series(1, 5) n",
                customer,
            )
    await fetch(insert_many, customer, 3)
    assert await _numbers_since(first) == list(range(first + 1, first + 2_004))
    counter = await fetch_one("SELECT last_number FROM invoice_numbers")
    assert counter == {"last_number": first + 2_003}
