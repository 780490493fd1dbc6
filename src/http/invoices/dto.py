from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec

from src.domain.money import MAX_CENTS, format_cents
from src.domain.rules import INVOICE_DATE_RULE

Cents = Annotated[
    int,
    msgspec.Meta(
        ge=1,
        le=MAX_CENTS,
        description=f"Amount in whole cents, 1 to {MAX_CENTS} ({format_cents(MAX_CENTS)})",
    ),
]
Status = Literal["pending", "paid"]
# The range itself is checked by the domain (rules.invoice_date_ok), named here for the document.
InvoiceDate = Annotated[dt.date, msgspec.Meta(description=f"YYYY-MM-DD. {INVOICE_DATE_RULE}")]

_AMOUNT_RULE = (
    f"a whole number of cents (1050 is $10.50), more than 0 and at most {MAX_CENTS}"
    f" ({format_cents(MAX_CENTS)})"
)
# Every amount in cents (an invoice's, a payment's): what is wrong with it, by msgspec's kind.
AMOUNT_MESSAGES = {
    "type": f"Please enter the amount as {_AMOUNT_RULE}.",
    "min": "Please enter an amount greater than $0.",
    "max": f"Please enter an amount of at most {format_cents(MAX_CENTS)}.",
    "required": "Please enter an amount greater than $0.",
}
MESSAGES: dict[str, Any] = {
    "customerId": "Please select a customer.",
    "amount": AMOUNT_MESSAGES,
    "status": "Please select an invoice status.",
    "date": "Please enter a date as YYYY-MM-DD.",
    "dueDate": "Please enter a due date as YYYY-MM-DD, not before the invoice date.",
}


class InvoiceCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    customer_id: uuid.UUID
    amount: Cents
    status: Status
    # Left out: the date plus PAYMENT_TERMS_DAYS.
    due_date: InvoiceDate | None = None

    __messages__ = MESSAGES


class InvoiceUpdate(InvoiceCreate):
    """PUT: every field."""


class InvoicePatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    customer_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET
    amount: Cents | msgspec.UnsetType = msgspec.UNSET
    status: Status | msgspec.UnsetType = msgspec.UNSET
    date: InvoiceDate | msgspec.UnsetType = msgspec.UNSET
    due_date: InvoiceDate | msgspec.UnsetType = msgspec.UNSET

    __messages__ = MESSAGES
