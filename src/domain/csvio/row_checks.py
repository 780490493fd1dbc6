"""One CSV row's values, checked field by field: each failing field is reported with its line
and column (the reader's Problems), and the row is dropped. What only the database can tell
(is the email taken, does the customer exist) is checked per batch in imports.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from src.domain.csvio.columns import unguard
from src.domain.csvio.paid import paid_of
from src.domain.csvio.reader import BOM, Problems, Record, RowError
from src.domain.invoices.tables import InvoiceStatus
from src.domain.money import MAX_CENTS
from src.domain.rules import EMAIL_PATTERN, INVOICE_DATE_RULE, email_problem, invoice_date_ok

MAX_TEXT = 255
_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_EMAIL = re.compile(EMAIL_PATTERN)
_STATUSES = tuple(s.value for s in InvoiceStatus)


def shown(value: str) -> str:
    """A value quoted in a message, cut at 40 characters."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


@dataclass
class RowChecks:
    kind: str
    errors: Problems

    def fail(self, line: int, column: str, message: str) -> None:
        self.errors.add(RowError(line, column, message))

    def text(self, record: Record, column: str) -> str | None:
        value = unguard(record.values.get(column, "").strip())
        if "\x00" in value:
            self.fail(record.line, column, "Remove the NUL characters.")
            return None
        if value.startswith(BOM):
            self.fail(record.line, column, "Remove the byte-order mark (U+FEFF) before the text.")
            return None
        if not value:
            self.fail(record.line, column, f"Please enter the {column.replace('_', ' ')}.")
            return None
        if len(value) > MAX_TEXT:
            self.fail(
                record.line,
                column,
                f"At most {MAX_TEXT} characters, found {len(value):,}.",
            )
            return None
        return value

    def check(self, record: Record) -> dict[str, Any] | None:
        """The row's values, or None after adding its errors."""
        before = self.errors.count
        if self.kind == "customers":
            values: dict[str, Any] = {
                "name": self.text(record, "name"),
                "email": self.email(record),
            }
        else:
            email = self.text(record, "customer_email")
            values = {
                "email": email,
                "amount": self.amount(record),
                "status": self.status(record),
                "date": self.date(record),
            }
            values["paid"] = paid_of(
                record.line, record.values, values["amount"], values["status"], self.fail
            )
        return values if self.errors.count == before else None

    def email(self, record: Record) -> str | None:
        """A new customer's email, by the API's rules (look-alike domains included)."""
        email = self.text(record, "email")
        if email is None:
            return None
        problem = (
            f"{shown(email)} is not a valid email address."
            if not _EMAIL.fullmatch(email)
            else email_problem(email)
        )
        if problem:
            self.fail(record.line, "email", problem)
            return None
        return email

    def amount(self, record: Record) -> int | None:
        raw = record.values["amount"].strip()
        if not _AMOUNT.match(raw):
            self.fail(
                record.line,
                "amount",
                f"{shown(raw)} is not an amount: write dollars with a dot before the cents"
                " and no thousands separators, like 1234.50.",
            )
            return None
        whole, _, cents = raw.partition(".")
        if len(cents) > 2:
            self.fail(record.line, "amount", f"{raw} has more than two decimals (cents).")
            return None
        value = int(whole) * 100 + int(cents.ljust(2, "0"))
        if not 0 < value <= MAX_CENTS:
            self.fail(
                record.line, "amount", "The amount must be more than 0 and at most $21,474,836.47."
            )
            return None
        return value

    def status(self, record: Record) -> str | None:
        raw = record.values["status"].strip().lower()
        if raw not in _STATUSES:
            self.fail(
                record.line,
                "status",
                f"Unknown status {shown(record.values['status'])}: use pending or paid.",
            )
            return None
        return raw

    def date(self, record: Record) -> dt.date | None:
        raw = record.values["date"].strip()
        try:
            if len(raw) != 10:
                raise ValueError
            date = dt.date.fromisoformat(raw)
        except ValueError:
            self.fail(record.line, "date", f"{shown(raw)} is not a date: write YYYY-MM-DD.")
            return None
        # The rule of the JSON API and of the table's CHECK: past it the write would fail.
        if not invoice_date_ok(date):
            self.fail(record.line, "date", INVOICE_DATE_RULE)
            return None
        return date
