"""A canary: the first test writes a row, the second must not see it (per-test rollback works)."""

from __future__ import annotations

from src.domain.sql import fetch, fetch_one

CANARY = "canary@isolation.test"


async def test_canary_writes_a_customer(db: None) -> None:
    await fetch(
        "INSERT INTO customers (name, email, email_key) VALUES ('Canary', {}, {})", CANARY, CANARY
    )
    assert await fetch_one("SELECT 1 AS x FROM customers WHERE email = {}", CANARY) is not None


async def test_canary_row_is_gone_in_the_next_test(db: None) -> None:
    assert await fetch_one("SELECT 1 AS x FROM customers WHERE email = {}", CANARY) is None
