"""The database itself refuses bad rows, whoever writes them (API, back office, psql)."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from src.db import DB
from src.domain.sql import atomic, fetch, fetch_one
from src.domain.users.email import email_key
from src.domain.users.passwords import hash_password
from tests.factories import make_customer, make_invoice

ARGON2ID = hash_password("a-password")


async def _refused(sql: str, *args: object) -> type[Exception]:
    with pytest.raises(asyncpg.PostgresError) as info:
        async with atomic():
            await fetch(sql, *args)
    return type(info.value)


async def test_migrations_created_every_table(db: None) -> None:
    rows = await fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )
    names = {r["table_name"] for r in rows}
    assert {"users", "customers", "invoices", "revenue", "user_sessions"} <= names
    migrations = await fetch_one("SELECT count(*) AS n FROM migration")
    assert migrations is not None and migrations["n"] >= 8


@pytest.mark.parametrize("amount", [0, -1])
async def test_amount_must_be_positive(db: None, amount: int) -> None:
    error = await _refused(
        "INSERT INTO invoices (customer_id, amount, status, date) VALUES ({}, {}, 'paid', now())",
        await make_customer(),
        amount,
    )
    assert error is asyncpg.CheckViolationError


async def test_amount_has_no_default(db: None) -> None:
    error = await _refused(
        "INSERT INTO invoices (customer_id, status, date) VALUES ({}, 'paid', now())",
        await make_customer(),
    )
    assert error is asyncpg.NotNullViolationError


async def test_status_must_be_pending_or_paid(db: None) -> None:
    error = await _refused(
        "INSERT INTO invoices (customer_id, amount, status, date) VALUES ({}, 5, 'overdue', now())",
        await make_customer(),
    )
    assert error is asyncpg.CheckViolationError


async def test_invoice_needs_an_existing_customer(db: None) -> None:
    error = await _refused(
        "INSERT INTO invoices (customer_id, amount, status, date) VALUES ({}, 5, 'paid', now())",
        uuid.uuid4(),
    )
    assert error is asyncpg.ForeignKeyViolationError


@pytest.mark.parametrize(
    "email", ["ANN@EXAMPLE.COM", "ann@example.com", "Ann@Example.com", "\uff21nn@example.com"]
)
async def test_customer_email_unique_in_any_case(db: None, email: str) -> None:
    await make_customer("Ann", "ann@example.com")
    error = await _refused(
        "INSERT INTO customers (name, email, email_key) VALUES ('Copy', {}, {})",
        email,
        email_key(email),
    )
    assert error is asyncpg.UniqueViolationError


async def test_a_customer_without_its_email_key_is_refused(db: None) -> None:
    """Whatever path writes a customer, it cannot leave the key every comparison uses empty."""
    error = await _refused(
        "INSERT INTO customers (name, email) VALUES ('No Key', 'nk@example.com')"
    )
    assert error is asyncpg.CheckViolationError
    customer = await make_customer()
    error = await _refused("UPDATE customers SET email_key = '' WHERE id = {}", customer)
    assert error is asyncpg.CheckViolationError


async def test_user_email_unique_in_any_case(db: None) -> None:
    error = await _refused(
        "INSERT INTO users (name, email, email_key, password)"
        " VALUES ('X', 'USER@nextmail.com', 'user@nextmail.com', {})",
        ARGON2ID,
    )
    assert error is asyncpg.UniqueViolationError


@pytest.mark.parametrize(
    ("table", "name", "email"),
    [
        ("customers", "  ", "a@b.co"),
        ("customers", "Ann", "not-an-email"),
        ("users", "", "c@d.co"),
        ("users", "Bob", "bob@"),
    ],
)
async def test_names_and_emails_are_checked(db: None, table: str, name: str, email: str) -> None:
    extra = ", email_key, password" if table == "users" else ""
    value = f", 'key-{uuid.uuid4()}', '{ARGON2ID}'" if table == "users" else ""
    error = await _refused(
        f"INSERT INTO {table} (name, email{extra}) VALUES ({{}}, {{}}{value})", name, email
    )
    assert error is asyncpg.CheckViolationError


async def test_revenue_month_format(db: None) -> None:
    error = await _refused("INSERT INTO revenue (month, revenue) VALUES ('2023-13', 1)")
    assert error is asyncpg.CheckViolationError


async def test_deleting_a_customer_deletes_their_invoices(db: None) -> None:
    customer = await make_customer()
    for amount in (100, 200):
        await make_invoice(customer, amount)
    await fetch("DELETE FROM customers WHERE id = {}", customer)
    row = await fetch_one("SELECT count(*) AS n FROM invoices WHERE customer_id = {}", customer)
    assert row == {"n": 0}


async def test_updated_at_changes_on_every_update(db: None) -> None:
    invoice = await make_invoice()
    before = await fetch_one("SELECT id, updated_at FROM invoices WHERE id = {}", invoice)
    assert before is not None
    await fetch("UPDATE invoices SET amount = amount + 1 WHERE id = {}", before["id"])
    after = await fetch_one("SELECT updated_at FROM invoices WHERE id = {}", before["id"])
    assert after is not None and after["updated_at"] > before["updated_at"]


async def test_running_totals_match_the_table_after_every_kind_of_write(db: None) -> None:
    async def check() -> None:
        summary = await fetch_one("SELECT * FROM invoice_summary")
        actual = await fetch_one(
            "SELECT count(*) AS n,"
            " coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0) AS paid,"
            " coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0) AS pending,"
            " (SELECT count(*) FROM customers) AS customers FROM invoices"
        )
        assert summary is not None and actual is not None
        assert (
            summary["invoice_count"],
            summary["paid_cents"],
            summary["pending_cents"],
            summary["customer_count"],
        ) == (actual["n"], actual["paid"], actual["pending"], actual["customers"])

    await check()
    customer = await make_customer()
    await fetch(
        "INSERT INTO invoices (customer_id, amount, status, date)"
        " SELECT {}, g, 'pending', now() FROM generate_series(1, 50) g",
        customer,
    )
    await check()
    await fetch("UPDATE invoices SET status = 'paid' WHERE amount < 20")
    await check()
    await fetch("UPDATE invoices SET amount = amount * 2 WHERE amount BETWEEN 30 AND 40")
    await check()
    await fetch("DELETE FROM invoices WHERE amount > 90 AND amount < 100")
    await check()
    await fetch("DELETE FROM customers WHERE id = {}", customer)  # cascade
    await check()
    await fetch(
        "INSERT INTO customers (name, email, email_key)"
        " VALUES ('New', 'new@example.com', 'new@example.com')"
    )
    await check()


async def test_a_failed_statement_leaves_the_transaction_usable(db: None) -> None:
    with pytest.raises(asyncpg.CheckViolationError):
        async with atomic():
            await fetch("UPDATE invoices SET amount = -5")
    row = await fetch_one("SELECT min(amount) AS m FROM invoices")
    assert row is not None and row["m"] > 0
    assert DB.current_transaction.get() is not None
