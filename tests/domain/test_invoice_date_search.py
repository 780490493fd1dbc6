"""The date part of the invoice search costs the same whatever dates the invoices have
(issue 11.1), and the migration that bounds dates never changes money data."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from typing import Any

import asyncpg
import pytest
from piccolo.querystring import QueryString

from src.domain.invoices import finder, parts
from src.domain.invoices.repository import InvoiceRepository
from src.domain.invoices.search import date_text
from src.domain.sql import atomic, contains_pattern, fetch, fetch_one
from tests.domain.invoice_oracle import oracle as _oracle
from tests.domain.invoice_oracle import written as _written
from tests.factories import make_customer, make_invoice

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

    monkeypatch.setattr(finder, "fetch", spy(fetch))
    monkeypatch.setattr(finder, "fetch_one", spy(fetch_one))
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
    bound = parts.DAY_LIST + parts.CUSTOMER_ID_LIST + 10
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
    await fetch("ALTER TABLE invoices DROP CONSTRAINT invoices_due_date_range")  # came later
    await fetch("DROP TABLE search_days")
    for trigger in ("insert", "update", "delete"):  # the kept counts came later, too
        await fetch(f"DROP TRIGGER invoices_counts_{trigger} ON invoices")
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


# --- Dates as displayed (issue 13.6), against a plain reading of the rule. ---


SPREAD = [
    dt.date(1970, 1, 1), dt.date(1970, 5, 1), dt.date(1999, 12, 31), dt.date(2022, 12, 6),
    dt.date(2022, 12, 16), dt.date(2022, 6, 12), dt.date(2023, 9, 30), dt.date(2061, 2, 28),
    dt.date(2099, 12, 31),
]  # fmt: skip
DISPLAYED = [
    "Dec 6", "Dec 6, 2022", "December 2022", "dec 2022", "DEC  6", "december 6 2022",
    "Dec 16, 2022", "jun", "May 1", "may 1970", "sep 30, 2023", "Jan 1, 1970", "1970", "dec 2",
    "6, 2", ", 20", "r 3", "ay", "e", "ber", "December 31, 2099", "dec 31 2099", "Feb 28",
    "2022-12", "12-06", "  Dec 6  ", "dec6", "Dec 6,2022", "sept", "june 12",
]  # fmt: skip


@pytest.fixture
async def spread(db: None) -> None:
    customer = await make_customer("Qwyzk Vox", "qwyzk@example.test")
    for n, day in enumerate(SPREAD):
        await make_invoice(customer, amount=7000 + n, date=day)


@pytest.mark.parametrize("query", DISPLAYED)
async def test_dates_match_as_displayed(spread: None, query: str) -> None:
    expected = await _oracle(query)
    page = await InvoiceRepository().search(query, 1, 100)
    assert [str(i.id) for i in page.items] == expected[:100]
    assert page.total == len(expected) and not page.total_is_capped


async def test_random_pieces_of_written_dates_match_the_rule(
    spread: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(13)
    days = [dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(47_482)) for _ in range(40)]
    for n, day in enumerate(days):
        await make_invoice(amount=8000 + n, date=day)
    queries = []
    for day in days:
        form = rng.choice(_written(day))
        start = rng.randrange(len(form))
        queries.append(form[start : start + rng.randint(1, 12)])
    for day_list in (parts.DAY_LIST, 0):  # days listed, and as a subquery
        monkeypatch.setattr(parts, "DAY_LIST", day_list)
        for query in queries:
            expected = await _oracle(query)
            page = await InvoiceRepository().search(query, 1, 20)
            assert [str(i.id) for i in page.items] == expected[:20], query
            assert page.total == min(len(expected), finder.COUNT_CAP), query


async def test_text_that_no_date_can_hold_matches_no_day(db: None) -> None:
    """The search skips the calendar for such text (a run of letters in no month's name): the
    calendar agrees, for names people type and for random text made of dates' characters."""
    rng = random.Random(7)
    alphabet = "abcdefghijlmnoprstuvy0123456789 ,-"
    texts = ["lee", "pending", "paid", "son", "robinson", "le", "decx", "mayo", "dec 6 lee"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    rejected = [t for t in texts if date_text(t) is None and set(t.strip()) - set(" ,-")]
    assert {"lee", "pending", "paid", "son", "robinson", "le"} <= set(rejected)
    for text in rejected:
        row = await fetch_one(
            "SELECT count(*) AS n FROM search_days WHERE key LIKE lower({}) ESCAPE '\\'",
            contains_pattern(" ".join(text.lower().split())),
        )
        assert row == {"n": 0}, text
