"""CSV imports: every bad row reported with its line and column, all rows or none written."""

from __future__ import annotations

import httpx
import pytest

from src.domain.sql import fetch, fetch_one

CSV = {"Content-Type": "text/csv"}


async def counts() -> tuple[int, int]:
    row = await fetch_one(
        "SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM invoices) AS i"
    )
    assert row is not None
    return int(row["c"]), int(row["i"])


async def post(
    api: httpx.AsyncClient, kind: str, body: bytes, dry_run: bool = False
) -> httpx.Response:
    params = {"dryRun": "true"} if dry_run else {}
    return await api.post(f"/api/imports/{kind}", content=body, headers=CSV, params=params)


async def test_customers_import_writes_all_rows(api: httpx.AsyncClient) -> None:
    before = await counts()
    body = b'name,email\nAda Lovelace,ada@example.com\n"Hopper, Grace",grace@example.com\n'
    dry = await post(api, "customers", body, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json()["detail"] == "2 customers ready to import."
    assert (dry.json()["rows"], dry.json()["imported"]) == (2, 0)
    assert await counts() == before
    done = await post(api, "customers", body)
    assert done.status_code == 200, done.text
    assert done.json()["imported"] == 2 and done.json()["detail"] == "Imported 2 customers."
    assert await counts() == (before[0] + 2, before[1])
    listed = (await api.get("/api/customers", params={"query": "hopper"})).json()
    assert [c["name"] for c in listed["items"]] == ["Hopper, Grace"]


async def test_invoices_import_by_customer_email_in_dollars(api: httpx.AsyncClient) -> None:
    before = (await api.get("/api/customers", params={"query": "lee@robinson"})).json()["items"][0]
    body = (
        b"date,customer_email,amount,status\n"
        b"2024-01-02,LEE@robinson.com,1234.50,pending\n"
        b"2024-01-03,lee@robinson.com,7,paid\n"
    )
    done = await post(api, "invoices", body)
    assert done.status_code == 200, done.text
    assert done.json()["imported"] == 2
    after = (await api.get("/api/customers", params={"query": "lee@robinson"})).json()["items"][0]
    assert after["invoiceCount"] == before["invoiceCount"] + 2
    assert after["totalPending"] == before["totalPending"] + 123450
    assert after["totalPaid"] == before["totalPaid"] + 700
    # The dashboard's running totals still equal SUM/COUNT after the COPY.
    cards = (await api.get("/api/dashboard")).json()["cards"]
    row = await fetch_one(
        "SELECT count(*) AS n, sum(amount) FILTER (WHERE status = 'paid') AS paid,"
        " sum(amount) FILTER (WHERE status = 'pending') AS pending FROM invoices"
    )
    assert row is not None
    assert (cards["invoiceCount"], cards["collected"], cards["pending"]) == (
        row["n"],
        row["paid"],
        row["pending"],
    )


async def test_paid_column_comes_back_as_a_payment(api: httpx.AsyncClient) -> None:
    cards = (await api.get("/api/dashboard")).json()["cards"]
    body = (
        b"date,customer_email,amount,paid,balance,status\r\n"
        b"2024-01-02,lee@robinson.com,100.00,30.25,69.75,pending\r\n"
        b"2024-01-03,lee@robinson.com,40.00,40.00,0.00,paid\r\n"
        b"2024-01-04,lee@robinson.com,10.00,0.00,10.00,pending\r\n"
        b"2024-01-05,lee@robinson.com,5.00,,,paid\r\n"
    )
    done = await post(api, "invoices", body)
    assert done.status_code == 200, done.text
    after = (await api.get("/api/dashboard")).json()["cards"]
    assert after["collected"] - cards["collected"] == 3025 + 4000 + 500
    assert after["pending"] - cards["pending"] == 6975 + 1000
    rows = await fetch(
        "SELECT i.amount, i.status, i.amount_paid, array_agg(p.amount ORDER BY p.amount)"
        " FILTER (WHERE p.id IS NOT NULL) AS payments,"
        " bool_and(p.date = i.date AND p.method = 'other') AS dated FROM invoices i"
        " LEFT JOIN payments p ON p.invoice_id = i.id WHERE i.date BETWEEN '2024-01-02'"
        " AND '2024-01-05' GROUP BY i.id ORDER BY i.date"
    )
    assert [(r["status"], r["amount_paid"], r["payments"]) for r in rows] == [
        ("pending", 3025, [3025]),
        ("paid", 4000, [4000]),
        ("pending", 0, None),
        ("paid", 500, [500]),
    ]
    assert all(r["dated"] is not False for r in rows)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (b"10.00,12.00,pending", "paid", "paid $12.00 is more than the amount $10.00"),
        (b"10.00,12.00,paid", "paid", "more than the amount"),
        (b"10.00,4.00,paid", "status", "The status is paid, but the paid column ($4.00)"),
        (b"10.00,10.00,pending", "status", "The status is pending, but the paid column"),
        (b"10.00,1.234,pending", "paid", "paid '1.234' is not an amount"),
        (b"10.00,-1,pending", "paid", "is not an amount"),
    ],
)
async def test_paid_that_disagrees_is_a_row_error(
    api: httpx.AsyncClient, row: bytes, column: str, words: str
) -> None:
    before = await counts()
    body = b"date,customer_email,amount,paid,status\n2024-01-02,lee@robinson.com," + row + b"\n"
    response = await post(api, "invoices", body)
    assert response.status_code == 400, response.text
    errors = response.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(2, column)]
    assert words in errors[0]["message"], errors[0]["message"]
    assert await counts() == before


