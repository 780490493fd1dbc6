"""Rules the database enforces (see the migrations), for code that checks them first to answer
with a readable message."""

from __future__ import annotations

import datetime as dt

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # revenue.month, YYYY-MM
MAX_INT4 = 2**31 - 1  # the largest value of an integer column (amounts, revenue)

# Invoice dates: a business range, also a CHECK on invoices.date (migration 2026-11-28T11:00).
# Outside it a date is a typing mistake, and the date search stays a fixed, small calendar.
FIRST_INVOICE_DATE = dt.date(1970, 1, 1)
LAST_INVOICE_DATE = dt.date(2099, 12, 31)
INVOICE_DATE_RULE = (
    f"Enter a date between {FIRST_INVOICE_DATE.isoformat()} and {LAST_INVOICE_DATE.isoformat()}."
)


def invoice_date_ok(date: dt.date) -> bool:
    return FIRST_INVOICE_DATE <= date <= LAST_INVOICE_DATE
