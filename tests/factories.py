"""Small factories: a test states the rows it needs instead of leaning on the demo data.

Each inserts through plain SQL inside the test's own transaction (rolled back afterwards) and
returns the new row's id. Defaults are unique, so two calls never collide on an email.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from src.domain.sql import fetch_one
from src.domain.users.email import email_key
from src.domain.users.passwords import hash_password


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def _insert(sql: str, *args: Any) -> uuid.UUID:
    row = await fetch_one(sql + " RETURNING id", *args)
    assert row is not None
    value: uuid.UUID = row["id"]
    return value


async def make_customer(name: str | None = None, email: str | None = None) -> uuid.UUID:
    name = name or _unique("Customer")
    email = email or f"{_unique('customer')}@example.com"
    return await _insert(
        "INSERT INTO customers (name, email, email_key) VALUES ({}, {}, {})",
        name,
        email,
        email_key(email),
    )


async def make_invoice(
    customer_id: uuid.UUID | None = None,
    amount: int = 12_345,
    status: str = "pending",
    date: dt.date = dt.date(2024, 3, 15),
) -> uuid.UUID:
    customer_id = customer_id or await make_customer()
    return await _insert(
        "INSERT INTO invoices (customer_id, amount, status, date) VALUES ({}, {}, {}, {})",
        customer_id,
        amount,
        status,
        date,
    )


async def make_user(
    email: str | None = None,
    password: str = "a long passphrase",  # noqa: S107 - a test account's password
    name: str = "Test User",
) -> uuid.UUID:
    email = email or f"{_unique('user')}@example.com"
    return await _insert(
        "INSERT INTO users (name, email, email_key, password) VALUES ({}, {}, {}, {})",
        name,
        email,
        email_key(email),
        hash_password(password),
    )
