"""What an import tells about the file as a whole (its line ends, values too long to read) and
about invoice dates the table cannot hold: row errors in the usual report, never a 500 and
never the csv module's own wording."""

from __future__ import annotations

import csv

import httpx
import pytest

from src.domain.rules import INVOICE_DATE_RULE
from src.domain.sql import fetch_one

CSV = {"Content-Type": "text/csv"}


async def _counts() -> tuple[int, int]:
    row = await fetch_one(
        "SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM invoices) AS i"
    )
    assert row is not None
    return int(row["c"]), int(row["i"])


async def _post(api: httpx.AsyncClient, kind: str, body: bytes, dry_run: bool) -> httpx.Response:
    params = {"dryRun": "true"} if dry_run else {}
    return await api.post(f"/api/imports/{kind}", content=body, headers=CSV, params=params)


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry", "real"])
@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1969-12-31", "2100-01-01"])
async def test_invoice_date_outside_the_range_is_a_row_error(
    api: httpx.AsyncClient, date: str, dry_run: bool
) -> None:
    before = await _counts()
    body = (
        b"date,customer_email,amount,status\n"
        b"2024-01-02,evil@rabbit.com,10.00,pending\n"
        + f"{date},evil@rabbit.com,10.00,pending\n".encode()
    )
    response = await _post(api, "invoices", body, dry_run)
    assert response.status_code == 400, response.text
    report = response.json()
    assert report["detail"].startswith("1 line of the file failed; nothing was imported.")
    assert report["errors"] == [
        {"line": 3, "column": "date", "field": "date", "message": INVOICE_DATE_RULE}
    ]
    assert await _counts() == before


async def test_invoice_dates_at_the_ends_of_the_range_import(api: httpx.AsyncClient) -> None:
    before = await _counts()
    body = (
        b"date,customer_email,amount,status\n"
        b"1970-01-01,evil@rabbit.com,10.00,pending\n"
        b"2099-12-31,evil@rabbit.com,10.00,paid\n"
    )
    assert (await _post(api, "invoices", body, dry_run=True)).status_code == 200
    done = await _post(api, "invoices", body, dry_run=False)
    assert done.status_code == 200, done.text
    assert done.json()["detail"] == "Imported 2 invoices."
    assert await _counts() == (before[0], before[1] + 2)


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry", "real"])
async def test_cr_only_line_ends_import_like_lf(api: httpx.AsyncClient, dry_run: bool) -> None:
    # Spreadsheets on older Macs save CSV with a lone CR after each line, also inside a quoted
    # value; such a value reads back with LF, as from an LF or CRLF file.
    body = b'name,email\rAlice,alice@imp.test\r"Two\rlines",two@imp.test\rBob,bob@imp.test\r'
    response = await _post(api, "customers", body, dry_run)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == 3
    if not dry_run:
        found = (await api.get("/api/customers", params={"query": "imp.test"})).json()["items"]
        assert sorted(c["name"] for c in found) == ["Alice", "Bob", "Two\nlines"]


async def test_cr_only_line_numbers_count_cr_lines(api: httpx.AsyncClient) -> None:
    body = b"name,email\rAlice,alice@imp.test\r\rBob,not-an-email\r"
    response = await _post(api, "customers", body, dry_run=True)
    assert response.status_code == 400, response.text
    assert [(e["line"], e["column"]) for e in response.json()["errors"]] == [(3, ""), (4, "email")]


# Each message says what is wrong with the file in words a person who saved it can act on.
BROKEN = [
    (
        b"name,email\nAda,ada@imp.test\rGrace,grace@imp.test\n",
        2,
        "This line has a lone CR (carriage return) where lines of this file end with LF or"
        " CRLF: lines must all end the same way. Save the file as CSV again."
        " The rest of the file was not read.",
    ),
    (
        b'name,email\nAda,"' + b"x" * 140_000 + b'"\nGrace,grace@imp.test\n',
        2,
        f"A value on this line is longer than {csv.field_size_limit():,} characters. If it"
        " should not be, a double quote before it is never closed."
        " The rest of the file was not read.",
    ),
    (
        b'name,email\nAda,"ada@imp.test\nGrace,grace@imp.test\n',
        2,
        "Broken CSV: a double quote opened on this line is never closed. A quote inside a"
        ' value must be doubled (""). The rest of the file was not read.',
    ),
    (
        b'name,email\nAda,"ada"@imp.test\n',
        2,
        "Broken CSV: a closing double quote must be followed by a comma or the end of the"
        ' line. A quote inside a value must be doubled (""). The rest of the file was not read.',
    ),
    (
        b'name,"email\n',
        1,
        "Broken CSV: a double quote opened on this line is never closed. A quote inside a"
        ' value must be doubled ("").',
    ),
]


@pytest.mark.parametrize(
    ("body", "line", "message"), BROKEN, ids=["lone-cr", "too-long", "unclosed", "after", "header"]
)
async def test_broken_files_are_explained_without_csv_module_wording(
    api: httpx.AsyncClient, body: bytes, line: int, message: str
) -> None:
    before = await _counts()
    for dry_run in (True, False):
        response = await _post(api, "customers", body, dry_run)
        assert response.status_code == 400, response.text
        assert response.json()["errors"] == [
            {"line": line, "column": "", "field": "", "message": message}
        ]
    assert await _counts() == before
