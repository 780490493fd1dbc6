from __future__ import annotations

import httpx


async def test_overview_has_the_demo_figures(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/dashboard")
    assert response.status_code == 200
    body = response.json()
    assert body["cards"] == {
        "collected": 100626,
        "pending": 125632,
        "invoiceCount": 13,
        "customerCount": 6,
    }
    assert [m["label"] for m in body["revenue"]] == [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]  # fmt: skip
    assert body["revenue"][0] == {"month": "2023-01", "label": "Jan", "revenue": 2000}
    assert max(m["revenue"] for m in body["revenue"]) == 4800
    latest = [(i["customerName"], i["amount"]) for i in body["latestInvoices"]]
    assert latest == [
        ("Michael Novotny", 44800),
        ("Delba de Oliveira", 500),
        ("Balazs Orban", 34577),
        ("Lee Robinson", 54246),
        ("Evil Rabbit", 666),
    ]
    assert body["latestInvoices"][0]["customerEmail"] == "michael@novotny.com"
    assert body["latestInvoices"][0]["customerImageUrl"] == "/customers/michael-novotny.png"


async def test_cards_follow_writes(api: httpx.AsyncClient) -> None:
    created = await api.post(
        "/api/invoices",
        json={
            "customerId": "cc27c14a-0acf-4f4a-a6c9-d45682c144b9",
            "amount": 15795,
            "status": "paid",
        },
    )
    assert created.status_code == 201
    cards = (await api.get("/api/dashboard")).json()["cards"]
    assert cards["collected"] == 100626 + 15795
    assert cards["invoiceCount"] == 14
    await api.delete("/api/customers/cc27c14a-0acf-4f4a-a6c9-d45682c144b9")
    cards = (await api.get("/api/dashboard")).json()["cards"]
    assert cards == {
        "collected": 100626 - 4290,
        "pending": 125632,
        "invoiceCount": 11,
        "customerCount": 5,
    }