BAD_INVOICES = [
    # (file body after the header, line, column, words in the message)
    (b"2024-01-02,lee@robinson.com,5.00,void\n", 2, "status", "Unknown status 'void'"),
    (b'2024-01-02,lee@robinson.com,"1,23",paid\n', 2, "amount", "no thousands separators"),
    (b"2024-01-02,lee@robinson.com,1,23,paid\n", 2, "", "Expected 4 values"),
    (b"2024-01-02,lee@robinson.com,12.345,paid\n", 2, "amount", "more than two decimals"),
    (b"2024-01-02,lee@robinson.com,0,paid\n", 2, "amount", "more than 0"),
    (b"2024-01-02,lee@robinson.com,-5,paid\n", 2, "amount", "not an amount"),
    (b"2024-01-02,lee@robinson.com,99999999.99,paid\n", 2, "amount", "at most"),
    (b"2024-02-30,lee@robinson.com,5,paid\n", 2, "date", "not a date"),
    (b"2024-01-02,nobody@nowhere.com,5,paid\n", 2, "customer_email", "No customer has"),
    (b"2024-01-02,lee@robinson.com,5,paid\n\n", 3, "", "Empty line"),
    (b'2024-01-02,"lee@robinson.com,5,paid\n', 2, "", "Broken CSV"),
    (b'2024-01-02,"lee@robinson.com"x,5,paid\n', 2, "", "Broken CSV"),
    (b"2024-01-02,lee@robinson.com,5,p\xffid\n", 2, "", "not UTF-8"),
    (
        b"2024-01-02,lee@robinson.com,5,paid\n\xef\xbb\xbf2024-01-02,lee@robinson.com,5,paid\n",
        3,
        "date",
        "not a date",
    ),
]


