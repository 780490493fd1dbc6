"""Concurrent writers against a real server, then the invariants that must still hold; then a
flood from one client while another user works.

32 clients (by default, each its own session) for 30 s create, edit and delete invoices and
create and delete customers through the HTTP API. Afterwards: no 5xx, the dashboard cards equal
SUM/COUNT over the tables, no invoice without its customer, and no deadlock in the server's log.

The flood: one session sends 100 parallel searches, again and again, for --flood-seconds; past
its in-flight limit it is answered 429 + Retry-After at once. Meanwhile another user loads the
dashboard and searches one request at a time; the figure is that user's p95 (target < 100 ms).

    python scripts/concurrency.py --url http://127.0.0.1:8000 --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

# Run as a file (`python scripts/concurrency.py`, as `make concurrency` does), the project root is
# not on the path yet; its sibling module is imported as part of the `scripts` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


async def _client(http: _as, rng: random.Random, deadline: float, outcome: Outcome, n: int) -> None:
    try:
        if n % 4 == 3:  # every fourth client runs the invoice lifecycle's mix
            await lifecycle.writes(
                http, rng, deadline, outcome.operations, outcome.statuses, outcome.server_errors, n
            )
        else:
            await _writes(http, rng, deadline, outcome, n)
    except httpx.TransportError as error:
        outcome.transport_errors.append(f"client {n}: {type(error).__name__}")


async def _writes(http: _as, rng: random.Random, deadline: float, outcome: Outcome, n: int) -> None:
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


async def login(url: str) -> str:
    """A new session of the demo user (one per simulated user: the limits are per session)."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as anonymous:
        token: str = (await anonymous.post("/api/auth/login", json=DEMO)).json()["token"]
    return token


async def run(
    url: str, database_url: str, clients: int, seconds: float, log: Path | None = None
) -> Outcome:
    outcome = Outcome()
    tokens = [await login(url) for _ in range(clients)]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as shared:
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(
                _client(_as(shared, tokens[n]), random.Random(n), deadline, outcome, n)  # noqa: S311
                for n in range(clients)
            )
        )
        dashboard = (await _as(shared, tokens[0]).get("/api/dashboard")).json()
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


class _as:
    """The shared connection pool, sending one user's bearer token (and any extra headers)."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}

    def _with(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(headers or {})}

    async def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.http.get(path, headers=self._with(headers))

    async def post(
        self, path: str, json: object, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.http.post(path, json=json, headers=self._with(headers))

    async def patch(
        self, path: str, json: object, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.http.patch(path, json=json, headers=self._with(headers))

    async def delete(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.http.delete(path, headers=self._with(headers))


@dataclass
class Flood:
    flood_statuses: Counter[int] = field(default_factory=Counter)
    other_statuses: Counter[int] = field(default_factory=Counter)
    other_ms: list[float] = field(default_factory=list)
    quiet_ms: list[float] = field(default_factory=list)  # the same user, before the flood
    retry_after_missing: int = 0

    def percentile(self, share: float, quiet: bool = False) -> float:
        ordered = sorted(self.quiet_ms if quiet else self.other_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    @property
    def ok(self) -> bool:
        return (
            not any(code >= 500 for code in (*self.flood_statuses, *self.other_statuses))
            and set(self.other_statuses) == {200}
            and self.retry_after_missing == 0
        )

    def summary(self, parallel: int, seconds: float) -> str:
        return (
            f"flood: one client, {parallel} parallel searches at a time for {seconds:.0f} s:"
            f" {sum(self.flood_statuses.values())} answers {dict(self.flood_statuses)};"
            f" other users' p95 {self.percentile(0.95):.1f} ms"
            f" (p50 {self.percentile(0.5):.1f} ms, max {max(self.other_ms, default=0):.1f} ms,"
            f" {len(self.other_ms)} requests, statuses {dict(self.other_statuses)};"
            f" target p95 < 100 ms; without the flood p95 {self.percentile(0.95, True):.1f} ms)"
        )


FLOOD_QUERIES = ("1", "a", "e", "20", "lee", "pending", "paid", "5", "0", "r")
OTHER_PATHS = ("/api/dashboard", "/api/invoices?query=lee", "/api/customers?query=e")


async def flood(url: str, seconds: float, parallel: int = 100) -> Flood:
    """One session floods searches while another user works; the other user's latencies."""
    result = Flood()
    flooder, other = await login(url), await login(url)
    limits = httpx.Limits(max_connections=parallel + 4, max_keepalive_connections=parallel + 4)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as flood_http:
        flood_http.headers["Authorization"] = f"Bearer {flooder}"
        other_headers = {"Authorization": f"Bearer {other}"}
        deadline = 0.0

        async def one_search(n: int) -> None:
            query = FLOOD_QUERIES[n % len(FLOOD_QUERIES)]
            response = await flood_http.get(f"/api/invoices?query={query}&page=1")
            result.flood_statuses[response.status_code] += 1
            if response.status_code == 429 and not response.headers.get("Retry-After"):
                result.retry_after_missing += 1

        async def flooding() -> None:
            while time.monotonic() < deadline:
                await asyncio.gather(*(one_search(n) for n in range(parallel)))

        def working(latencies: list[float], until: float) -> None:
            """The other user, on its own thread and connection: its timings must not include
            waiting for this script's event loop, which is busy sending the flood."""
            with httpx.Client(base_url=url, timeout=60, headers=other_headers) as http:
                http.get("/api/dashboard")  # its connection is open before timing
                n = 0
                while time.monotonic() < until:
                    started = time.perf_counter()
                    response = http.get(OTHER_PATHS[n % len(OTHER_PATHS)])
                    latencies.append((time.perf_counter() - started) * 1000)
                    result.other_statuses[response.status_code] += 1
                    n += 1
                    time.sleep(0.01)  # a person clicks; not a second flood

        # The baseline on this machine, right now; then the same during the flood.
        await asyncio.to_thread(working, result.quiet_ms, time.monotonic() + min(3.0, seconds / 2))
        deadline = time.monotonic() + seconds
        await asyncio.gather(flooding(), asyncio.to_thread(working, result.other_ms, deadline))
    return result


def count_deadlocks(log: Path) -> int:
    return log.read_text(errors="replace").lower().count("deadlock") if log.exists() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--server-log", type=Path)
    parser.add_argument("--flood-seconds", type=float, default=10)
    parser.add_argument("--flood-parallel", type=int, default=100)
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
    flooded = asyncio.run(flood(args.url, args.flood_seconds, args.flood_parallel))
    print(flooded.summary(args.flood_parallel, args.flood_seconds))
    print("flood:", "contained" if flooded.ok else "BROKEN (5xx, or another user was refused)")
    return 0 if outcome.ok and flooded.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
