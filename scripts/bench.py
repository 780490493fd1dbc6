"""Benchmark every screen through HTTP against the large data set (`make seed-large` first).

Starts `python -m src.ops.cli serve` on a free port (DATABASE_URL, or the embedded server), logs in,
and for each request class fires N requests with httpx after a warm-up, printing p50/p95/max and
requests/s. For the search classes it also times the original dashboard's SQL (PRODUCT.md §7) for
the same query on the same database, and prints how many times faster the API is (its p50
against the original's median). Then 16 clients read the invoices list for 20 s. Last, the load
phase drives every search class with `wrk` (Debian's package; `make bench` installs it when it
can) for a few seconds each and prints req/s, p50, p99 and the server's CPU per request.

    make bench                       # or: python scripts/bench.py --requests 50 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src.db import configure_database  # noqa: E402
from src.domain.sql import contains_pattern  # noqa: E402
from src.ops.seed import DEMO_USER  # noqa: E402
from src.settings import get_settings  # noqa: E402
from tests.support import serve  # noqa: E402

# The original's invoice search: five ILIKEs OR'ed over the join, then a count of the same.
_ORIGINAL_FILTER = """
      FROM invoices i JOIN customers c ON i.customer_id = c.id
     WHERE c.name ILIKE $1 OR c.email ILIKE $1 OR i.amount::text ILIKE $1
        OR i.date::text ILIKE $1 OR i.status ILIKE $1
"""
ORIGINAL_SEARCH = [
    "SELECT i.id, i.amount, i.date, i.status, c.name, c.email, c.image_url"
    f" {_ORIGINAL_FILTER} ORDER BY i.date DESC LIMIT 6 OFFSET $2",
    f"SELECT count(*) {_ORIGINAL_FILTER}",
]
ORIGINAL_OVERVIEW = [
    "SELECT count(*) FROM invoices",
    "SELECT count(*) FROM customers",
    "SELECT sum(CASE WHEN status = 'paid' THEN amount ELSE 0 END) AS paid,"
    " sum(CASE WHEN status = 'pending' THEN amount ELSE 0 END) AS pending FROM invoices",
    "SELECT * FROM revenue",
    "SELECT i.amount, c.name, c.image_url, c.email, i.id FROM invoices i"
    " JOIN customers c ON i.customer_id = c.id ORDER BY i.date DESC LIMIT 5",
]
ORIGINAL_CUSTOMERS = [
    """
    SELECT c.id, c.name, c.email, c.image_url, count(i.id) AS total_invoices,
           sum(CASE WHEN i.status = 'pending' THEN i.amount ELSE 0 END) AS total_pending,
           sum(CASE WHEN i.status = 'paid' THEN i.amount ELSE 0 END) AS total_paid
      FROM customers c LEFT JOIN invoices i ON c.id = i.customer_id
     WHERE c.name ILIKE $1 OR c.email ILIKE $1
     GROUP BY c.id, c.name, c.email, c.image_url ORDER BY c.name ASC
    """
]
ORIGINAL_PICKER = ["SELECT id, name FROM customers ORDER BY name ASC"]


@dataclass
class Result:
    name: str
    kind: str  # overview | read | search | write | login
    times: list[float]
    seconds: float
    errors: int
    original_ms: float | None = None

    def pct(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def target(self) -> str:
        return {"overview": "p95<=20", "write": "p95<=30", "login": "-"}.get(self.kind, "p95<=50")

    @property
    def ok(self) -> bool:
        p95 = self.pct(0.95)
        limit = {"overview": 20.0, "write": 30.0, "login": float("inf")}.get(self.kind, 50.0)
        fast = self.original_ms is None or self.kind != "search" or self.ratio >= 20
        return self.errors == 0 and p95 <= limit and fast

    @property
    def ratio(self) -> float:
        assert self.original_ms is not None
        return self.original_ms / max(self.pct(0.5), 1e-6)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def time_original(
    conn: asyncpg.Connection, sqls: list[str], args: list[Any], runs: int
) -> float | None:
    if runs <= 0:  # --original-runs 0: not timed
        return None
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for sql in sqls:
            await conn.fetch(sql, *args[: len(set(re.findall(r"\$\d+", sql)))])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def measure(
    name: str,
    kind: str,
    call: Callable[[int], Awaitable[httpx.Response]],
    n: int,
    warmup: int,
    expect: int = 200,
) -> Result:
    for i in range(warmup):
        await call(-1 - i)
    times, errors = [], 0
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        response = await call(i)
        times.append((time.perf_counter() - t) * 1000)
        errors += response.status_code != expect
    return Result(name, kind, times, time.perf_counter() - started, errors)


async def concurrency(
    base: str, tokens: list[str], duration: float
) -> tuple[int, float, int, float]:
    """Each client is its own user (session): the API bounds one session's requests in flight."""
    clients = len(tokens)
    times: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits) as client:

        async def worker(token: str) -> None:
            nonlocal errors
            headers = {"Authorization": f"Bearer {token}"}
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                try:
                    response = await client.get(
                        "/api/invoices", params={"page": 1}, headers=headers
                    )
                    errors += response.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                times.append((time.perf_counter() - t) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker(token) for token in tokens))
        elapsed = time.perf_counter() - started
    times.sort()
    return len(times), len(times) / elapsed, errors, times[int(0.95 * len(times))]


