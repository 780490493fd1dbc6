"""Staff see payments in the back office and can void them (with a reason), nothing else."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from src.ops.seed import invoice_id
from tests.http.test_admin import TABLES, csrf

AMY_PAID = str(invoice_id(2))  # $30.40, paid, INV-000002

pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")


async def _payments(staff: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    response = await staff.get(f"{TABLES}/payments/", params={"__readable": "true", **params})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


async def test_staff_see_every_payment(staff: httpx.AsyncClient) -> None:
    rows = await _payments(staff, __page_size="50")
    assert len(rows) == 8
    amy = [r for r in rows if r["invoice_id"] == AMY_PAID]
    assert [(r["amount"], r["method"], r["voided_at"]) for r in amy] == [(3040, "other", None)]


async def test_staff_void_a_payment_with_a_reason_and_the_invoice_follows(
    staff: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    (row,) = await _payments(staff, invoice_id=AMY_PAID)
    url = f"{TABLES}/payments/{row['id']}/"
    no_reason = await staff.patch(url, json={"void_reason": "  "}, headers=csrf(staff))
    assert no_reason.status_code == 422
    changed = await staff.patch(url, json={"amount": 1}, headers=csrf(staff))
    assert changed.status_code == 422
    voided = await staff.patch(
        url, json={"void_reason": "refunded", "amount": 1}, headers=csrf(staff)
    )
    assert voided.status_code == 200, voided.text
    (after,) = await _payments(staff, invoice_id=AMY_PAID)
    assert (after["amount"], after["void_reason"]) == (3040, "refunded")
    assert after["voided_at"]
    invoice = (await api.get(f"/api/invoices/{AMY_PAID}")).json()
    assert (invoice["status"], invoice["amountPaid"], invoice["balanceDue"]) == ("pending", 0, 3040)
    again = await staff.patch(url, json={"void_reason": "twice"}, headers=csrf(staff))
    assert again.status_code == 422


async def test_payments_are_never_created_or_deleted_in_the_back_office(
    staff: httpx.AsyncClient,
) -> None:
    (row,) = await _payments(staff, invoice_id=AMY_PAID)
    deleted = await staff.delete(f"{TABLES}/payments/{row['id']}/", headers=csrf(staff))
    assert deleted.status_code in (405, 422)
    created = await staff.post(
        f"{TABLES}/payments/",
        json={"invoice_id": AMY_PAID, "amount": 5, "date": "2024-01-01", "method": "cash"},
        headers=csrf(staff),
    )
    assert created.status_code == 422
    assert len(await _payments(staff, invoice_id=AMY_PAID)) == 1


async def test_invoice_numbers_are_not_editable_in_the_back_office(
    staff: httpx.AsyncClient,
) -> None:
    schema = (await staff.get(f"{TABLES}/invoices/schema/")).json()
    assert "number" not in schema["properties"]
    assert "amount_paid" not in schema["properties"]
