"""Concurrent writers against a real server, then the invariants that must still hold.

32 clients (by default) for 30 s create, edit and delete invoices and create and delete customers
through the HTTP API. Afterwards: no 5xx, the dashboard cards equal SUM/COUNT over the tables,
no invoice without its customer, and no deadlock in the server's log.

    python scripts/concurrency.py --url http://127.0.0.1:8000 --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from scripts import concurrency_lifecycle as lifecycle

DEMO = {"email": "user@nextmail.com", "password": "123456"}


@dataclass
class Outcome:
    operations: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    cards: dict[str, int] = field(default_factory=dict)
    actual: dict[str, int] = field(default_factory=dict)
    orphans: int = 0
    deadlocks: int = 0
    # The invoice lifecycle's invariants (scripts/concurrency_lifecycle.py), by name.
    lifecycle: dict[str, bool] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.operations.values())

    @property
    def ok(self) -> bool:
        return (
            not self.server_errors
            and not self.transport_errors
            and self.cards == self.actual
            and self.orphans == 0
            and self.deadlocks == 0
            and all(self.lifecycle.values())
        )

    def summary(self) -> str:
        ops = ", ".join(f"{k} {v}" for k, v in sorted(self.operations.items()))
        return (
            f"{self.total} operations ({ops}); 5xx: {len(self.server_errors)}; "
            f"dropped connections: {len(self.transport_errors)}; "
            f"cards == SUM/COUNT: {self.cards == self.actual}; orphans: {self.orphans}; "
            f"deadlocks: {self.deadlocks}; lifecycle invariants: "
            + ", ".join(f"{k} {'ok' if v else 'BROKEN'}" for k, v in self.lifecycle.items())
        )


async def _client(
    http: httpx.AsyncClient, rng: random.Random, deadline: float, outcome: Outcome, n: int
) -> None:
    try:
        if n % 4 == 3:  # every fourth client runs the invoice lifecycle's mix
            await lifecycle.writes(
                http, rng, deadline, outcome.operations, outcome.statuses, outcome.server_errors, n
            )
        else:
            await _writes(http, rng, deadline, outcome, n)
    except httpx.TransportError as error:
        outcome.transport_errors.append(f"client {n}: {type(error).__name__}")


async def _writes(
    http: httpx.AsyncClient, rng: random.Random, deadline: float, outcome: Outcome, n: int
) -> None:
    customers: list[str] = []
    invoices: list[str] = []
    serial = 0
    while time.monotonic() < deadline:
        roll = rng.random()
        serial += 1
        if roll < 0.08 or not customers:
            op = "create customer"
            response = await http.post(
                "/api/customers",
                json={
                    "name": f"Load {n}-{serial}",
                    "email": f"load{n}-{serial}-{rng.random()}@x.io",
                },
            )
            if response.status_code == 201:
                customers.append(response.json()["id"])
        elif roll < 0.45:
            op = "create invoice"
            response = await http.post(
                "/api/invoices",
                json={
                    "customerId": rng.choice(customers),
                    "amount": rng.randint(1, 500_000),
                    "status": rng.choice(["pending", "paid"]),
                },
            )
            if response.status_code == 201:
                invoices.append(response.json()["id"])
        elif roll < 0.75 and invoices:
            op = "edit invoice"
            response = await http.patch(
                f"/api/invoices/{rng.choice(invoices)}",
                json={"amount": rng.randint(1, 500_000), "status": rng.choice(["pending", "paid"])},
            )
        elif roll < 0.93 and invoices:
            op = "delete invoice"
            response = await http.delete(
                f"/api/invoices/{invoices.pop(rng.randrange(len(invoices)))}"
            )
        else:
            op = "delete customer"
            response = await http.delete(
                f"/api/customers/{customers.pop(rng.randrange(len(customers)))}"
            )
        outcome.operations[op] += 1
        outcome.statuses[response.status_code] += 1
        if response.status_code >= 500:
            outcome.server_errors.append(f"{op}: {response.status_code} {response.text[:200]}")


async def run(
    url: str, database_url: str, clients: int, seconds: float, log: Path | None = None
) -> Outcome:
    outcome = Outcome()
    async with httpx.AsyncClient(base_url=url, timeout=30) as anonymous:
        token = (await anonymous.post("/api/auth/login", json=DEMO)).json()["token"]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as http:
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(_client(http, random.Random(n), deadline, outcome, n) for n in range(clients))  # noqa: S311
        )
        dashboard = (await http.get("/api/dashboard")).json()
        outcome.cards = dashboard["cards"]
    connection = await asyncpg.connect(database_url)
    try:
        row = await connection.fetchrow(
            # Collected: what the live payments cover; Pending: the balances.
            "SELECT coalesce(sum(amount_paid), 0) AS collected,"
            " coalesce(sum(amount - amount_paid), 0) AS pending,"
            " count(*) AS invoice_count, (SELECT count(*) FROM customers) AS customer_count"
            " FROM invoices"
        )
        outcome.actual = {
            "collected": row["collected"],
            "pending": row["pending"],
            "invoiceCount": row["invoice_count"],
            "customerCount": row["customer_count"],
        }
        outcome.lifecycle = await lifecycle.invariants(connection, dashboard)
        outcome.orphans = await connection.fetchval(
            "SELECT count(*) FROM invoices i WHERE NOT EXISTS"
            " (SELECT 1 FROM customers c WHERE c.id = i.customer_id)"
        )
    finally:
        await connection.close()
    if log is not None:
        outcome.deadlocks = count_deadlocks(log)
    return outcome


def count_deadlocks(log: Path) -> int:
    return log.read_text(errors="replace").lower().count("deadlock") if log.exists() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--server-log", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    outcome = asyncio.run(
        run(args.url, args.database_url, args.clients, args.seconds, args.server_log)
    )
    elapsed = time.monotonic() - started
    print(f"{args.clients} clients, {elapsed:.1f} s: {outcome.summary()}")
    print(
        f"throughput: {outcome.total / args.seconds:.0f} operations/s;"
        f" statuses {dict(outcome.statuses)}"
    )
    for error in outcome.server_errors[:10]:
        print("  5xx:", error)
    print("invariants:", "hold" if outcome.ok else "BROKEN")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
