"""The invoices API. The search counts and the paging read the demo data (its figures are the
demo's contract); the other tests make the customers and invoices they need."""

from __future__ import annotations

import datetime as dt
import os
import time

import httpx
import pytest

from tests.factories import make_customer, make_invoice

MISSING = "00000000-0000-4000-8000-000000000000"
CUSTOMER = "<a customer made by the test>"


async def _search(api: httpx.AsyncClient, query: str, **params: object) -> dict[str, object]:
    response = await api.get("/api/invoices", params={"query": query, **params})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize(
    ("query", "hits"),
    [("", 13), ("paid", 8), ("pending", 5), ("2022", 4), ("66", 1), ("lee", 2), ("LEE", 2),
     ("157.95", 1), ("$157.95", 1), ("%", 0), ("_", 0), ("\\", 0), ("rabbit.com", 2),
     ("2023-06", 5), ("zzz", 0)],
)  # fmt: skip
async def test_search_hit_counts(api: httpx.AsyncClient, query: str, hits: int) -> None:
    body = await _search(api, query, pageSize=100)
    assert body["total"] == hits
    assert len(body["items"]) == hits  # type: ignore[arg-type]


async def test_dollar_figure_with_thousands_separator(api: httpx.AsyncClient) -> None:
    customer = str(await make_customer())
    await api.post(
        "/api/invoices", json={"customerId": customer, "amount": 100626, "status": "paid"}
    )
    body = await _search(api, "1,006.26")
    assert [i["amount"] for i in body["items"]] == [100626]  # type: ignore[union-attr,index]


async def test_three_pages_of_six_newest_first(api: httpx.AsyncClient) -> None:
    pages = [await _search(api, "", page=p) for p in (1, 2, 3)]
    assert [p["totalPages"] for p in pages] == [3, 3, 3]
    ids = [i["id"] for p in pages for i in p["items"]]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids)) == 13
    dates = [i["date"] for p in pages for i in p["items"]]  # type: ignore[attr-defined]
    assert dates == sorted(dates, reverse=True)
    last = pages[2]["items"]
    assert len(last) == 1  # type: ignore[arg-type]
    assert last[0]["customerName"] == "Lee Robinson"  # type: ignore[index]
    assert last[0]["amount"] == 1000  # type: ignore[index]
    assert last[0]["date"] == "2022-06-05"  # type: ignore[index]


async def test_pagination_edges(api: httpx.AsyncClient) -> None:
    past = await _search(api, "", page=9)
    assert past["items"] == [] and past["total"] == 13 and past["totalPages"] == 3
    for params in ({"page": 0}, {"page": -1}, {"page": "x"}, {"pageSize": 0}, {"pageSize": 101}):
        response = await api.get("/api/invoices", params=params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["field"] == next(iter(params))


async def test_same_date_order_is_stable(api: httpx.AsyncClient) -> None:
    customer = str(await make_customer())
    for _ in range(8):
        await api.post(
            "/api/invoices", json={"customerId": customer, "amount": 4242, "status": "paid"}
        )
    first = await _search(api, "4242", pageSize=3)
    rest = [await _search(api, "4242", pageSize=3, page=p) for p in (2, 3)]
    ids = [i["id"] for p in [first, *rest] for i in p["items"]]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids)) == 8


async def test_create_get_update_delete(api: httpx.AsyncClient) -> None:
    first = str(await make_customer("Fay First"))
    second = str(await make_customer("Sam Second"))
    created = await api.post(
        "/api/invoices", json={"customerId": first, "amount": 15795, "status": "pending"}
    )
    assert created.status_code == 201
    invoice = created.json()
    assert invoice["customerName"] == "Fay First"
    assert invoice["amount"] == 15795
    got = await api.get(f"/api/invoices/{invoice['id']}")
    assert got.json() == invoice
    assert got.headers["etag"]

    put = await api.put(
        f"/api/invoices/{invoice['id']}",
        json={"customerId": second, "amount": 1, "status": "paid"},
    )
    assert put.status_code == 200
    assert put.json()["customerName"] == "Sam Second"
    assert put.json()["date"] == invoice["date"]
    assert put.json()["updatedAt"] > invoice["updatedAt"]

    assert (await api.delete(f"/api/invoices/{invoice['id']}")).status_code == 204
    assert (await api.get(f"/api/invoices/{invoice['id']}")).status_code == 404
    assert (await api.delete(f"/api/invoices/{invoice['id']}")).status_code == 404


