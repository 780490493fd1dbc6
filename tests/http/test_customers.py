"""The customers API. The list, search, paging and picker tests read the demo data (its
figures are the demo's contract); the others make the customers they need."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_customer, make_invoice

BALAZS = "13d07535-c59e-4157-a011-f8d2ef4e0cbb"


async def test_customers_with_their_totals(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/customers")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["pageSize"], body["totalPages"]) == (6, 1, 10, 1)
    rows = [
        (c["name"], c["invoiceCount"], c["totalPending"], c["totalPaid"]) for c in body["items"]
    ]
    assert rows == [
        ("Amy Burns", 2, 0, 4290),
        ("Balazs Orban", 3, 34577, 17491),
        ("Delba de Oliveira", 2, 20348, 500),
        ("Evil Rabbit", 2, 16461, 0),
        ("Lee Robinson", 2, 54246, 1000),
        ("Michael Novotny", 2, 0, 77345),
    ]


async def test_customer_search_and_paging(api: httpx.AsyncClient) -> None:
    found = (await api.get("/api/customers", params={"query": "or"})).json()
    assert [c["name"] for c in found["items"]] == ["Balazs Orban"]
    by_email = (await api.get("/api/customers", params={"query": "@ROBINSON"})).json()
    assert [c["name"] for c in by_email["items"]] == ["Lee Robinson"]
    page2 = (await api.get("/api/customers", params={"pageSize": 4, "page": 2})).json()
    assert [c["name"] for c in page2["items"]] == ["Lee Robinson", "Michael Novotny"]
    assert page2["totalPages"] == 2


async def test_picker_options(api: httpx.AsyncClient) -> None:
    options = (await api.get("/api/customers/options", params={"query": "ORB"})).json()
    assert options == [
        {
            "id": BALAZS,
            "name": "Balazs Orban",
            "email": "balazs@orban.com",
            "imageUrl": "/customers/balazs-orban.png",
        }
    ]
    limited = (await api.get("/api/customers/options", params={"limit": 2})).json()
    assert [o["name"] for o in limited] == ["Amy Burns", "Balazs Orban"]
    assert (await api.get("/api/customers/options", params={"limit": 0})).status_code == 400


async def test_get_one_with_totals(api: httpx.AsyncClient) -> None:
    customer = await make_customer("Tess Totals", "tess@totals.example")
    for amount, status in ((5_000, "paid"), (1_234, "paid"), (777, "pending")):
        await make_invoice(customer, amount=amount, status=status)
    response = await api.get(f"/api/customers/{customer}")
    assert response.status_code == 200
    assert response.json()["name"] == "Tess Totals"
    assert response.json()["invoiceCount"] == 3
    assert response.json()["totalPaid"] == 6_234
    assert response.json()["totalPending"] == 777
    for bad in ("nope", "00000000-0000-4000-8000-000000000000"):
        missing = await api.get(f"/api/customers/{bad}")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Customer not found."}


async def test_the_demo_customer_has_its_totals(api: httpx.AsyncClient) -> None:
    """The demo's own figures (PRODUCT.md §2)."""
    response = await api.get(f"/api/customers/{BALAZS}")
    assert response.status_code == 200
    assert response.json()["invoiceCount"] == 3
    assert response.json()["totalPaid"] == 17491


@pytest.mark.parametrize("email", ["ann@example.com", "ANN@Example.com"])
async def test_duplicate_email_is_409_in_any_case(api: httpx.AsyncClient, email: str) -> None:
    await make_customer("Ann", "ann@example.com")
    other = await make_customer("Bob", "bob@example.com")
    response = await api.post("/api/customers", json={"name": "Copy", "email": email})
    assert response.status_code == 409
    assert response.json() == {"detail": "A customer with this email already exists."}
    patch = await api.patch(f"/api/customers/{other}", json={"email": email})
    assert patch.status_code == 409, patch.text
    assert (await api.get(f"/api/customers/{other}")).json()["email"] == "bob@example.com"


async def test_create_put_patch_delete_cascades(api: httpx.AsyncClient) -> None:
    before = (await api.get("/api/dashboard")).json()["cards"]["customerCount"]
    created = await api.post("/api/customers", json={"name": "Ada Lovelace", "email": "ada@x.io"})
    assert created.status_code == 201
    customer = created.json()
    assert customer["invoiceCount"] == 0 and customer["imageUrl"] is None
    cid = customer["id"]
    invoice = await api.post(
        "/api/invoices", json={"customerId": cid, "amount": 5, "status": "paid"}
    )
    assert invoice.status_code == 201
    put = await api.put(f"/api/customers/{cid}", json={"name": "Ada King"})
    assert put.status_code == 400
    assert [e["field"] for e in put.json()["errors"]] == ["email"]
    patch = await api.patch(f"/api/customers/{cid}", json={"name": "Ada King"})
    assert patch.json()["name"] == "Ada King" and patch.json()["email"] == "ada@x.io"
    assert (await api.delete(f"/api/customers/{cid}")).status_code == 204
    gone = await api.get(f"/api/invoices/{invoice.json()['id']}")
    assert gone.status_code == 404
    assert (await api.get("/api/dashboard")).json()["cards"]["customerCount"] == before


async def test_customer_validation_lists_every_field(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/customers", json={"name": "", "email": "nope"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"name", "email"}
