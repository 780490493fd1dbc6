"""Invoice writes: create, update, delete. The database keeps the rules whoever writes (numbers,
due dates, the status from the money: migrations 2026-11-28T15:00 and 17:10); these methods
check what a person can correct and turn the database's refusals into messages."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from src.domain import calendar
from src.domain.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from src.domain.money import format_cents
from src.domain.payments import repository as payments
from src.domain.rules import DEFAULT_TERMS, INVOICE_DATE_RULE, due_after, invoice_date_ok
from src.domain.sql import ForeignKeyViolation, atomic, delete_row, fetch, fetch_one, ident, join, q

NOT_FOUND = payments.INVOICE_NOT_FOUND
CHANGED = "This invoice was changed by someone else. Reload to see the latest version."
UNKNOWN_CUSTOMER = FieldError("customerId", "Please select a customer.")
DATE_OUT_OF_RANGE = FieldError("date", INVOICE_DATE_RULE)
DUE_BEFORE_DATE = "The due date cannot be before the invoice date."
DUE_OUT_OF_RANGE = FieldError("dueDate", INVOICE_DATE_RULE)


class InvoiceWrites:
    async def create(
        self,
        customer_id: UUID,
        amount: int,
        status: str,
        date: dt.date,
        due_date: dt.date | None = None,
    ) -> UUID:
        """A new invoice; its number comes from the counter row, locked by the insert's trigger
        until this transaction ends. A paid one gets a payment of its amount on its date.
        Without a due date it is due DEFAULT_TERMS days after its date."""
        if not invoice_date_ok(date):
            raise ValidationError([DATE_OUT_OF_RANGE])
        due_date = due_date or due_after(date, DEFAULT_TERMS)
        _check_due(date, due_date)
        try:
            async with atomic():
                row = await fetch_one(
                    "INSERT INTO invoices"
                    " (id, customer_id, amount, status, date, due_date, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), {}, {}, {}, {}, {}, now(), now()) RETURNING id",
                    customer_id,
                    amount,
                    status,
                    date,
                    due_date,
                )
        except ForeignKeyViolation:
            raise ValidationError([UNKNOWN_CUSTOMER]) from None
        assert row is not None
        return UUID(str(row["id"]))

    async def update(
        self,
        invoice_id: UUID,
        changes: dict[str, object],
        if_match: dt.datetime | None = None,
    ) -> None:
        """Change customer, amount, date, due date; a status change moves money: to paid records
        a payment of the balance dated today, back to pending voids the payments."""
        date = changes.get("date")
        if isinstance(date, dt.date) and not invoice_date_ok(date):
            raise ValidationError([DATE_OUT_OF_RANGE])
        try:
            async with atomic():
                await self._update_locked(invoice_id, changes, if_match)
        except ForeignKeyViolation:
            raise ValidationError([UNKNOWN_CUSTOMER]) from None

    async def _update_locked(
        self, invoice_id: UUID, changes: dict[str, object], if_match: dt.datetime | None
    ) -> None:
        row = await fetch_one(
            "SELECT updated_at, amount, amount_paid, status, date, due_date FROM invoices"
            " WHERE id = {} FOR UPDATE",
            invoice_id,
        )
        if row is None:
            raise NotFoundError(NOT_FOUND)
        if if_match is not None and row["updated_at"] != if_match:
            raise PreconditionFailedError(CHANGED)
        status = changes.get("status")
        paid = int(row["amount_paid"])
        if status == "pending" and row["status"] == "paid":
            await payments.PaymentRepository().void_all(invoice_id)
            paid = 0
        amount = changes.get("amount", row["amount"])
        assert isinstance(amount, int)
        if amount < paid:
            raise ConflictError(
                f"{format_cents(paid)} of this invoice is paid: its amount cannot be lower."
                " Void a payment first."
            )
        date = changes.get("date", row["date"])
        due = changes.get("due_date")
        assert isinstance(date, dt.date)
        if due is None and "date" in changes:  # the same terms from the new date
            due = due_after(date, (row["due_date"] - row["date"]).days)
        if isinstance(due, dt.date):
            _check_due(date, due)
        values = {**changes, "due_date": due}
        assignments = [
            q("{} = {}", ident(column), values[column])
            for column in ("customer_id", "amount", "date", "due_date")
            if values.get(column) is not None
        ]
        if assignments:
            await fetch(
                q("UPDATE invoices SET {} WHERE id = {}", join(assignments, ", "), invoice_id)
            )
        if status == "paid":
            await payments.PaymentRepository().settle(invoice_id, calendar.today())

    async def delete(self, invoice_id: UUID) -> None:
        await delete_row("invoices", invoice_id, NOT_FOUND)


def _check_due(date: dt.date, due: dt.date) -> None:
    # The range first: 0001-01-01 is a typing mistake before it is an early due date.
    if not invoice_date_ok(due):
        raise ValidationError([DUE_OUT_OF_RANGE])
    if due < date:
        raise ValidationError([FieldError("dueDate", DUE_BEFORE_DATE)])
