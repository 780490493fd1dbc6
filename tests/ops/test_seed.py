from __future__ import annotations

from src.domain.sql import fetch_one
from src.domain.users.repository import UserRepository
from src.ops.seed import seed_demo


async def _counts() -> tuple[int, ...]:
    row = await fetch_one(
        "SELECT (SELECT count(*) FROM users) u, (SELECT count(*) FROM customers) c,"
        " (SELECT count(*) FROM invoices) i, (SELECT count(*) FROM revenue) r"
    )
    assert row is not None
    return (row["u"], row["c"], row["i"], row["r"])


async def test_seeding_twice_changes_nothing(db: None) -> None:
    assert await _counts() == (1, 6, 13, 12)
    total = await fetch_one("SELECT sum(amount) AS s FROM invoices")
    await seed_demo()
    await seed_demo()
    assert await _counts() == (1, 6, 13, 12)
    assert await fetch_one("SELECT sum(amount) AS s FROM invoices") == total


async def test_demo_password_is_an_argon2id_hash(db: None) -> None:
    row = await fetch_one("SELECT password FROM users")
    assert row is not None and row["password"].startswith("$argon2id$")
    assert await UserRepository().authenticate("user@nextmail.com", "123456") is not None
    assert await UserRepository().authenticate("USER@nextmail.com", "123456") is not None
    assert await UserRepository().authenticate("user@nextmail.com", "1234567") is None
