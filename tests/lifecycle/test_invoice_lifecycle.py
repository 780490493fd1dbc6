"""Invoices carry their number, due date, money paid and overdue state; the status follows the
money whichever way it is changed."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from src.domain import calendar
from src.domain.sql import fetch, fetch_one
from src.ops.seed import invoice_id

EVIL_RABBIT = "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa"
LEE_PENDING = str(invoice_id(5))  # $542.46, 2023-07-16, INV-000010
LEE_OLDEST = str(invoice_id(12))  # $10.00, paid, 2022-06-05, INV-000001
AMY_PAID = str(invoice_id(2))  # $30.40, paid, 2022-10-29


async def _get(api: httpx.AsyncClient, invoice: str) -> dict[str, object]:
    response = await api.get(f"/api/invoices/{invoice}")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def _list(api: httpx.AsyncClient, **params: object) -> dict[str, object]:
    response = await api.get("/api/invoices", params={"pageSize": 100, **params})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_demo_invoices_are_numbered_by_date_and_due_30_days_later(
    api: httpx.AsyncClient,
) -> None:
    oldest = await _get(api, LEE_OLDEST)
    assert oldest["number"] == "INV-000001"
    assert oldest["dueDate"] == "2022-07-05"
    assert (oldest["amountPaid"], oldest["balanceDue"], oldest["overdue"]) == (1000, 0, False)
    lee = await _get(api, LEE_PENDING)
    assert lee["number"] == "INV-000010"
    assert (lee["amountPaid"], lee["balanceDue"], lee["overdue"]) == (0, 54246, True)
    items = (await _list(api))["items"]
    numbers = sorted(int(str(i["number"])[4:]) for i in items)  # type: ignore[index]
    assert numbers == list(range(1, 14))


async def test_demo_figures_hold(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/dashboard")).json()
    assert body["cards"] == {
        "collected": 100626,
        "pending": 125632,
        "invoiceCount": 13,
        "customerCount": 6,
    }
    # Every pending demo invoice is years past due.
    assert body["overdue"] == {"total": 125632, "count": 5}
    assert body["aging"] == {
        "current": 0,
        "days1to30": 0,
        "days31to60": 0,
        "days61to90": 0,
        "over90": 125632,
    }
    for query, hits in (("", 13), ("paid", 8), ("pending", 5), ("2022", 4), ("66", 1), ("lee", 2)):
        assert (await _list(api, query=query))["total"] == hits, query
    customers = (await api.get("/api/customers", params={"pageSize": 100})).json()["items"]
    totals = {c["name"]: (c["invoiceCount"], c["totalPending"], c["totalPaid"]) for c in customers}
    assert totals["Balazs Orban"] == (3, 34577, 17491)
    assert totals["Michael Novotny"] == (2, 0, 77345)


async def test_new_invoices_take_the_next_number_and_the_terms(api: httpx.AsyncClient) -> None:
    first = (
        await api.post(
            "/api/invoices", json={"customerId": EVIL_RABBIT, "amount": 5, "status": "pending"}
        )
    ).json()
    second = (
        await api.post(
            "/api/invoices", json={"customerId": EVIL_RABBIT, "amount": 6, "status": "paid"}
        )
    ).json()
    assert (first["number"], second["number"]) == ("INV-000014", "INV-000015")
    today = dt.date.fromisoformat(first["date"])
    assert first["dueDate"] == (today + dt.timedelta(days=30)).isoformat()
    assert first["overdue"] is False
    assert (second["amountPaid"], second["balanceDue"], second["status"]) == (6, 0, "paid")
    payments = (await api.get(f"/api/invoices/{second['id']}/payments")).json()
    assert [(p["amount"], p["date"], p["method"]) for p in payments] == [
        (6, second["date"], "other")
    ]


async def test_a_given_due_date_is_kept_and_never_before_the_date(api: httpx.AsyncClient) -> None:
    today = calendar.today()
    later = (today + dt.timedelta(days=7)).isoformat()
    made = await api.post(
        "/api/invoices",
        json={"customerId": EVIL_RABBIT, "amount": 5, "status": "pending", "dueDate": later},
    )
    assert made.json()["dueDate"] == later
    before = (today - dt.timedelta(days=1)).isoformat()
    refused = await api.post(
        "/api/invoices",
        json={"customerId": EVIL_RABBIT, "amount": 5, "status": "pending", "dueDate": before},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "dueDate", "message": "The due date cannot be before the invoice date."}
    ]
    patched = await api.patch(f"/api/invoices/{LEE_PENDING}", json={"dueDate": "2023-07-15"})
    assert patched.status_code == 400
    assert patched.json()["errors"][0]["field"] == "dueDate"
    bad = await api.patch(f"/api/invoices/{LEE_PENDING}", json={"dueDate": "15/07/2023"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "dueDate"


async def test_moving_the_date_keeps_the_terms(api: httpx.AsyncClient) -> None:
    moved = await api.patch(f"/api/invoices/{LEE_PENDING}", json={"date": "2023-08-16"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["dueDate"] == "2023-09-15"


async def test_an_invoice_is_overdue_only_when_unpaid_past_its_due_date(
    api: httpx.AsyncClient,
) -> None:
    today = calendar.today()
    due_today = await api.post(
        "/api/invoices",
        json={
            "customerId": EVIL_RABBIT,
            "amount": 5,
            "status": "pending",
            "dueDate": today.isoformat(),
        },
    )
    assert due_today.json()["overdue"] is False  # due today is not late yet
    await fetch(
        "UPDATE invoices SET date = {}, due_date = {} WHERE id = {}",
        today - dt.timedelta(days=40),
        today - dt.timedelta(days=10),
        __import__("uuid").UUID(due_today.json()["id"]),
    )
    got = await _get(api, due_today.json()["id"])
    assert got["overdue"] is True
    aging = (await api.get("/api/dashboard")).json()["aging"]
    assert aging["days1to30"] == 5


async def test_status_filter_alone_and_with_a_query(api: httpx.AsyncClient) -> None:
    assert (await _list(api, status="paid"))["total"] == 8
    assert (await _list(api, status="pending"))["total"] == 5
    overdue = await _list(api, status="overdue")
    assert overdue["total"] == 5
    assert all(i["overdue"] for i in overdue["items"])  # type: ignore[union-attr,index]
    lee = await _list(api, status="paid", query="lee")
    assert [i["amount"] for i in lee["items"]] == [1000]  # type: ignore[union-attr,index]
    assert (await _list(api, status="overdue", query="lee"))["total"] == 1
    assert (await _list(api, status="pending", query="2022"))["total"] == 2
    response = await api.get("/api/invoices", params={"status": "late"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"
    # A paid-off invoice leaves the overdue list at once.
    await api.post(
        f"/api/invoices/{LEE_PENDING}/payments", json={"amount": 54246, "method": "card"}
    )
    assert (await _list(api, status="overdue"))["total"] == 4


@pytest.mark.parametrize("text", ["INV-10", "inv-000010", "#10", "INV10", " inv-10 ", "#0010"])
async def test_a_number_reference_finds_that_invoice(api: httpx.AsyncClient, text: str) -> None:
    body = await _list(api, query=text)
    assert body["total"] == 1
    assert [i["id"] for i in body["items"]] == [LEE_PENDING]  # type: ignore[union-attr,index]


async def test_plain_digits_still_mean_cents_digits(api: httpx.AsyncClient) -> None:
    # "10" is in $10.00's cents (1000) and in two dates; not a reference to INV-000010.
    body = await _list(api, query="10")
    assert [i["amount"] for i in body["items"]] == [44800, 3040, 1000]  # type: ignore[union-attr,index]
    assert (await _list(api, query="INV-999"))["total"] == 0
    assert (await _list(api, query="#"))["total"] == 0


async def test_marking_paid_records_the_balance_today_and_pending_voids(
    api: httpx.AsyncClient,
) -> None:
    await api.post(
        f"/api/invoices/{LEE_PENDING}/payments",
        json={"amount": 20000, "method": "cash", "date": "2023-08-01"},
    )
    paid = await api.patch(f"/api/invoices/{LEE_PENDING}", json={"status": "paid"})
    assert paid.status_code == 200
    assert (paid.json()["status"], paid.json()["amountPaid"]) == ("paid", 54246)
    payments = (await api.get(f"/api/invoices/{LEE_PENDING}/payments")).json()
    assert [(p["amount"], p["method"]) for p in payments] == [(20000, "cash"), (34246, "other")]
    assert payments[1]["date"] == calendar.today().isoformat()

    back = await api.put(
        f"/api/invoices/{LEE_PENDING}",
        json={"customerId": paid.json()["customerId"], "amount": 54246, "status": "pending"},
    )
    assert back.status_code == 200
    assert (back.json()["status"], back.json()["amountPaid"]) == ("pending", 0)
    payments = (await api.get(f"/api/invoices/{LEE_PENDING}/payments")).json()
    assert {p["voidReason"] for p in payments} == {"reverted to pending"}
    cards = (await api.get("/api/dashboard")).json()["cards"]
    assert (cards["collected"], cards["pending"]) == (100626, 125632)


async def test_the_form_resending_pending_keeps_a_partial_payment(api: httpx.AsyncClient) -> None:
    await api.post(f"/api/invoices/{LEE_PENDING}/payments", json={"amount": 100, "method": "cash"})
    put = await api.put(
        f"/api/invoices/{LEE_PENDING}",
        json={
            "customerId": (await _get(api, LEE_PENDING))["customerId"],
            "amount": 60000,
            "status": "pending",
        },
    )
    assert (put.json()["amount"], put.json()["amountPaid"], put.json()["balanceDue"]) == (
        60000,
        100,
        59900,
    )


async def test_an_amount_below_what_was_paid_is_409(api: httpx.AsyncClient) -> None:
    await api.post(
        f"/api/invoices/{LEE_PENDING}/payments", json={"amount": 30000, "method": "cash"}
    )
    lower = await api.patch(f"/api/invoices/{LEE_PENDING}", json={"amount": 29999})
    assert lower.status_code == 409
    assert "$300.00" in lower.json()["detail"]
    exact = await api.patch(f"/api/invoices/{LEE_PENDING}", json={"amount": 30000})
    assert (exact.json()["status"], exact.json()["balanceDue"]) == ("paid", 0)
    raised = await api.patch(f"/api/invoices/{AMY_PAID}", json={"amount": 4000})
    assert (raised.json()["status"], raised.json()["balanceDue"]) == ("pending", 960)


async def test_numbers_are_never_reused_and_deletions_are_recorded(api: httpx.AsyncClient) -> None:
    made = (
        await api.post(
            "/api/invoices", json={"customerId": EVIL_RABBIT, "amount": 5, "status": "pending"}
        )
    ).json()
    assert (await api.delete(f"/api/invoices/{made['id']}")).status_code == 204
    again = (
        await api.post(
            "/api/invoices", json={"customerId": EVIL_RABBIT, "amount": 5, "status": "pending"}
        )
    ).json()
    assert (made["number"], again["number"]) == ("INV-000014", "INV-000015")
    retired = await fetch_one("SELECT number FROM deleted_invoice_numbers WHERE number = 14")
    assert retired == {"number": 14}


async def test_the_database_keeps_the_money_rules_whoever_writes(db: None) -> None:
    """A back-office style write: setting the status alone moves the money too."""
    lee = __import__("uuid").UUID(LEE_PENDING)
    await fetch("UPDATE invoices SET status = 'paid' WHERE id = {}", lee)
    row = await fetch_one("SELECT status, amount_paid FROM invoices WHERE id = {}", lee)
    assert row == {"status": "paid", "amount_paid": 54246}
    await fetch("UPDATE invoices SET status = 'pending' WHERE id = {}", lee)
    row = await fetch_one("SELECT status, amount_paid FROM invoices WHERE id = {}", lee)
    assert row == {"status": "pending", "amount_paid": 0}
    reasons = await fetch("SELECT void_reason FROM payments WHERE invoice_id = {}", lee)
    assert reasons == [{"void_reason": "reverted to pending"}]
    summary = await fetch_one("SELECT paid_cents, pending_cents FROM invoice_summary")
    assert summary == {"paid_cents": 100626, "pending_cents": 125632}


async def test_a_new_date_keeps_the_terms_whoever_writes(db: None) -> None:
    lee = __import__("uuid").UUID(LEE_PENDING)
    await fetch("UPDATE invoices SET date = '2024-01-10' WHERE id = {}", lee)
    row = await fetch_one("SELECT date, due_date FROM invoices WHERE id = {}", lee)
    assert row == {"date": dt.date(2024, 1, 10), "due_date": dt.date(2024, 2, 9)}