# The load phase: every search class under concurrent load (issue 18's targets), page 2.
LOAD_CLASSES: list[tuple[str, str, dict[str, str]]] = [
    ("list, no query", "/api/invoices", {}),
    ("overview", "/api/dashboard", {}),
    ("paid", "/api/invoices", {"query": "paid"}),
    ("pending", "/api/invoices", {"query": "pending"}),
    ("157.95 (dollars)", "/api/invoices", {"query": "157.95"}),
    ("157 (cents digits)", "/api/invoices", {"query": "157"}),
    ("2022-03 (ISO date)", "/api/invoices", {"query": "2022-03"}),
    ("Dec 6 (as shown)", "/api/invoices", {"query": "Dec 6"}),
    ("December 2022", "/api/invoices", {"query": "December 2022"}),
    ("robinson", "/api/invoices", {"query": "robinson"}),
    ("lee", "/api/invoices", {"query": "lee"}),
    ("son", "/api/invoices", {"query": "son"}),
    ("le (two characters)", "/api/invoices", {"query": "le"}),
    ("1", "/api/invoices", {"query": "1"}),
    ("a", "/api/invoices", {"query": "a"}),
    ("status=overdue", "/api/invoices", {"status": "overdue"}),
    ("lee, status=overdue", "/api/invoices", {"query": "lee", "status": "overdue"}),
    ("INV-500037 (number)", "/api/invoices", {"query": "INV-500037"}),
    ("customers, no query", "/api/customers", {}),
    ("customers robinson", "/api/customers", {"query": "robinson"}),
    ("customers a", "/api/customers", {"query": "a"}),
]
LOAD_RATE, LOAD_P99 = 500.0, 100.0
WRK = shutil.which("wrk") or "wrk"


