"""A due date the database fills in stays within the invoice date range (1970-01-01..2099-12-31),
whoever writes the invoice: an import, the back office, or SQL. An invoice dated late in 2099 is
due on the range's last day, not in 2100, so its edit form can save the due date it shows."""

from __future__ import annotations

import datetime as dt

import asyncpg
import httpx
import pytest

from src.domain.sql import atomic, fetch, fetch_one
from tests.factories import make_customer, make_invoice
from tests.http.test_admin import (  # noqa: F401 (fixtures)
    TABLES,
    csrf,
    evil_rabbit_666,
    staff,
)

pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")

LAST_DAY = "2099-12-31"


async def _due(invoice: object) -> str:
    row = await fetch_one("SELECT due_date FROM invoices WHERE id = {}", invoice)
    assert row is not None
    return str(row["due_date"])


async def test_an_imported_invoice_of_late_2099_is_due_on_the_last_day_and_can_be_edited(
    api: httpx.AsyncClient,
) -> None:
    body = b"date,customer_email,amount,status\n2099-12-15,evil@rabbit.com,19.99,pending\n"
    done = await api.post(
        "/api/imports/invoices", content=body, headers={"Content-Type": "text/csv"}
    )
    assert done.status_code == 200, done.text
    (row,) = await fetch("SELECT id FROM invoices WHERE date = '2099-12-15' AND amount = 1999")
    invoice = (await api.get(f"/api/invoices/{row['id']}")).json()
    assert invoice["dueDate"] == LAST_DAY
    # What the edit form sends back: the invoice as shown, due date included.
    saved = await api.patch(
        f"/api/invoices/{row['id']}",
        json={"amount": 2999, "date": invoice["date"], "dueDate": invoice["dueDate"]},
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["amount"], saved.json()["dueDate"]) == (2999, LAST_DAY)


@pytest.mark.parametrize(
    ("date", "due"),
    [
        (dt.date(2099, 12, 1), LAST_DAY),
        (dt.date(2099, 12, 31), LAST_DAY),
        (dt.date(2099, 11, 30), "2099-12-30"),
    ],
)
async def test_an_insert_without_a_due_date_is_due_30_days_later_at_most_on_the_last_day(
    db: None, date: dt.date, due: str
) -> None:
    assert await _due(await make_invoice(date=date)) == due


async def test_moving_the_date_keeps_the_terms_up_to_the_last_day(db: None) -> None:
    invoice = await make_invoice(date=dt.date(2099, 11, 1))
    assert await _due(invoice) == "2099-12-01"
    await fetch("UPDATE invoices SET date = '2099-12-20' WHERE id = {}", invoice)
    assert await _due(invoice) == LAST_DAY


async def test_the_back_office_moving_a_date_into_late_2099_keeps_the_due_date_in_range(
    staff: httpx.AsyncClient,  # noqa: F811
    api: httpx.AsyncClient,
) -> None:
    row = await evil_rabbit_666(staff)
    response = await staff.patch(
        f"{TABLES}/invoices/{row['id']}/", json={"date": "2099-12-31"}, headers=csrf(staff)
    )
    assert response.status_code == 200, response.text
    invoice = (await api.get(f"/api/invoices/{row['id']}")).json()
    assert (invoice["date"], invoice["dueDate"]) == (LAST_DAY, LAST_DAY)


@pytest.mark.parametrize("due", [dt.date(2100, 1, 1), dt.date.max])
async def test_the_database_refuses_a_due_date_past_the_range(db: None, due: dt.date) -> None:
    customer = await make_customer()
    with pytest.raises(asyncpg.CheckViolationError):
        async with atomic():
            await fetch(
                "INSERT INTO invoices (customer_id, amount, status, date, due_date)"
                " VALUES ({}, 100, 'pending', '2099-12-01', {})",
                customer,
                due,
            )
