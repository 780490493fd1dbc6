"""The invoice lifecycle's part of `make concurrency`: payments, voids, status changes, keyed
(Idempotency-Key) creates and deletes, and the invariants they must keep.

Invariants checked after the run:
- invoice numbers are unique and gapless: every number 1..last is held by exactly one invoice
  or recorded as deleted;
- no invoice is overpaid, each one's amount_paid is the sum of its live payments, and its status
  says paid exactly when they cover it;
- Collected == SUM(live payments), Pending == SUM(balances) (the dashboard's cards);
- the overdue total/count and the aging buckets == a direct SUM over the invoices;
- a keyed create sent twice answered the same invoice both times.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections import Counter
from typing import Any

import asyncpg
import httpx


async def writes(
    http: httpx.AsyncClient,
    rng: random.Random,
    deadline: float,
    operations: Counter[str],
    statuses: Counter[int],
    errors: list[str],
    n: int,
) -> None:
    """One client's mix of lifecycle writes until `deadline`."""
    customer = await http.post(
        "/api/customers",
        json={"name": f"Lifecycle {n}", "email": f"lifecycle{n}-{rng.random()}@x.io"},
    )
    if customer.status_code != 201:
        errors.append(f"lifecycle client {n}: customer {customer.status_code}")
        return
    customer_id = customer.json()["id"]
    invoices: list[str] = []
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.25 or not invoices:
            op = "keyed create"
            key = {"Idempotency-Key": str(uuid.UUID(int=rng.getrandbits(128)))}
            body = {
                "customerId": customer_id,
                "amount": rng.randint(100, 100_000),
                "status": "paid" if rng.random() < 0.2 else "pending",
            }
            response = await http.post("/api/invoices", json=body, headers=key)
            if response.status_code == 201:
                invoices.append(response.json()["id"])
                if rng.random() < 0.3:
                    again = await http.post("/api/invoices", json=body, headers=key)
                    operations["keyed retry"] += 1
                    if again.status_code != 201 or again.json()["id"] != response.json()["id"]:
                        errors.append(
                            f"keyed retry answered {again.status_code}, not the same invoice"
                        )
        elif roll < 0.6:
            op = "payment"
            response = await http.post(
                f"/api/invoices/{rng.choice(invoices)}/payments",
                json={
                    "amount": rng.randint(1, 60_000),
                    "method": rng.choice(["card", "cash", "check"]),
                },
            )
        elif roll < 0.75:
            op = "void"
            invoice = rng.choice(invoices)
            listed = await http.get(f"/api/invoices/{invoice}/payments")
            live = (
                [p for p in listed.json() if not p["voidedAt"]] if listed.status_code == 200 else []
            )
            if not live:
                operations["void (nothing to void)"] += 1
                continue
            response = await http.post(
                f"/api/invoices/{invoice}/payments/{rng.choice(live)['id']}/void",
                json={"reason": "concurrency run"},
            )
        elif roll < 0.9:
            op = "mark paid/pending"
            response = await http.patch(
                f"/api/invoices/{rng.choice(invoices)}",
                json={"status": rng.choice(["paid", "pending"])},
            )
        else:
            op = "delete numbered invoice"
            response = await http.delete(
                f"/api/invoices/{invoices.pop(rng.randrange(len(invoices)))}"
            )
        operations[op] += 1
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            errors.append(f"{op}: {response.status_code} {response.text[:200]}")


async def invariants(connection: asyncpg.Connection, dashboard: dict[str, Any]) -> dict[str, bool]:
    """Each lifecycle invariant by name: True when it holds."""
    numbers = await connection.fetchrow(
        """
        SELECT (SELECT last_number FROM invoice_numbers) AS last,
               (SELECT count(*) FROM invoices)
               + (SELECT count(*) FROM deleted_invoice_numbers) AS accounted,
               (SELECT count(*) FROM (SELECT number FROM invoices
                                      UNION SELECT number FROM deleted_invoice_numbers) u)
                   AS distinct_numbers,
               (SELECT coalesce(max(number), 0) FROM (SELECT number FROM invoices
                                      UNION ALL SELECT number FROM deleted_invoice_numbers) u)
                   AS top
        """
    )
    money = await connection.fetchrow(
        """
        SELECT count(*) FILTER (WHERE i.amount_paid > i.amount) AS overpaid,
               count(*) FILTER (WHERE i.amount_paid <> p.live) AS paid_mismatch,
               count(*) FILTER (WHERE (i.status = 'paid') <> (i.amount_paid >= i.amount))
                   AS status_mismatch,
               coalesce(sum(p.live), 0) AS live_payments,
               coalesce(sum(i.amount - i.amount_paid), 0) AS balances
          FROM invoices i CROSS JOIN LATERAL (
            SELECT coalesce(sum(amount), 0) AS live FROM payments
             WHERE invoice_id = i.id AND voided_at IS NULL) p
        """
    )
    today = dt.datetime.now(dt.UTC).date()
    aging = await connection.fetchrow(
        """
        SELECT coalesce(sum(b) FILTER (WHERE due_date >= $1), 0) AS current,
               coalesce(sum(b) FILTER (WHERE due_date BETWEEN $1 - 30 AND $1 - 1), 0) AS days1to30,
               coalesce(sum(b) FILTER (WHERE due_date BETWEEN $1 - 60 AND $1 - 31), 0)
                   AS days31to60,
               coalesce(sum(b) FILTER (WHERE due_date BETWEEN $1 - 90 AND $1 - 61), 0)
                   AS days61to90,
               coalesce(sum(b) FILTER (WHERE due_date < $1 - 90), 0) AS over90,
               coalesce(sum(b) FILTER (WHERE due_date < $1), 0) AS overdue,
               count(*) FILTER (WHERE due_date < $1) AS overdue_count
          FROM (SELECT due_date, amount - amount_paid AS b FROM invoices
                 WHERE status = 'pending') u
        """,
        today,
    )
    cards = dashboard["cards"]
    return {
        "numbers unique and gapless": numbers["accounted"]
        == numbers["distinct_numbers"]
        == numbers["last"]
        == numbers["top"],
        "no invoice overpaid": money["overpaid"] == 0,
        "amount_paid == SUM(live payments) per invoice": money["paid_mismatch"] == 0,
        "status paid exactly when covered": money["status_mismatch"] == 0,
        "Collected == SUM(live payments)": cards["collected"] == money["live_payments"],
        "Pending == SUM(balances)": cards["pending"] == money["balances"],
        "aging == direct SUM": dashboard["aging"]
        == {k: aging[k] for k in ("current", "days1to30", "days31to60", "days61to90", "over90")},
        "overdue == direct SUM": dashboard["overdue"]
        == {"total": aging["overdue"], "count": aging["overdue_count"]},
    }
