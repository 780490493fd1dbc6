"""Idempotency-Key: a retried create answers the first result again and creates nothing."""

from __future__ import annotations

import uuid

import httpx
import pytest

from src.domain.sql import fetch, fetch_one
from src.ops.seed import invoice_id
from tests.factories import make_user

EVIL_RABBIT = "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa"
LEE_PENDING = str(invoice_id(5))
INVOICE = {"customerId": EVIL_RABBIT, "amount": 4321, "status": "pending"}


async def _count() -> int:
    row = await fetch_one("SELECT count(*) AS n FROM invoices")
    assert row is not None
    return int(row["n"])


async def test_same_key_same_body_replays_and_creates_one(api: httpx.AsyncClient) -> None:
    before = await _count()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await api.post("/api/invoices", json=INVOICE, headers=key)
    assert first.status_code == 201
    # The same JSON written differently is the same request.
    again = await api.post(
        "/api/invoices",
        content=b'{ "status":"pending",  "amount": 4321, "customerId": "'
        + EVIL_RABBIT.encode()
        + b'"}',
        headers={**key, "content-type": "application/json"},
    )
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert "idempotent-replayed" not in first.headers
    assert await _count() == before + 1


async def test_same_key_different_body_is_422(api: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": "order-77"}
    assert (await api.post("/api/invoices", json=INVOICE, headers=key)).status_code == 201
    other = await api.post("/api/invoices", json={**INVOICE, "amount": 1}, headers=key)
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    # The same key on another route is another request too.
    customer = await api.post(
        "/api/customers", json={"name": "Idem", "email": "idem@x.io"}, headers=key
    )
    assert customer.status_code == 422


async def test_without_a_key_every_post_creates(api: httpx.AsyncClient) -> None:
    before = await _count()
    for _ in range(2):
        assert (await api.post("/api/invoices", json=INVOICE)).status_code == 201
    assert await _count() == before + 2


async def test_a_failed_request_keeps_nothing_so_a_retry_goes_through(
    api: httpx.AsyncClient,
) -> None:
    key = {"Idempotency-Key": "pay-1"}
    url = f"/api/invoices/{LEE_PENDING}/payments"
    body = {"amount": 100, "method": "card"}
    # An unknown invoice first: 404, nothing stored under the key.
    missing = await api.post(
        "/api/invoices/00000000-0000-4000-8000-000000000000/payments", json=body, headers=key
    )
    assert missing.status_code == 404
    first = await api.post(url, json=body, headers=key)
    assert first.status_code == 201
    replay = await api.post(url, json=body, headers=key)
    assert replay.json()["id"] == first.json()["id"]
    payments = await fetch("SELECT id FROM payments WHERE invoice_id = {}", uuid.UUID(LEE_PENDING))
    assert len(payments) == 1


async def test_customer_create_is_idempotent(api: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": "cust-1"}
    body = {"name": "Once Only", "email": "once@only.io"}
    first = await api.post("/api/customers", json=body, headers=key)
    second = await api.post("/api/customers", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    rows = await fetch("SELECT id FROM customers WHERE email = 'once@only.io'")
    assert len(rows) == 1


@pytest.mark.parametrize("key", ["", " lead", "trail ", "x" * 256, "naïve", "tab\tkey"])
async def test_malformed_keys_are_400(api: httpx.AsyncClient, key: str) -> None:
    before = await _count()
    response = await api.post(
        "/api/invoices",
        json=INVOICE,
        headers={"Idempotency-Key": key.encode("utf-8")},  # type: ignore[dict-item]
    )
    assert response.status_code == 400, (key, response.text)
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await _count() == before


async def test_keys_are_per_user(api: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    await make_user("other@acme.test", "other-password")
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver"
    ) as other:
        login = await other.post(
            "/api/auth/login", json={"email": "other@acme.test", "password": "other-password"}
        )
        other.cookies.clear()
        other.headers["Authorization"] = f"Bearer {login.json()['token']}"
        key = {"Idempotency-Key": "shared-key"}
        mine = await api.post("/api/invoices", json=INVOICE, headers=key)
        theirs = await other.post("/api/invoices", json={**INVOICE, "amount": 7}, headers=key)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


async def test_expired_keys_are_free_again(api: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": "old-key"}
    first = await api.post("/api/invoices", json=INVOICE, headers=key)
    await fetch("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
    second = await api.post("/api/invoices", json=INVOICE, headers=key)
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
