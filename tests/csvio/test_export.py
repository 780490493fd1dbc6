"""CSV exports: the list's search, every row, money in dollars, spreadsheet-safe cells."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx
import pytest

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
        b"number,date,due_date,customer_name,customer_email,amount,paid,balance,status\r\n"
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
    assert bad.json()["errors"][0]["field"] == "status"


@pytest.mark.parametrize("query", ["", "lee", "2022"])
async def test_the_overdue_tab_exports_what_it_lists(api: httpx.AsyncClient, query: str) -> None:
    """The invoices page's Export CSV sends its status tab, overdue included."""
    params = {"query": query, "status": "overdue"}
    listed = (await api.get("/api/invoices", params={**params, "pageSize": 100})).json()
    exported = rows(await api.get("/api/exports/invoices.csv", params=params))
    assert listed["total"] > 0 or query
    assert [r["number"] for r in exported] == [i["number"] for i in listed["items"]]
    assert all(r["status"] == "pending" for r in exported)


@pytest.mark.parametrize("query", ["", "lee", "PAID", "2022-12", "157.95", "1000", "@", "zzz"])
async def test_invoices_export_matches_the_list_for_every_kind_of_query(
    api: httpx.AsyncClient, query: str
) -> None:
    listed = (await api.get("/api/invoices", params={"query": query, "pageSize": 100})).json()
    exported = rows(await api.get("/api/exports/invoices.csv", params={"query": query}))
    assert len(exported) == listed["total"]
    assert [(r["date"], r["customer_email"]) for r in exported] == [
        (i["date"], i["customerEmail"]) for i in listed["items"]
    ]


async def test_customers_export_matches_the_list(api: httpx.AsyncClient) -> None:
    listed = (await api.get("/api/customers", params={"query": "or", "pageSize": 100})).json()
    exported = rows(await api.get("/api/exports/customers.csv", params={"query": "or"}))
    assert [
        (r["name"], r["email"], r["invoice_count"], r["total_pending"], r["total_paid"])
        for r in exported
    ] == [
        (
            c["name"],
            c["email"],
            str(c["invoiceCount"]),
            f"{c['totalPending'] // 100}.{c['totalPending'] % 100:02d}",
            f"{c['totalPaid'] // 100}.{c['totalPaid'] % 100:02d}",
        )
        for c in listed["items"]
    ]
    everyone = await api.get("/api/exports/customers.csv")
    assert everyone.content.startswith(b"name,email,invoice_count,total_pending,total_paid\r\n")
    assert 'filename="customers-' in everyone.headers["content-disposition"]


async def test_exports_need_a_login(client: httpx.AsyncClient) -> None:
    for path in ("/api/exports/invoices.csv", "/api/exports/customers.csv"):
        response = await client.get(path)
        assert response.status_code == 401
        assert "text/csv" not in response.headers["content-type"]


async def test_cookie_session_exports_too(client: httpx.AsyncClient) -> None:
    from tests.conftest import login

    await login(client)  # sets the session cookie; no bearer header
    response = await client.get("/api/exports/invoices.csv", params={"query": "lee"})
    assert len(rows(response)) == 2


async def test_on_lambda_a_big_export_is_refused_with_a_message(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from src.http import exports
    from src.http.app import create_app
    from src.settings import get_settings
    from tests.conftest import login

    app = create_app(replace(get_settings(), lambda_function="acme-api"), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as lambda_api:
        await login(lambda_api)
        small = await lambda_api.get("/api/exports/invoices.csv", params={"query": "lee"})
        assert len(rows(small)) == 2
        assert small.headers["content-length"] == str(len(small.content))
        # Lambda counts the body JSON-encoded (each CR and LF as two characters): an export of
        # exactly the limit in raw bytes is over it there.
        monkeypatch.setattr(exports, "LAMBDA_EXPORT_LIMIT", len(small.content))
        again = await lambda_api.get("/api/exports/invoices.csv", params={"query": "lee"})
        assert again.status_code == 413
        # The real limit is 5 MB; the demo data is smaller than that, so the limit shrinks.
        monkeypatch.setattr(exports, "LAMBDA_EXPORT_LIMIT", 300)
        big = await lambda_api.get("/api/exports/invoices.csv")
        assert big.status_code == 413
        assert "larger than 5 MB" in big.json()["detail"]
        assert "make export ARGS='invoices FILE'" in big.json()["detail"]


async def test_lines_end_in_crlf_and_line_breaks_inside_values_are_kept(
    api: httpx.AsyncClient,
) -> None:
    name = 'Two\nlines, "quoted"'
    await fetch(
        "INSERT INTO customers (id, name, email, email_key)"
        " VALUES (gen_random_uuid(), {}, 'two@lines.com', 'two@lines.com')",
        name,
    )
    await fetch(
        "INSERT INTO invoices (id, customer_id, amount, status, date) SELECT gen_random_uuid(),"
        " id, 1500, 'pending', '2022-02-02' FROM customers WHERE email = 'two@lines.com'"
    )
    for path in ("/api/exports/invoices.csv", "/api/exports/customers.csv"):
        body = (await api.get(path)).content
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        # RFC 4180: every record ends in CRLF; the value typed with a bare LF keeps it.
        assert body.endswith(b"\r\n") and body.count(b"\r\n") == len(table)
        assert body.count(b"\n") == len(table) + 1
        assert name in [cell for row in table for cell in row]


def test_line_ends_do_not_depend_on_where_the_chunks_break() -> None:
    from src.domain.csvio.export import LineEnds

    data = b'a,b\n"x\ny ""q"" \n",2\nplain,3\n"",4\n'
    whole = LineEnds()(data)
    assert whole == b'a,b\r\n"x\ny ""q"" \n",2\r\nplain,3\r\n"",4\r\n'
    for cut in range(len(data) + 1):
        ends = LineEnds()
        assert ends(data[:cut]) + ends(data[cut:]) == whole, cut


def test_lambda_size_is_the_json_encoded_size() -> None:
    import json

    from src.http.exports import lambda_size

    # As the Lambda runtime encodes its answer: JSON with non-ASCII text kept as UTF-8.
    text = 'a,"b ""q""",\\x\r\n\tZoë 漢字 \x01\x1f\x7f,\b\f\r\n'
    sent = len(json.dumps(text, ensure_ascii=False).encode()) - 2  # less the quotes around it
    assert lambda_size(text.encode()) == sent
