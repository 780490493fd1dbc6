"""Export then import into an empty database gives the same figures; formula cells are
neutralised on the way out and read back as typed."""

from __future__ import annotations

import csv
import io

import httpx

from src.domain.sql import fetch
from src.domain.users.email import email_key

HOSTILE = [
    ('=HYPERLINK("http://evil.example","click")', "hyperlink@example.com"),
    ("+1+cmd|' /C calc'!A0", "plus@example.com"),
    ("-2+3", "minus@example.com"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "at@example.com"),
    ("\tTabbed", "tab@example.com"),
    ("\rReturned", "cr@example.com"),
    ('Plain, "quoted"\nname', "=formula@example.com"),
]


async def add_hostile_customers() -> None:
    for n, (name, email) in enumerate(HOSTILE):
        # Straight into the table: the API trims names, the attack needs the raw first character.
        await fetch(
            "INSERT INTO customers (id, name, email, email_key)"
            " VALUES (gen_random_uuid(), {}, {}, {})",
            name,
            email,
            email_key(email),
        )
        await fetch(
            "INSERT INTO invoices (id, customer_id, amount, status, date)"
            " SELECT gen_random_uuid(), id, {}, 'pending', '2022-02-02' FROM customers"
            " WHERE email = {}",
            100 + n,
            email,
        )


def cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


async def test_export_neutralises_formula_cells(api: httpx.AsyncClient) -> None:
    await add_hostile_customers()
    for path in ("/api/exports/customers.csv", "/api/exports/invoices.csv"):
        body = (await api.get(path)).content
        table = cells(body)
        assert len(table) > len(HOSTILE)
        for row in table:
            for cell in row:
                # What a spreadsheet would run as a formula: none of it.
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)
        flat = [cell for row in table for cell in row]
        for name, _ in HOSTILE:
            shown = "'" + name if name[0] in "=+-@\t\r" else name
            assert shown in flat, (path, shown)
        assert "'=formula@example.com" in flat


async def summary(api: httpx.AsyncClient) -> tuple[object, ...]:
    dashboard = (await api.get("/api/dashboard")).json()
    figures = (dashboard["cards"], dashboard["overdue"], dashboard["aging"])
    listed = (await api.get("/api/customers", params={"pageSize": 100})).json()["items"]
    totals = sorted(
        (c["email"], c["invoiceCount"], c["totalPending"], c["totalPaid"]) for c in listed
    )
    customers = cells((await api.get("/api/exports/customers.csv")).content)
    invoices = cells((await api.get("/api/exports/invoices.csv")).content)
    # Numbers are the receiving database's own (the first column): compare the rest.
    assert invoices[0][0] == "number"
    return figures, totals, sorted(customers[1:]), sorted(row[1:] for row in invoices[1:])


async def pay_in_part(api: httpx.AsyncClient) -> int:
    """Part payments on three pending invoices (one paid twice, one with a voided payment);
    the cents they leave live."""
    pending = await fetch(
        "SELECT id, amount FROM invoices WHERE status = 'pending' ORDER BY amount DESC LIMIT 3"
    )
    live = 0
    for n, invoice in enumerate(pending):
        url = f"/api/invoices/{invoice['id']}/payments/"
        parts = [invoice["amount"] // 3, invoice["amount"] // 4] if n == 0 else [n * 100]
        for cents in parts:
            made = await api.post(url, json={"amount": cents, "method": "card"})
            assert made.status_code == 201, made.text
            live += cents
        if n == 2:
            wrong = await api.post(url, json={"amount": 50, "method": "cash"})
            void = await api.post(f"{url}{wrong.json()['id']}/void", json={"reason": "bounced"})
            assert void.status_code == 200, void.text
    return live


async def test_round_trip_into_an_empty_database(api: httpx.AsyncClient) -> None:
    await add_hostile_customers()
    part_paid = await pay_in_part(api)
    before = await summary(api)
    customers_csv = (await api.get("/api/exports/customers.csv")).content
    invoices_csv = (await api.get("/api/exports/invoices.csv")).content
    await fetch("DELETE FROM customers")  # and their invoices: an empty database
    assert (await api.get("/api/dashboard")).json()["cards"]["invoiceCount"] == 0
    headers = {"Content-Type": "text/csv"}
    imported = await api.post("/api/imports/customers", content=customers_csv, headers=headers)
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 6 + len(HOSTILE)
    imported = await api.post("/api/imports/invoices", content=invoices_csv, headers=headers)
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 13 + len(HOSTILE)
    assert await summary(api) == before
    # The partly paid invoices came back partly paid: one payment each, of what was paid.
    parts = await fetch(
        "SELECT p.amount, p.method, p.date = i.date AS on_invoice_date FROM payments p"
        " JOIN invoices i ON i.id = p.invoice_id WHERE i.status = 'pending'"
    )
    assert len(parts) == 3 and sum(p["amount"] for p in parts) == part_paid
    assert all(p["method"] == "other" and p["on_invoice_date"] for p in parts)
    names = {r["name"] for r in await fetch("SELECT name FROM customers")}
    assert {name for name, _ in HOSTILE} <= names  # read back as typed, not with the guard
