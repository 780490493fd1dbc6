"""The date part of the invoice search costs the same whatever dates the invoices have
(issue 11.1), and the migration that bounds dates never changes money data."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import asyncpg
import pytest
from piccolo.querystring import QueryString

from src.domain.invoices import repository
from src.domain.invoices.repository import InvoiceRepository
from src.domain.sql import atomic, fetch, fetch_one
from tests.factories import make_invoice

MIGRATION = "migrations.invoices.invoices_2026_11_28t11_00_00_000000"


async def _statements(query: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[Any]]]:
    """The SQL and arguments of every statement one search sends."""
    sent: list[tuple[str, list[Any]]] = []

    def spy(real: Any) -> Any:
        async def run(sql: QueryString | str, *args: Any) -> Any:
            assert isinstance(sql, QueryString)
            sent.append(sql.compile_string())
            return await real(sql, *args)

        return run

    monkeypatch.setattr(repository, "fetch", spy(fetch))
    monkeypatch.setattr(repository, "fetch_one", spy(fetch_one))
    await InvoiceRepository().search(query, 1, 6)
    monkeypatch.undo()
    return sent


def _size(args: list[Any]) -> int:
    return sum(len(a) if isinstance(a, list) else 1 for a in args)


@pytest.mark.parametrize("query", ["1", "9", "2", "0", "12", "-1", "2023"])
async def test_dates_at_the_edges_change_no_query_text(
    db: None, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await _statements(query, monkeypatch)
    customer = await fetch_one("SELECT customer_id FROM invoices LIMIT 1")
    assert customer is not None
    await make_invoice(customer["customer_id"], date=dt.date(1970, 1, 1))
    await make_invoice(customer["customer_id"], date=dt.date(2099, 12, 31))
    after = await _statements(query, monkeypatch)
    assert [sql for sql, _ in after] == [sql for sql, _ in before]
    # The listed days are bounded, whatever the span of dates.
    bound = repository.DAY_LIST + repository.CUSTOMER_ID_LIST + 10
    assert all(_size(args) <= bound for _, args in after)


async def test_the_calendar_holds_every_allowed_day_once(db: None) -> None:
    row = await fetch_one(
        "SELECT min(day) AS first, max(day) AS last, count(*) AS n,"
        " count(*) FILTER (WHERE key LIKE day::text || '%') AS iso FROM search_days"
    )
    assert row == {
        "first": dt.date(1970, 1, 1),
        "last": dt.date(2099, 12, 31),
        "n": 47_482,
        "iso": 47_482,
    }


async def test_the_migration_refuses_rows_outside_the_range_and_changes_nothing(
    db: None,
) -> None:
    module = importlib.import_module(MIGRATION)
    # The database as it was before the migration, with invoices typed with a wrong year.
    await fetch("ALTER TABLE invoices DROP CONSTRAINT invoices_date_range")
    await fetch("DROP TABLE search_days")
    far = await make_invoice(amount=999, date=dt.date(9998, 12, 31))
    early = await make_invoice(amount=1, date=dt.date(1, 1, 2))
    manager = await module.forwards()
    with pytest.raises(asyncpg.RaiseError) as info:
        async with atomic():
            await manager.run()
    message = str(info.value)
    assert message.startswith("2 invoice(s) dated outside 1970-01-01..2099-12-31")
    assert f"{early} dated 0001-01-02" in message and f"{far} dated 9998-12-31" in message
    rows = await fetch("SELECT amount, date FROM invoices WHERE id IN ({}, {})", far, early)
    assert sorted((r["amount"], r["date"]) for r in rows) == [
        (1, dt.date(1, 1, 2)),
        (999, dt.date(9998, 12, 31)),
    ]
    # Once the dates are corrected, it runs.
    await fetch("UPDATE invoices SET date = '2024-05-06' WHERE id IN ({}, {})", far, early)
    async with atomic():
        await (await module.forwards()).run()
    with pytest.raises(asyncpg.CheckViolationError):
        async with atomic():
            await make_invoice(date=dt.date(2100, 1, 1))
