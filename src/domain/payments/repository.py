"""Payments: record, void, list. Each write locks its invoice row first, so two payments on
one invoice are decided one after the other and can never overpay it together."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from src.domain.errors import ConflictError, NotFoundError
from src.domain.money import format_cents
from src.domain.sql import atomic, fetch, fetch_one

METHODS = ("bank_transfer", "card", "cash", "check", "other")
INVOICE_NOT_FOUND = "Invoice not found."
NOT_FOUND = "Payment not found."
ALREADY_VOID = "This payment is already void."
REVERTED = "reverted to pending"

_COLUMNS = "id, invoice_id, amount, date, method, note, created_at, voided_at, void_reason"


class PaymentOut(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    invoice_id: UUID
    amount: int
    date: dt.date
    method: str
    note: str
    created_at: dt.datetime
    voided_at: dt.datetime | None
    void_reason: str | None


class _Locked(msgspec.Struct, frozen=True):
    amount: int
    amount_paid: int

    @property
    def balance(self) -> int:
        return self.amount - self.amount_paid


async def lock_invoice(invoice_id: UUID) -> _Locked:
    """The invoice's money, with its row locked until the transaction ends."""
    row = await fetch_one(
        "SELECT amount, amount_paid FROM invoices WHERE id = {} FOR UPDATE", invoice_id
    )
    if row is None:
        raise NotFoundError(INVOICE_NOT_FOUND)
    return _Locked(amount=int(row["amount"]), amount_paid=int(row["amount_paid"]))


def over_balance(amount: int, balance: int) -> ConflictError:
    if balance == 0:
        return ConflictError("This invoice is paid in full: there is no balance left to pay.")
    return ConflictError(
        f"This payment of {format_cents(amount)} is more than the balance due of"
        f" {format_cents(balance)}."
    )


class PaymentRepository:
    async def list(self, invoice_id: UUID) -> list[PaymentOut]:
        rows = await fetch(
            f"SELECT i.id AS found, p.* FROM invoices i LEFT JOIN LATERAL"
            f" (SELECT {_COLUMNS} FROM payments WHERE invoice_id = i.id"
            f"  ORDER BY date, created_at, id) p ON true WHERE i.id = {{}}",
            invoice_id,
        )
        if not rows:
            raise NotFoundError(INVOICE_NOT_FOUND)
        return [
            PaymentOut(**{k: v for k, v in r.items() if k != "found"})
            for r in rows
            if r["id"] is not None
        ]

    async def record(
        self, invoice_id: UUID, amount: int, date: dt.date, method: str, note: str = ""
    ) -> PaymentOut:
        async with atomic():
            invoice = await lock_invoice(invoice_id)
            if amount > invoice.balance:
                raise over_balance(amount, invoice.balance)
            return await self._insert(invoice_id, amount, date, method, note)

    async def settle(self, invoice_id: UUID, date: dt.date) -> PaymentOut | None:
        """A payment of the whole balance (method `other`), as when an invoice is marked paid.
        The caller holds the invoice's lock."""
        invoice = await lock_invoice(invoice_id)
        if invoice.balance <= 0:
            return None
        return await self._insert(invoice_id, invoice.balance, date, "other", "")

    async def void(self, invoice_id: UUID, payment_id: UUID, reason: str) -> PaymentOut:
        async with atomic():
            await lock_invoice(invoice_id)
            row = await fetch_one(
                f"SELECT {_COLUMNS} FROM payments WHERE id = {{}} AND invoice_id = {{}} FOR UPDATE",
                payment_id,
                invoice_id,
            )
            if row is None:
                raise NotFoundError(NOT_FOUND)
            if row["voided_at"] is not None:
                raise ConflictError(ALREADY_VOID)
            voided = await fetch_one(
                f"UPDATE payments SET voided_at = now(), void_reason = {{}} WHERE id = {{}}"
                f" RETURNING {_COLUMNS}",
                reason,
                payment_id,
            )
        assert voided is not None
        return PaymentOut(**voided)

    async def void_all(self, invoice_id: UUID, reason: str = REVERTED) -> int:
        """Void every live payment of the invoice; the caller holds the invoice's lock."""
        rows = await fetch(
            "UPDATE payments SET voided_at = now(), void_reason = {}"
            " WHERE invoice_id = {} AND voided_at IS NULL RETURNING id",
            reason,
            invoice_id,
        )
        return len(rows)

    async def _insert(
        self, invoice_id: UUID, amount: int, date: dt.date, method: str, note: str
    ) -> PaymentOut:
        row = await fetch_one(
            # clock_timestamp: payments made in one transaction still list in the order made.
            f"INSERT INTO payments (invoice_id, amount, date, method, note, created_at)"
            f" VALUES ({{}}, {{}}, {{}}, {{}}, {{}}, clock_timestamp()) RETURNING {_COLUMNS}",
            invoice_id,
            amount,
            date,
            method,
            note,
        )
        assert row is not None
        return PaymentOut(**row)
