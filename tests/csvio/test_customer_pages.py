"""Customer avatars (upload, thumbnail, serving) and the customer page's invoices and statement."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from PIL import Image

from src.domain.sql import fetch
from src.http.app import create_app
from src.settings import get_settings
from tests.conftest import login

BALAZS = "13d07535-c59e-4157-a011-f8d2ef4e0cbb"
MISSING = "00000000-0000-4000-8000-000000000000"
PNG = {"Content-Type": "image/png"}


def picture(
    kind: str, size: tuple[int, int] = (640, 320), colour: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    return out.getvalue()


@pytest.fixture
async def uploads(db: None, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Path]]:
    """A client of an app whose data folder (and so its uploads) is a temporary folder."""
    app = create_app(replace(get_settings(), data_dir=tmp_path), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        token = await login(client)
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, tmp_path


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
async def test_avatar_upload_becomes_a_square_thumbnail(
    uploads: tuple[httpx.AsyncClient, Path], kind: str
) -> None:
    api, folder = uploads
    response = await api.put(
        f"/api/customers/{BALAZS}/avatar",
        content=picture(kind),
        headers={"Content-Type": f"image/{kind.lower()}"},
    )
    assert response.status_code == 200, response.text
    url = response.json()["imageUrl"]
    assert url.startswith("/api/avatars/") and url.endswith(".webp")
    assert (await api.get(f"/api/customers/{BALAZS}")).json()["imageUrl"] == url
    served = await api.get(url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(served.content)).size == (256, 256)
    assert len(list((folder / "uploads" / "avatars").iterdir())) == 1
    # A new picture replaces the file; removing it clears the customer's imageUrl.
    again = await api.put(
        f"/api/customers/{BALAZS}/avatar",
        content=picture("PNG", (50, 90), (0, 90, 200)),
        headers=PNG,
    )
    assert again.json()["imageUrl"] != url
    assert (await api.get(url)).status_code == 404
    removed = await api.delete(f"/api/customers/{BALAZS}/avatar")
    assert removed.status_code == 200 and removed.json()["imageUrl"] is None
    assert list((folder / "uploads" / "avatars").iterdir()) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not an image at all", "Please choose a PNG, JPEG or WebP image."),
        (picture("GIF"), "Please choose a PNG, JPEG or WebP image."),
        (picture("PNG")[:200], "Please choose a PNG, JPEG or WebP image."),
        (b"\x89PNG" + b"\x00" * (1024 * 1024 + 10), "Please choose an image of at most 1 MB."),
    ],
)
async def test_bad_avatar_uploads_name_the_field(
    uploads: tuple[httpx.AsyncClient, Path], body: bytes, message: str
) -> None:
    api, _ = uploads
    # Declared a PNG: the content itself is what fails.
    response = await api.put(f"/api/customers/{BALAZS}/avatar", content=body, headers=PNG)
    assert response.status_code == 400, response.text
    assert response.json()["errors"] == [{"field": "avatar", "message": message}]
    after = (await api.get(f"/api/customers/{BALAZS}")).json()
    assert after["imageUrl"] == "/customers/balazs-orban.png"


async def test_avatar_of_unknown_customer_and_bad_names(
    uploads: tuple[httpx.AsyncClient, Path],
) -> None:
    api, _ = uploads
    response = await api.put(
        f"/api/customers/{MISSING}/avatar", content=picture("PNG"), headers=PNG
    )
    assert response.status_code == 404
    for name in ("..%2F..%2Fetc%2Fpasswd", "x.webp", f"{MISSING}-0123456789abcdef.webp"):
        assert (await api.get(f"/api/avatars/{name}")).status_code == 404
    anonymous = httpx.AsyncClient(transport=api._transport, base_url="http://testserver")
    assert (await anonymous.get(f"/api/avatars/{MISSING}-0123456789abcdef.webp")).status_code == 401


async def test_customer_invoices_newest_first_paginated(api: httpx.AsyncClient) -> None:
    first = (await api.get(f"/api/customers/{BALAZS}/invoices", params={"pageSize": 2})).json()
    assert (first["total"], first["totalPages"], len(first["items"])) == (3, 2, 2)
    second = (
        await api.get(f"/api/customers/{BALAZS}/invoices", params={"pageSize": 2, "page": 2})
    ).json()
    dates = [i["date"] for i in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)
    assert {i["customerId"] for i in first["items"] + second["items"]} == {BALAZS}
    assert (await api.get(f"/api/customers/{MISSING}/invoices")).status_code == 404


async def test_statement_owed_by_age_and_payments(api: httpx.AsyncClient) -> None:
    today = dt.datetime.now(dt.UTC).date()
    ids = {}
    for days, amount, status in [
        (5, 1000, "pending"),
        (45, 2000, "pending"),
        (400, 4000, "pending"),
        (10, 700, "paid"),
    ]:
        row = await fetch(
            "INSERT INTO invoices (id, customer_id, amount, status, date)"
            " VALUES (gen_random_uuid(), {}, {}, {}, {}) RETURNING id",
            BALAZS,
            amount,
            status,
            today - dt.timedelta(days=days),
        )
        ids[amount] = row[0]["id"]
    # A part payment by card, and a cheque that bounced (voided), on the 45-day-old invoice.
    url = f"/api/invoices/{ids[2000]}/payments/"
    paid_date = (today - dt.timedelta(days=3)).isoformat()
    part = await api.post(url, json={"amount": 500, "method": "card", "date": paid_date})
    assert part.status_code == 201, part.text
    bounced = await api.post(url, json={"amount": 300, "method": "check", "date": paid_date})
    voided = await api.post(f"{url}{bounced.json()['id']}/void", json={"reason": "Bounced"})
    assert voided.status_code == 200, voided.text

    body = (await api.get(f"/api/customers/{BALAZS}/statement")).json()
    customer = (await api.get(f"/api/customers/{BALAZS}")).json()
    assert body["owed"] == customer["totalPending"]
    assert body["paid"] == customer["totalPaid"]
    ages = {a["label"]: a["amount"] for a in body["ages"]}
    assert ages["0 to 30 days"] == 1000
    assert ages["31 to 60 days"] == 2000 - 500  # what is still owed on it
    assert sum(ages.values()) == body["owed"]
    assert ages["Over 90 days"] >= 4000
    owing = next(line for line in body["openInvoices"] if line["invoiceId"] == str(ids[2000]))
    assert (owing["amount"], owing["balance"], owing["ageDays"]) == (2000, 1500, 45)
    assert owing["number"].startswith("INV-")

    # The payments are the payment rows, newest first: not the paid invoices.
    payments = body["payments"]
    dates = [p["date"] for p in payments]
    assert dates == sorted(dates, reverse=True)
    mine = [
        (p["invoiceNumber"], p["date"], p["method"], p["amount"], p["voidReason"])
        for p in payments
        if p["invoiceId"] in {str(ids[2000]), str(ids[700])}
    ]
    number = {line["invoiceId"]: line["number"] for line in body["openInvoices"]}[str(ids[2000])]
    paid_number = (await api.get(f"/api/invoices/{ids[700]}")).json()["number"]
    assert sorted(mine) == sorted(
        [
            (number, paid_date, "card", 500, None),
            (number, paid_date, "check", 300, "Bounced"),
            (paid_number, (today - dt.timedelta(days=10)).isoformat(), "other", 700, None),
        ]
    )
    # A voided payment is listed, marked, and not counted.
    assert sum(p["amount"] for p in payments if p["voidedAt"] is None) == body["paid"]
    assert (await api.get(f"/api/customers/{MISSING}/statement")).status_code == 404
