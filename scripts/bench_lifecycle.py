"""Benchmark the invoice lifecycle's screens through HTTP against the large data set.

`make seed-large` first (it numbers the invoices and pays the paid ones), then
`make bench-lifecycle`: starts `python -m src.ops.cli serve` on a free port (DATABASE_URL, or
the embedded server), logs in, and times each class N times after a warm-up: the overview with
its overdue money and aging, the status filters (overdue page 1 and 200), a number lookup, the
invoice page with its payments, and payment writes. Prints p50/p95/max against the targets
(reads p95 <= 25 ms, overview p95 <= 20 ms, writes p95 <= 30 ms).

    python scripts/bench_lifecycle.py --requests 100
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src.db import configure_database  # noqa: E402
from src.ops.seed import DEMO_USER  # noqa: E402
from src.settings import get_settings  # noqa: E402
from tests.support import serve  # noqa: E402

LIMITS = {"overview": 20.0, "read": 25.0, "write": 30.0}


@dataclass
class Result:
    name: str
    kind: str
    times: list[float]
    errors: int

    def pct(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.pct(0.95) <= LIMITS[self.kind]


Call = Callable[[int], Awaitable[list[httpx.Response]]]


async def measure(name: str, kind: str, call: Call, n: int, warmup: int, expect: int) -> Result:
    for i in range(warmup):
        await call(-1 - i)
    times, errors = [], 0
    for i in range(n):
        started = time.perf_counter()
        responses = await call(i)
        times.append((time.perf_counter() - started) * 1000)
        errors += sum(r.status_code != expect for r in responses)
    return Result(name, kind, times, errors)


async def run(args: argparse.Namespace) -> int:
    dsn = configure_database(get_settings())
    conn = await asyncpg.connect(dsn)
    counts = await conn.fetchrow(
        "SELECT invoice_count, customer_count, (SELECT count(*) FROM payments) AS payments"
        " FROM invoice_summary"
    )
    if counts is None or counts["invoice_count"] < 100_000:
        print("note: fewer than 100,000 invoices; run `make seed-large` first", file=sys.stderr)
    middle = await conn.fetchval("SELECT last_number / 2 FROM invoice_numbers")
    paid_invoice = await conn.fetchval(
        "SELECT id FROM invoices WHERE status = 'paid' ORDER BY number DESC LIMIT 1"
    )
    customer_id = await conn.fetchval("SELECT id FROM customers ORDER BY id LIMIT 1")
    await conn.close()
    results: list[Result] = []
    n, warm = args.requests, args.warmup
    with (
        tempfile.TemporaryDirectory() as folder,
        serve(dsn, Path(folder) / "server.log", LOG_LEVEL="WARNING") as (base, _),
    ):
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
            token = (await client.post("/api/auth/login", json=login)).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"

            def get(path: str, **params: Any) -> Call:
                request = client.build_request("GET", path, params=params)

                async def send(_: int) -> list[httpx.Response]:
                    return [await client.send(request)]

                return send

            async def add(name: str, kind: str, call: Call, expect: int = 200) -> None:
                results.append(await measure(name, kind, call, n, warm, expect))

            # A class from before the lifecycle, for comparison on a busy machine.
            await add("reference: invoices (all) p1", "read", get("/api/invoices", page=1))
            await add("overview (cards, overdue, aging)", "overview", get("/api/dashboard"))
            for status in ("overdue", "pending", "paid"):
                for page in (1, 200):
                    await add(
                        f"invoices status={status} p{page}",
                        "read",
                        get("/api/invoices", status=status, page=page),
                    )
            await add("reference: invoices lee p1", "read", get("/api/invoices", query="lee"))
            await add(
                "invoices status=overdue query=lee",
                "read",
                get("/api/invoices", status="overdue", query="lee"),
            )
            await add(
                f"number lookup INV-{middle}", "read", get("/api/invoices", query=f"INV-{middle}")
            )
            invoice = client.build_request("GET", f"/api/invoices/{paid_invoice}")
            payments = client.build_request("GET", f"/api/invoices/{paid_invoice}/payments")

            async def invoice_page(_: int) -> list[httpx.Response]:
                # As the page loads them: both at once.
                return list(await asyncio.gather(client.send(invoice), client.send(payments)))

            await add("invoice page (invoice + payments)", "read", invoice_page)

            targets: list[str] = []
            for _ in range(max(4, (n + warm) // 40 + 1)):
                made = await client.post(
                    "/api/invoices",
                    json={"customerId": str(customer_id), "amount": 5_000_000, "status": "pending"},
                )
                targets.append(made.json()["id"])
            made_payments: list[tuple[str, str]] = []

            async def pay(i: int) -> list[httpx.Response]:
                target = targets[i % len(targets)]
                response = await client.post(
                    f"/api/invoices/{target}/payments", json={"amount": 100, "method": "card"}
                )
                if response.status_code == 201:
                    made_payments.append((target, response.json()["id"]))
                return [response]

            await add("payment create", "write", pay, 201)

            async def pay_keyed(i: int) -> list[httpx.Response]:
                key = {"Idempotency-Key": str(uuid.uuid4())}
                body = {"amount": 100, "method": "cash"}
                url = f"/api/invoices/{targets[i % len(targets)]}/payments"
                return [await client.post(url, json=body, headers=key)]

            await add("payment create with Idempotency-Key", "write", pay_keyed, 201)

            async def void(_: int) -> list[httpx.Response]:
                target, payment = made_payments.pop()
                url = f"/api/invoices/{target}/payments/{payment}/void"
                return [await client.post(url, json={"reason": "bench"})]

            await add("payment void", "write", void)

            async def create_keyed(_: int) -> list[httpx.Response]:
                key = {"Idempotency-Key": str(uuid.uuid4())}
                body = {"customerId": str(customer_id), "amount": 15795, "status": "pending"}
                response = await client.post("/api/invoices", json=body, headers=key)
                targets.append(response.json()["id"])
                return [response]

            await add("invoice create with Idempotency-Key", "write", create_keyed, 201)

            async def create_plain(_: int) -> list[httpx.Response]:
                body = {"customerId": str(customer_id), "amount": 15795, "status": "pending"}
                response = await client.post("/api/invoices", json=body)
                targets.append(response.json()["id"])
                return [response]

            await add("reference: invoice create", "write", create_plain, 201)
            for target in targets:  # leave the data set as it was (numbers stay used)
                await client.delete(f"/api/invoices/{target}")

    load = os.getloadavg()
    print(
        f"\nAcme lifecycle bench: {counts['invoice_count']:,} invoices,"
        f" {counts['payments']:,} payments; {n} requests per class after {warm} warm-up;"
        f" {os.cpu_count()} CPUs, load average {load[0]:.1f}\n"
    )
    print(f"{'request class':40} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  target")
    for r in results:
        print(
            f"{r.name:40} {r.pct(0.5):7.1f} {r.pct(0.95):7.1f} {max(r.times):7.1f}"
            f"  p95<={LIMITS[r.kind]:.0f} {'ok' if r.ok else 'MISSED'}"
            + (f" ({r.errors} errors)" if r.errors else "")
        )
    return 0 if all(r.ok for r in results) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="requests per class")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per class")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
