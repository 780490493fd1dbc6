"""The demo data of PRODUCT.md §2, upserted by id in one transaction (idempotent)."""

from __future__ import annotations

import datetime as dt
import uuid

from src.db import DB
from src.domain.sql import fetch, fetch_one
from src.domain.users.email import email_key
from src.domain.users.passwords import hash_password

DEMO_USER = {
    "id": uuid.UUID("410544b2-4001-4271-9855-fec4b6a6442a"),
    "name": "User",
    "email": "user@nextmail.com",
    "password": "123456",
}

CUSTOMERS = [
    ("d6e15727-9fe1-4961-8c5b-ea44a9bd81aa", "Evil Rabbit", "evil@rabbit.com", "evil-rabbit"),
    (
        "3958dc9e-712f-4377-85e9-fec4b6a6442a",
        "Delba de Oliveira",
        "delba@oliveira.com",
        "delba-de-oliveira",
    ),
    ("3958dc9e-742f-4377-85e9-fec4b6a6442a", "Lee Robinson", "lee@robinson.com", "lee-robinson"),
    (
        "76d65c26-f784-44a2-ac19-586678f7c2f2",
        "Michael Novotny",
        "michael@novotny.com",
        "michael-novotny",
    ),
    ("cc27c14a-0acf-4f4a-a6c9-d45682c144b9", "Amy Burns", "amy@burns.com", "amy-burns"),
    ("13d07535-c59e-4157-a011-f8d2ef4e0cbb", "Balazs Orban", "balazs@orban.com", "balazs-orban"),
]

# (customer name, amount in cents, status, date)
INVOICES = [
    ("Evil Rabbit", 15795, "pending", "2022-12-06"),
    ("Delba de Oliveira", 20348, "pending", "2022-11-14"),
    ("Amy Burns", 3040, "paid", "2022-10-29"),
    ("Michael Novotny", 44800, "paid", "2023-09-10"),
    ("Balazs Orban", 34577, "pending", "2023-08-05"),
    ("Lee Robinson", 54246, "pending", "2023-07-16"),
    ("Evil Rabbit", 666, "pending", "2023-06-27"),
    ("Michael Novotny", 32545, "paid", "2023-06-09"),
    ("Amy Burns", 1250, "paid", "2023-06-17"),
    ("Balazs Orban", 8546, "paid", "2023-06-07"),
    ("Delba de Oliveira", 500, "paid", "2023-08-19"),
    ("Balazs Orban", 8945, "paid", "2023-06-03"),
    ("Lee Robinson", 1000, "paid", "2022-06-05"),
]

REVENUE_YEAR = 2023
REVENUE = [2000, 1800, 2200, 2500, 2300, 3200, 3500, 3700, 2500, 2800, 3000, 4800]

# Fixed ids for the demo invoices, so that upserting by id makes seeding idempotent.
_INVOICE_NAMESPACE = uuid.UUID("6f1c0d6e-4a57-4a8e-9a53-7c3f3f0e2a11")


def invoice_id(index: int) -> uuid.UUID:
    return uuid.uuid5(_INVOICE_NAMESPACE, f"demo-invoice-{index}")


async def seed_demo() -> None:
    customer_ids = {name: uuid.UUID(cid) for cid, name, _, _ in CUSTOMERS}
    async with DB.transaction():
        await fetch(
            "INSERT INTO users (id, name, email, email_key, password, created_at)"
            " VALUES ({}, {}, {}, {}, {}, now()) ON CONFLICT DO NOTHING",
            DEMO_USER["id"],
            DEMO_USER["name"],
            DEMO_USER["email"],
            email_key(str(DEMO_USER["email"])),
            hash_password(str(DEMO_USER["password"])),
        )
        for cid, name, email, slug in CUSTOMERS:
            await fetch(
                "INSERT INTO customers"
                " (id, name, email, email_key, image_url, created_at, updated_at)"
                " VALUES ({}, {}, {}, {}, {}, now(), now()) ON CONFLICT DO NOTHING",
                uuid.UUID(cid),
                name,
                email,
                email_key(email),
                f"/customers/{slug}.png",
            )
        # In date order, so that invoice numbers follow dates as the numbering migration's do.
        by_date = sorted(enumerate(INVOICES), key=lambda item: item[1][3])
        for index, (name, amount, status, date) in by_date:
            await fetch(
                # NOT EXISTS, not only ON CONFLICT: an insert that is tried takes a number.
                "INSERT INTO invoices (id, customer_id, amount, status, date, created_at,"
                " updated_at) SELECT {}, {}, {}, {}, {}, now(), now()"
                " WHERE NOT EXISTS (SELECT 1 FROM invoices WHERE id = {})"
                " ON CONFLICT DO NOTHING",
                invoice_id(index),
                customer_ids[name],
                amount,
                status,
                dt.date.fromisoformat(date),
                invoice_id(index),
            )
        for month, revenue in enumerate(REVENUE, start=1):
            await fetch(
                "INSERT INTO revenue (month, revenue) VALUES ({}, {}) ON CONFLICT DO NOTHING",
                f"{REVENUE_YEAR}-{month:02d}",
                revenue,
            )


async def is_empty() -> bool:
    row = await fetch_one(
        "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM customers) AS e"
    )
    return bool(row and row["e"])
