"""The synthetic data set's rows, deterministic from a seed: customers with unique emails
under SYNTHETIC_DOMAIN, invoices in date order (60 % paid) spread over every day an invoice may
have, and the lifecycle the numbering migration gave old invoices (a number, a due date, one
payment of a paid invoice's amount). Pure Python; `synthetic.py` loads them.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from src.domain.rules import DEFAULT_TERMS, FIRST_INVOICE_DATE, LAST_INVOICE_DATE, due_after
from src.domain.users.email import email_key

SYNTHETIC_DOMAIN = "synthetic.acme.test"
SEED = 20261126
# Dates spread over every day an invoice may have, so the date search is measured at its widest.
FIRST_DAY = FIRST_INVOICE_DATE
LAST_DAY = LAST_INVOICE_DATE
PAID_SHARE = 0.6
MIN_CENTS, MAX_CENTS = 500, 500_000  # $5.00 .. $5,000.00, log-uniform
BATCH = 50_000

_FIRST = """
Aaron Abigail Ada Adam Adrian Aisha Alan Albert Alejandro Alex Alice Amara Amelia Amir Amy Ana
Andre Andrea Andrew Angela Anna Anthony Arjun Arthur Ava Beatrice Benjamin Bianca Boris Brandon
Brian Bruno Caleb Camila Carlos Carmen Caroline Catherine Charles Charlotte Chen Chloe Chris
Clara Colleen Daniel David Deepa Diana Diego Dmitri Dorothy Edward Elena Eli Elijah Elizabeth
Ella Emily Emma Eric Ethan Eva Fatima Felix Fiona Francesca Frank Gabriel Grace Hannah Harper
Hassan Hector Helen Henry Hiro Hugo Ian Imani Ingrid Isaac Isabel Ivan Jack Jacob James Jasmine
Javier Jin John Jonas Jose Joseph Julia Kai Karen Kathleen Kenji Kevin Khalid Laila Laura Leah
Lee Leo Liam Lina Lucas Lucy Luis Maya Mei Mia Michael Miguel Mila Mohammed Naomi Nathan Nina
Noah Nora Olga Oliver Olivia Omar Oscar Paul Pedro Peter Priya Rachel Rafael Ravi Rebecca Ricardo
Robert Rosa Ryan Sakura Samuel Sara Sebastian Sofia Sophie Stefan Susan Taylor Thomas Tomas Uma
Valentina Victor Wei William Yara Yusuf Zara Zoe
"""

_LAST = """
Abbott Adams Ahmed Ali Alvarez Andersen Anderson Bailey Baker Banerjee Barnes Becker Bell
Bennett Bergstrom Bianchi Brooks Brown Bryant Burns Campbell Carter Castillo Chang Chen Clark
Cohen Collins Cook Cooper Costa Cruz Dang Davies Davis Diaz Dubois Edwards Evans Fischer Fisher
Flores Foster Fournier Garcia Gomez Gonzalez Gordon Graham Gray Green Gupta Hall Hansen Harris
Hayes Henderson Hernandez Hill Hoffmann Horvat Howard Hughes Ibrahim Ito Jackson James Jansen
Jensen Johansson Johnson Jones Kaur Keller Kelly Khan Kim King Klein Kowalski Kumar Larsen
Laurent Lee Lewis Lopez Martin Martinez Meyer Miller Mitchell Moore Morales Moreau Morgan
Morris Muller Murphy Nakamura Nelson Nguyen Novak Novotny Nowak Oconnor Okafor Oliveira Olsen
Orban Ortiz Park Parker Patel Perez Peterson Petrov Phillips Popescu Price Ramirez Reed Reyes
Richardson Rivera Roberts Robinson Rodriguez Rogers Romano Rossi Russell Sanchez Santos Sato
Schmidt Schneider Scott Shah Silva Singh Smith Sokolov Stewart Suzuki Tanaka Taylor Thomas
Thompson Torres Turner Walker Wang Ward Watson White Williams Wilson Wong Wright Wu Yamamoto
Yang Young Zhang Zimmermann
"""
FIRST_NAMES = _FIRST.split()
LAST_NAMES = _LAST.split()


def _uuid(rng: random.Random) -> uuid.UUID:
    bits = rng.getrandbits(128)
    # Version 4, RFC 4122 variant: the same layout as uuid.uuid4(), from a seeded generator.
    bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)
    return uuid.UUID(int=bits)


def _uuid7(rng: random.Random, millis: int) -> uuid.UUID:
    """A version 7 (time-ordered) id: rows written in date order append to the primary key
    instead of touching a random page of it for each row."""
    bits = (millis << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
    return uuid.UUID(int=bits | rng.getrandbits(62))


def synthetic_customers(count: int, seed: int = SEED) -> list[tuple[Any, ...]]:
    """Rows (id, name, email, email_key, image_url, created_at, updated_at) with unique
    emails (unique by their email_key: the names are ASCII, so lower-casing is folding)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    seen: dict[str, int] = {}
    created = dt.datetime.combine(FIRST_DAY, dt.time(9), tzinfo=dt.UTC)
    rows = []
    for _ in range(count):
        first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
        last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
        local = f"{first}.{last}".lower()
        n = seen.get(local, 0) + 1
        seen[local] = n
        email = f"{local}{n if n > 1 else ''}@{SYNTHETIC_DOMAIN}"
        rows.append(
            (_uuid(rng), f"{first} {last}", email, email_key(email), None, created, created)
        )
    return rows


def synthetic_invoices(
    customer_ids: Sequence[uuid.UUID], count: int, seed: int = SEED
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of invoice rows in date order (as they would have been written), 60 % paid."""
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible sample data
    span = (LAST_DAY - FIRST_DAY).days + 1
    offsets = sorted(int(rng.random() * span) for _ in range(count))
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(span)]
    stamps = [dt.datetime.combine(d, dt.time(12), tzinfo=dt.UTC) for d in days]
    epoch_ms = [int(s.timestamp() * 1000) for s in stamps]
    n_customers = len(customer_ids)
    ratio = MAX_CENTS / MIN_CENTS
    for start in range(0, count, BATCH):
        batch = []
        for n, offset in enumerate(offsets[start : start + BATCH], start):
            stamp = stamps[offset]
            batch.append(
                (
                    _uuid7(rng, epoch_ms[offset] + n),
                    customer_ids[int(rng.random() * n_customers)],
                    int(MIN_CENTS * ratio ** rng.random()),
                    "paid" if rng.random() < PAID_SHARE else "pending",
                    days[offset],
                    stamp,
                    stamp,
                )
            )
        yield batch


Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def with_lifecycle(batches: Iterator[list[tuple[Any, ...]]], first_number: int) -> Iterator[Batch]:
    """Each batch numbered from `first_number` on, due 30 days after its date, and each paid
    invoice with one payment of its amount on its date (what the migration gave old invoices)."""
    number = first_number
    for batch in batches:
        invoices, payments = [], []
        for row in batch:
            invoice_id, _, amount, status, date, created, _ = row
            paid = amount if status == "paid" else 0
            invoices.append((*row, number, due_after(date, DEFAULT_TERMS), paid))
            if paid:
                payments.append((invoice_id, amount, date, "other", created))
            number += 1
        yield invoices, payments