@dataclass
class Load:
    name: str
    requests: int
    rate: float
    p50: float
    p99: float
    bad: int
    cpu_ms: float
    db_cpu_ms: float

    @property
    def ok(self) -> bool:
        return self.rate >= LOAD_RATE and self.p99 <= LOAD_P99 and self.bad == 0


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, token: str, seconds: float, clients: int) -> tuple[int, float, float, float, int]:
    """(requests, req/s, p50 ms, p99 ms, non-2xx or socket errors) of one wrk run."""
    out = subprocess.run(  # noqa: S603 - our own arguments
        [WRK, "-t2", f"-c{clients}", f"-d{seconds:g}s", "--latency",
         "-H", f"Authorization: Bearer {token}", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    found = re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    latency = {p: _ms(v, u) for p, v, u in found}
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    bad += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return requests, rate, latency.get("50", float("nan")), latency.get("99", float("nan")), bad


def database_cpu_seconds(database: str) -> float:
    """CPU of the PostgreSQL backends connected to `database` (a local server: its processes
    are titled `postgres: ... <user> <database> <client>`): the queries' own cost."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().decode(errors="replace")
            if title.startswith("postgres: ") and f" {database} " in title:
                total += cpu_seconds(int(proc.name))
        except OSError:  # the process ended meanwhile
            continue
    return total


def load_phase(
    base: str, token: str, pid: int, seconds: float, clients: int, database: str
) -> list[Load]:
    loads = []
    for name, path, params in LOAD_CLASSES:
        url = str(httpx.URL(base + path, params={**params, "page": "2"}))
        wrk(url, token, 1, clients)  # warm-up
        before, db_before = cpu_seconds(pid), database_cpu_seconds(database)
        requests, rate, p50, p99, bad = wrk(url, token, seconds, clients)
        cpu_ms = (cpu_seconds(pid) - before) * 1000 / max(requests, 1)
        db_ms = (database_cpu_seconds(database) - db_before) * 1000 / max(requests, 1)
        loads.append(Load(name, requests, rate, p50, p99, bad, cpu_ms, db_ms))
        print(f"  load {name}: {rate:.0f} req/s, p99 {p99:.1f} ms", file=sys.stderr)
    return loads


async def run(args: argparse.Namespace) -> int:
    dsn = configure_database(get_settings())
    conn = await asyncpg.connect(dsn)
    counts = await conn.fetchrow("SELECT invoice_count, customer_count FROM invoice_summary")
    if counts is None or counts["invoice_count"] < 100_000:
        print("note: fewer than 100,000 invoices; run `make seed-large` first", file=sys.stderr)
    full_name = (
        await conn.fetchval(
            "SELECT name FROM customers WHERE email LIKE '%@synthetic.acme.test'"
            " ORDER BY id LIMIT 1"
        )
        or "Lee Robinson"
    )
    customer_id = await conn.fetchval("SELECT id FROM customers ORDER BY id LIMIT 1")
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        serve(
            dsn,
            Path(folder) / "server.log",
            LOG_LEVEL="WARNING",
            # wrk sends every connection with one token: let that session have them all in
            # flight, so the load phase measures the server, not the per-client limit.
            CLIENT_MAX_IN_FLIGHT=str(max(64, args.clients * 2)),
        ) as (base, server),
    ):
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
            token = (await client.post("/api/auth/login", json=login)).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            n, warm = args.requests, args.warmup

            def get(path: str, **params: Any) -> Callable[[int], Awaitable[httpx.Response]]:
                # Built once, sent N times: the figures are the server's and the wire's, not
                # httpx assembling the same URL again (about 0.2 ms a request on this machine).
                request = client.build_request("GET", path, params=params)
                return lambda _: client.send(request)

            results.append(await measure("overview", "overview", get("/api/dashboard"), n, warm))
            results[-1].original_ms = await time_original(
                conn, ORIGINAL_OVERVIEW, [], args.original_runs
            )
            # The broad classes last (robinson, son: many customers; le, 1, a: too short for
            # the trigram indexes, totals estimated from the sample).
            queries = ["", "paid", "pending", "2022-03", "157", "157.95", "lee", full_name,
                       "no such thing", "Dec 6", "Dec 6, 2022", "December 2022",
                       "dec 2022", "robinson", "son", "le", "1", "a"]  # fmt: skip
            for query in queries:
                for page in (1, 200):
                    label = f"invoices {query or '(all)'!s:.16} p{page}"
                    result = await measure(
                        label, "search", get("/api/invoices", query=query, page=page), n, warm
                    )
                    result.original_ms = await time_original(
                        conn,
                        ORIGINAL_SEARCH,
                        [contains_pattern(query), (page - 1) * 6],
                        args.original_runs,
                    )
                    results.append(result)
            for label, query in (("customers p1", ""), ("customers search robinson", "robinson")):
                result = await measure(label, "search", get("/api/customers", query=query), n, warm)
                result.original_ms = await time_original(
                    conn, ORIGINAL_CUSTOMERS, [contains_pattern(query)], args.original_runs
                )
                results.append(result)
            picker = await measure(
                "picker ada", "search", get("/api/customers/options", query="ada"), n, warm
            )
            picker.original_ms = await time_original(conn, ORIGINAL_PICKER, [], args.original_runs)
            results.append(picker)

            some = (await client.get("/api/invoices", params={"query": "lee"})).json()["items"]
            results.append(
                await measure("get invoice", "read", get(f"/api/invoices/{some[0]['id']}"), n, warm)
            )
            created: list[str] = []

            async def create(_: int) -> httpx.Response:
                body = {"customerId": str(customer_id), "amount": 15795, "status": "pending"}
                response = await client.post("/api/invoices", json=body)
                created.append(response.json()["id"])
                return response

            results.append(await measure("create invoice", "write", create, n, warm, 201))

            async def update(i: int) -> httpx.Response:
                body = {"customerId": str(customer_id), "amount": 100 + i + 10, "status": "paid"}
                return await client.put(f"/api/invoices/{created[i % len(created)]}", json=body)

            results.append(await measure("update invoice", "write", update, n, warm))
            victims = list(created)

            async def remove(_: int) -> httpx.Response:
                return await client.delete(f"/api/invoices/{victims.pop()}")

            deletes = min(n, len(victims) - warm)
            results.append(await measure("delete invoice", "write", remove, deletes, warm, 204))
            for leftover in victims:
                await client.delete(f"/api/invoices/{leftover}")

            async def log_in(_: int) -> httpx.Response:
                async with httpx.AsyncClient(base_url=base) as fresh:
                    return await fresh.post("/api/auth/login", json=login)

            results.append(await measure("login", "login", log_in, max(5, n // 5), 2))
            tokens = [(await log_in(0)).json()["token"] for _ in range(args.clients)]
            cpu_before = cpu_seconds(server.pid)
            total, rate, errors, p95 = await concurrency(base, tokens, args.duration)
            cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(total, 1)
        loads: list[Load] = []
        if args.load_seconds > 0 and shutil.which("wrk"):
            database = str(await conn.fetchval("SELECT current_database()"))
            loads = load_phase(base, token, server.pid, args.load_seconds, args.clients, database)
        elif args.load_seconds > 0:
            print("wrk is not installed (Debian: apt-get install wrk): no load phase.")
        rss = peak_rss_mb(server.pid)
    await conn.close()
    report(results, counts, args, (total, rate, errors, p95, cpu_ms), rss)
    report_load(loads, args)
    return 0


def report_load(loads: list[Load], args: argparse.Namespace) -> None:
    if not loads:
        return
    print(
        f"\nLoad: wrk, 2 threads, {args.clients} connections, {args.load_seconds:g} s per class,"
        f" page 2, one server process; CPU: the server process's own, and PostgreSQL's (its"
        f" backends for this database) per request. Target: >= {LOAD_RATE:.0f} req/s and"
        f" p99 <= {LOAD_P99:.0f} ms.\n"
    )
    print(
        f"{'class':24} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/req':>10}"
        f" {'DB ms/req':>9}  target"
    )
    for x in loads:
        print(
            f"{x.name:24} {x.rate:7.0f} {x.p50:7.1f} {x.p99:7.1f} {x.cpu_ms:10.2f}"
            f" {x.db_cpu_ms:9.2f}  {'ok' if x.ok else 'MISSED'}"
            + (f" ({x.bad} errors)" if x.bad else "")
        )


def report(
    results: list[Result],
    counts: Any,
    args: argparse.Namespace,
    load: tuple[int, float, int, float, float],
    rss: float,
) -> None:
    load_avg = os.getloadavg()
    print(
        f"\nAcme bench: {counts['invoice_count']:,} invoices, {counts['customer_count']:,}"
        f" customers; {args.requests} requests per class after {args.warmup} warm-up;"
        f" {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs,"
        f" load average {load_avg[0]:.1f}\n"
    )
    print(
        f"{'request class':34} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'req/s':>7}"
        f" {'orig. ms':>9} {'faster':>7}  target"
    )
    for r in results:
        original = f"{r.original_ms:9.1f}" if r.original_ms is not None else f"{'-':>9}"
        ratio = f"{r.ratio:6.0f}x" if r.original_ms is not None else f"{'-':>7}"
        target = r.target + (" and >=20x" if r.kind == "search" else "")
        print(
            f"{r.name:34} {r.pct(0.5):7.1f} {r.pct(0.95):7.1f} {max(r.times):7.1f}"
            f" {len(r.times) / r.seconds:7.0f} {original} {ratio}  {target}"
            f" {'ok' if r.ok else 'MISSED'}" + (f" ({r.errors} errors)" if r.errors else "")
        )
    total, rate, errors, p95, cpu_ms = load
    print(
        f"\n{args.clients} clients on the invoices list for {args.duration:.0f} s: {total:,}"
        f" requests, {rate:.0f} req/s, p95 {p95:.1f} ms, {errors} errors,"
        f" {cpu_ms:.2f} ms server CPU per request"
        f"  (target >=400 req/s, 0 errors: {'ok' if rate >= 400 and errors == 0 else 'MISSED'})"
    )
    print(
        f"server peak RSS (VmHWM): {rss:.0f} MB  (target <=250: {'ok' if rss <= 250 else 'MISSED'})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="requests per class")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per class")
    parser.add_argument(
        "--original-runs", type=int, default=3, help="runs of the original SQL (0: skip)"
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of the load run")
    parser.add_argument(
        "--load-seconds", type=float, default=6.0, help="wrk seconds per class (0: no load phase)"
    )
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