async def test_put_needs_every_field_patch_any(api: httpx.AsyncClient) -> None:
    invoice = (await api.get(f"/api/invoices/{await make_invoice(status='pending')}")).json()
    put = await api.put(f"/api/invoices/{invoice['id']}", json={"amount": 5})
    assert put.status_code == 400
    assert {e["field"] for e in put.json()["errors"]} == {"customerId", "status"}
    patch = await api.patch(f"/api/invoices/{invoice['id']}", json={"amount": 5})
    assert patch.status_code == 200
    assert patch.json()["amount"] == 5
    assert patch.json()["status"] == invoice["status"]
    dated = await api.patch(f"/api/invoices/{invoice['id']}", json={"date": "2021-01-31"})
    assert dated.json()["date"] == "2021-01-31"


async def test_every_failing_field_is_listed_with_the_form_messages(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post("/api/invoices", json={})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "customerId", "message": "Please select a customer."},
        {"field": "amount", "message": "Please enter an amount greater than $0."},
        {"field": "status", "message": "Please select an invoice status."},
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"customerId": CUSTOMER, "amount": "3", "status": "paid"}, "amount"),
        ({"customerId": CUSTOMER, "amount": 0, "status": "paid"}, "amount"),
        ({"customerId": CUSTOMER, "amount": -5, "status": "paid"}, "amount"),
        ({"customerId": CUSTOMER, "amount": 1.5, "status": "paid"}, "amount"),
        ({"customerId": CUSTOMER, "amount": 2**31, "status": "paid"}, "amount"),
        ({"customerId": CUSTOMER, "amount": 5, "status": "overdue"}, "status"),
        ({"customerId": "nope", "amount": 5, "status": "paid"}, "customerId"),
        ({"customerId": MISSING, "amount": 5, "status": "paid"}, "customerId"),
        ({"customerId": CUSTOMER, "amount": 5, "status": "paid", "extra": 1}, "extra"),
    ],
)
async def test_bad_bodies_are_400_and_change_nothing(
    api: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    customer = await make_customer()
    before = (await api.get("/api/dashboard")).json()["cards"]["invoiceCount"]
    if body["customerId"] == CUSTOMER:
        body = {**body, "customerId": str(customer)}
    response = await api.post("/api/invoices", json=body)
    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await api.get("/api/dashboard")).json()["cards"]["invoiceCount"] == before


async def test_not_json_is_400(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/invoices", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text


@pytest.mark.parametrize("invoice_id", [MISSING, "nope", "1", "00000000-0000-0000-0000"])
async def test_unknown_and_malformed_ids_are_404(api: httpx.AsyncClient, invoice_id: str) -> None:
    for method in ("GET", "DELETE"):
        response = await api.request(method, f"/api/invoices/{invoice_id}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Invoice not found."}
    response = await api.patch(f"/api/invoices/{invoice_id}", json={"amount": 5})
    assert response.status_code == 404


async def test_stale_if_match_is_412_and_changes_nothing(api: httpx.AsyncClient) -> None:
    invoice = {"id": str(await make_invoice(amount=1_000, status="pending"))}
    got = await api.get(f"/api/invoices/{invoice['id']}")
    etag = got.headers["etag"]
    first = await api.patch(
        f"/api/invoices/{invoice['id']}", json={"amount": 7}, headers={"If-Match": etag}
    )
    assert first.status_code == 200
    stale = await api.patch(
        f"/api/invoices/{invoice['id']}", json={"amount": 9}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert (await api.get(f"/api/invoices/{invoice['id']}")).json()["amount"] == 7


async def test_new_invoice_is_dated_today_in_the_app_zone(api: httpx.AsyncClient) -> None:
    customer = str(await make_customer())
    created = await api.post(
        "/api/invoices", json={"customerId": customer, "amount": 5, "status": "paid"}
    )
    assert created.json()["date"] == dt.datetime.now(dt.UTC).date().isoformat()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak"])
async def test_dates_do_not_shift_with_the_server_zone(api: httpx.AsyncClient, zone: str) -> None:
    invoice = await make_invoice(amount=31_337, date=dt.date(2019, 3, 4))
    previous = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        got = await api.get(f"/api/invoices/{invoice}")
        assert got.json()["date"] == "2019-03-04"
        day = await _search(api, "2019-03-04")
        assert [i["amount"] for i in day["items"]] == [31_337]  # type: ignore[attr-defined]
    finally:
        if previous is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = previous
        time.tzset()
