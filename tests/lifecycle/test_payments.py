"""Payments through the API: partial, in full, refused beyond the balance, voided; the status
and the dashboard's money follow them."""

from __future__ import annotations

import httpx
import pytest

from src.ops.seed import invoice_id

LEE_PENDING = str(invoice_id(5))  # Lee Robinson, $542.46, pending, 2023-07-16
AMY_PAID = str(invoice_id(2))  # Amy Burns, $30.40, paid, 2022-10-29
MISSING = "00000000-0000-4000-8000-000000000000"


async def _pay(
    api: httpx.AsyncClient, invoice: str, amount: object, **extra: object
) -> httpx.Response:
    body = {"amount": amount, "method": "card", "date": "2024-01-15", **extra}
    return await api.post(f"/api/invoices/{invoice}/payments", json=body)


async def _cards(api: httpx.AsyncClient) -> dict[str, int]:
    cards: dict[str, int] = (await api.get("/api/dashboard")).json()["cards"]
    return cards


async def _status(api: httpx.AsyncClient, invoice: str) -> str:
    status: str = (await api.get(f"/api/invoices/{invoice}")).json()["status"]
    return status


async def test_partial_then_rest_makes_it_paid_and_moves_the_cards(api: httpx.AsyncClient) -> None:
    before = await _cards(api)
    first = await _pay(api, LEE_PENDING, 20000, note="first half")
    assert first.status_code == 201, first.text
    assert first.json()["amount"] == 20000
    assert first.json()["note"] == "first half"
    assert await _status(api, LEE_PENDING) == "pending"
    middle = await _cards(api)
    assert middle["collected"] == before["collected"] + 20000
    assert middle["pending"] == before["pending"] - 20000

    rest = await _pay(api, LEE_PENDING, 54246 - 20000, method="bank_transfer")
    assert rest.status_code == 201, rest.text
    assert await _status(api, LEE_PENDING) == "paid"
    after = await _cards(api)
    assert after["collected"] == before["collected"] + 54246
    assert after["pending"] == before["pending"] - 54246

    listed = (await api.get(f"/api/invoices/{LEE_PENDING}/payments")).json()
    assert [p["amount"] for p in listed] == [20000, 34246]
    assert {p["method"] for p in listed} == {"card", "bank_transfer"}


async def test_a_payment_beyond_the_balance_is_409_and_says_the_balance(
    api: httpx.AsyncClient,
) -> None:
    assert (await _pay(api, LEE_PENDING, 50000)).status_code == 201
    over = await _pay(api, LEE_PENDING, 5000)
    assert over.status_code == 409
    assert "$42.46" in over.json()["detail"]
    paid = await _pay(api, AMY_PAID, 1)
    assert paid.status_code == 409
    assert "paid in full" in paid.json()["detail"]
    listed = (await api.get(f"/api/invoices/{LEE_PENDING}/payments")).json()
    assert [p["amount"] for p in listed] == [50000]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 0, "method": "card"}, "amount"),
        ({"amount": -100, "method": "card"}, "amount"),
        ({"amount": "10", "method": "card"}, "amount"),
        ({"amount": 1.5, "method": "card"}, "amount"),
        ({"amount": 100, "method": "bitcoin"}, "method"),
        ({"amount": 100, "method": "CARD"}, "method"),
        ({"amount": 100}, "method"),
        ({"amount": 100, "method": "card", "date": "2024-02-30"}, "date"),
        ({"amount": 100, "method": "card", "date": "1969-12-31"}, "date"),
        ({"amount": 100, "method": "card", "note": "x" * 501}, "note"),
        ({"amount": 100, "method": "card", "extra": True}, "extra"),
    ],
)
async def test_bad_payments_are_400_naming_the_field(
    api: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    response = await api.post(f"/api/invoices/{LEE_PENDING}/payments", json=body)
    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await api.get(f"/api/invoices/{LEE_PENDING}/payments")).json() == []


async def test_method_message_lists_the_methods(api: httpx.AsyncClient) -> None:
    response = await _pay(api, LEE_PENDING, 100, method="wire")
    message = response.json()["errors"][0]["message"]
    assert all(m in message for m in ("bank_transfer", "card", "cash", "check", "other"))


@pytest.mark.parametrize("invoice", [MISSING, "nope", "1"])
async def test_payments_on_an_unknown_invoice_are_404(api: httpx.AsyncClient, invoice: str) -> None:
    assert (await _pay(api, invoice, 100)).status_code == 404
    listed = await api.get(f"/api/invoices/{invoice}/payments")
    assert listed.status_code == 404
    assert listed.json() == {"detail": "Invoice not found."}


async def test_void_brings_the_balance_back_and_keeps_the_payment(api: httpx.AsyncClient) -> None:
    before = await _cards(api)
    paid = (await _pay(api, LEE_PENDING, 54246)).json()
    assert await _status(api, LEE_PENDING) == "paid"
    url = f"/api/invoices/{LEE_PENDING}/payments/{paid['id']}/void"
    assert (await api.post(url, json={"reason": "   "})).status_code == 400
    assert (await api.post(url, json={})).json()["errors"][0]["field"] == "reason"
    voided = await api.post(url, json={"reason": "bounced cheque"})
    assert voided.status_code == 200, voided.text
    assert voided.json()["voidReason"] == "bounced cheque"
    assert voided.json()["voidedAt"]
    assert await _status(api, LEE_PENDING) == "pending"
    assert await _cards(api) == before
    again = await api.post(url, json={"reason": "twice"})
    assert again.status_code == 409
    listed = (await api.get(f"/api/invoices/{LEE_PENDING}/payments")).json()
    assert len(listed) == 1 and listed[0]["voidReason"] == "bounced cheque"


async def test_void_of_an_unknown_or_foreign_payment_is_404(api: httpx.AsyncClient) -> None:
    paid = (await _pay(api, LEE_PENDING, 100)).json()
    for invoice, payment in ((LEE_PENDING, MISSING), (LEE_PENDING, "x"), (AMY_PAID, paid["id"])):
        response = await api.post(
            f"/api/invoices/{invoice}/payments/{payment}/void", json={"reason": "r"}
        )
        assert response.status_code == 404, (invoice, payment)
    assert await _status(api, LEE_PENDING) == "pending"


async def test_payment_date_defaults_to_today(api: httpx.AsyncClient) -> None:
    import datetime as dt

    response = await api.post(
        f"/api/invoices/{LEE_PENDING}/payments", json={"amount": 100, "method": "cash"}
    )
    assert response.json()["date"] == dt.datetime.now(dt.UTC).date().isoformat()


async def test_demo_money_is_collected_and_pending_as_before(api: httpx.AsyncClient) -> None:
    cards = await _cards(api)
    assert (cards["collected"], cards["pending"]) == (100626, 125632)
    amy = (await api.get(f"/api/invoices/{AMY_PAID}/payments")).json()
    assert [(p["amount"], p["date"], p["voidedAt"]) for p in amy] == [(3040, "2022-10-29", None)]
