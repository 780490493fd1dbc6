"""Invoice dates live in 1970-01-01..2099-12-31 (issue 11.1): the API, the back office and the
database refuse others with a message naming the date, and a date at either edge of the range
leaves the search working for everyone."""

from __future__ import annotations

import datetime as dt

import asyncpg
import httpx
import pytest

from src.domain.sql import atomic, fetch
from tests.factories import make_customer, make_invoice
from tests.http.test_admin import (  # noqa: F401 (fixtures)
    TABLES,
    csrf,
    evil_rabbit_666,
    staff,
)

# Outside development the admin runs with production=True; here Piccolo warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")

RULE = "Enter a date between 1970-01-01 and 2099-12-31."


async def _an_invoice(api: httpx.AsyncClient) -> dict[str, object]:
    response = await api.get(f"/api/invoices/{await make_invoice()}")
    invoice: dict[str, object] = response.json()
    return invoice


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1969-12-31", "2100-01-01"])
async def test_the_api_refuses_a_date_outside_the_range(api: httpx.AsyncClient, date: str) -> None:
    invoice = await _an_invoice(api)
    response = await api.patch(f"/api/invoices/{invoice['id']}", json={"date": date})
    assert response.status_code == 400, response.text
    assert response.json()["errors"] == [{"field": "date", "message": RULE}]
    after = await api.get(f"/api/invoices/{invoice['id']}")
    assert after.json()["date"] == invoice["date"]


@pytest.mark.parametrize("due", ["0001-01-01", "1969-12-31", "9999-12-31"])
async def test_a_due_date_outside_the_range_is_told_the_range(
    api: httpx.AsyncClient, due: str
) -> None:
    invoice = await _an_invoice(api)
    response = await api.patch(f"/api/invoices/{invoice['id']}", json={"dueDate": due})
    assert response.status_code == 400, response.text
    assert response.json()["errors"] == [{"field": "dueDate", "message": RULE}]


@pytest.mark.parametrize("date", ["1970-01-01", "2099-12-31"])
async def test_the_api_accepts_the_edges(api: httpx.AsyncClient, date: str) -> None:
    invoice = await _an_invoice(api)
    response = await api.patch(f"/api/invoices/{invoice['id']}", json={"date": date})
    assert response.status_code == 200, response.text
    assert response.json()["date"] == date


@pytest.mark.parametrize("date", ["9999-12-31", "1969-12-31", "0001-01-01", None])
async def test_the_back_office_refuses_a_date_outside_the_range(
    staff: httpx.AsyncClient,  # noqa: F811
    date: str | None,
) -> None:
    row = await evil_rabbit_666(staff)
    response = await staff.patch(
        f"{TABLES}/invoices/{row['id']}/", json={"date": date}, headers=csrf(staff)
    )
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["loc"][-1] == "date" and problem["msg"] == RULE
    assert await evil_rabbit_666(staff) == row


@pytest.mark.parametrize("date", [dt.date(1969, 12, 31), dt.date(2100, 1, 1), dt.date.max])
async def test_the_database_refuses_a_date_outside_the_range(db: None, date: dt.date) -> None:
    customer = await make_customer()
    with pytest.raises(asyncpg.CheckViolationError):
        async with atomic():
            await make_invoice(customer, date=date)


@pytest.mark.parametrize("query", ["1", "9", "5", "66", "12", "0-0", "2099-12-31", "1970"])
async def test_invoices_at_both_edges_leave_every_digit_search_working(
    api: httpx.AsyncClient, query: str
) -> None:
    customer = await make_customer("Edge Case", "edge@example.com")
    first = await make_invoice(customer, amount=4242, date=dt.date(1970, 1, 1))
    last = await make_invoice(customer, amount=4243, date=dt.date(2099, 12, 31))
    response = await api.get("/api/invoices", params={"query": query, "pageSize": 100})
    assert response.status_code == 200, response.text
    ids = [item["id"] for item in response.json()["items"]]
    rows = await fetch("SELECT id, date, amount FROM invoices WHERE id IN ({}, {})", first, last)
    for row in rows:
        matches = query in row["date"].isoformat() or query in str(row["amount"])
        assert (str(row["id"]) in ids) == matches, (query, row)