@pytest.mark.parametrize(("rows", "line", "column", "words"), BAD_INVOICES)
async def test_bad_invoice_rows_are_reported_and_nothing_is_written(
    api: httpx.AsyncClient, rows: bytes, line: int, column: str, words: str
) -> None:
    before = await counts()
    good = b"2023-05-05,amy@burns.com,10.00,paid\n"
    body = b"date,customer_email,amount,status\n" + good + rows
    # The good row is line 2: the bad rows move down one line.
    response = await post(api, "invoices", body)
    assert response.status_code == 400, response.text
    report = response.json()
    assert report["imported"] == 0
    assert report["detail"].endswith("nothing was imported. Fix it and try again.")
    first = report["errors"][0]
    assert (first["line"], first["column"], first["field"]) == (line + 1, column, column)
    assert words in first["message"], first["message"]
    assert await counts() == before


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        (b"name\nAda\n", 1, "email", "Missing column 'email'"),
        (b"name,email,phone\nAda,a@b.co,1\n", 1, "phone", "Unknown column 'phone'"),
        (b"", 1, "", "The file is empty"),
        (b"name,email\n" + b"x" * 10_000 + b",long@example.com\n", 2, "name", "At most 255"),
        (b"name,email\n=HYPERLINK(1),\n", 2, "email", "Please enter the email"),
        (b"name,email\nAda,not-an-email\n", 2, "email", "not a valid email"),
        (b"name,email\nAda,ada@x.io\nAda 2,ADA@X.IO\n", 3, "email", "same email as line 2"),
        (b"name,email\nCopy,Evil@Rabbit.com\n", 2, "email", "already exists"),
        (b"name,email\nA\x00da,nul@x.io\n", 2, "name", "NUL"),
        (b"name,email\n\xef\xbb\xbfAda,bom@x.io\n", 2, "name", "byte-order mark"),
    ],
)
async def test_bad_customer_files(
    api: httpx.AsyncClient, body: bytes, line: int, column: str, words: str
) -> None:
    before = await counts()
    response = await post(api, "customers", body, dry_run=True)
    assert response.status_code == 400, response.text
    first = response.json()["errors"][0]
    assert (first["line"], first["column"]) == (line, column)
    assert words in first["message"], first["message"]
    assert (await post(api, "customers", body)).status_code == 400
    assert await counts() == before


async def test_every_failing_row_is_listed(api: httpx.AsyncClient) -> None:
    body = b"name,email\n" + b"".join(
        b"Name %d,%s\n" % (n, b"bad" if n % 2 else b"ok%d@x.io" % n) for n in range(1, 101)
    )
    report = (await post(api, "customers", body)).json()
    assert report["errorCount"] == 50
    assert [e["line"] for e in report["errors"]] == list(range(2, 102, 2))


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
async def test_lf_and_crlf_files_import_alike(api: httpx.AsyncClient, newline: bytes) -> None:
    lines = [b"name,email", b'"Two\nlines",two@lines.com', b"Ada Lovelace,ada@example.com"]
    broken = newline.join([*lines, b"", b"Grace Hopper,grace@example.com"]) + newline
    refused = await post(api, "customers", broken, dry_run=True)
    assert refused.status_code == 400
    # Line numbers count physical lines, whichever way they end (the quoted value spans two).
    assert [(e["line"], e["message"]) for e in refused.json()["errors"]] == [
        (5, "Empty line: remove it.")
    ]
    done = await post(api, "customers", newline.join(lines) + newline)
    assert done.status_code == 200, done.text
    assert done.json()["imported"] == 2
    names = (await api.get("/api/customers", params={"query": "lines"})).json()["items"]
    assert [c["name"] for c in names] == ["Two\nlines"]


async def test_leading_bom_is_not_data(api: httpx.AsyncClient) -> None:
    body = "\ufeffname,email\nZoë Ünal,zoe@example.com\n".encode()
    response = await post(api, "customers", body)
    assert response.status_code == 200, response.text
    found = (await api.get("/api/customers", params={"query": "zoe@"})).json()["items"]
    assert [c["name"] for c in found] == ["Zoë Ünal"]


async def test_over_5_mb_is_refused_with_the_cli_hint(api: httpx.AsyncClient) -> None:
    body = b"name,email\n" + b"x" * (5 * 1024 * 1024)
    response = await post(api, "customers", body)
    assert response.status_code == 413
    assert "make import ARGS='customers FILE'" in response.json()["detail"]
    # The other routes keep their 64 KB limit.
    big = await api.post("/api/customers", content=b"{" + b" " * 70_000 + b"}")
    assert big.status_code == 413
