"""Rules the database enforces (see the migrations), for code that checks them first to answer
with a readable message."""

from __future__ import annotations

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # revenue.month, YYYY-MM
MAX_INT4 = 2**31 - 1  # the largest value of an integer column (amounts, revenue)
