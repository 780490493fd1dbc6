"""CSV exports: the list's search, every row, money in dollars, spreadsheet-safe cells."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx

from src.domain.sql import fetch


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


async def test_invoices_export_every_matching_row_newest_first(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/exports/invoices.csv")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert response.headers["content-disposition"] == (
        f'attachment; filename="invoices-{today}.csv"'
    )
    assert response.content.startswith(
        b"date,customer_name,customer_email,amount,paid,balance,status\n"
    )
    exported = rows(response)
    assert len(exported) == 13
    assert [r["date"] for r in exported] == sorted((r["date"] for r in exported), reverse=True)
    first = exported[0]
    db = await fetch(
        "SELECT i.date::text AS date, c.name, c.email, i.amount, i.status FROM invoices i"
        " JOIN customers c ON c.id = i.customer_id ORDER BY i.date DESC, i.id DESC LIMIT 1"
    )
    amount = db[0]["amount"]
    assert first["date"] == db[0]["date"]
    assert (first["customer_name"], first["customer_email"]) == (db[0]["name"], db[0]["email"])
    assert first["amount"] == f"{amount // 100}.{amount % 100:02d}"
    paid = {r["status"]: (r["paid"], r["balance"]) for r in exported}
    lee = [r for r in exported if r["customer_name"] == "Lee Robinson" and r["status"] == "pending"]
    assert (
        lee[0]["amount"] == "542.46" and lee[0]["balance"] == "542.46" and lee[0]["paid"] == "0.00"
    )
    assert all(
        p == r["amount"] and r["balance"] == "0.00"
        for r in exported
        if r["status"] == "paid"
        for p in [r["paid"]]
    )
    assert set(paid) == {"paid", "pending"}


async def test_invoices_export_uses_the_list_search_and_status(api: httpx.AsyncClient) -> None:
    listed = (await api.get("/api/invoices", params={"query": "lee", "pageSize": 100})).json()
    exported = rows(await api.get("/api/exports/invoices.csv", params={"query": "lee"}))
    assert len(exported) == listed["total"] == 2
    pending = rows(
        await api.get("/api/exports/invoices.csv", params={"query": "lee", "status": "pending"})
    )
    assert [r["status"] for r in pending] == ["pending"]
    bad = await api.get("/api/exports/invoices.csv", params={"status": "void"})
    assert bad.status_code == 400
