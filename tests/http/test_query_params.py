"""Each query parameter of the API says one thing: given twice, or with a control character in
it, it is a 400 naming it, never a silent choice of one of the values."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_customer, make_invoice

CSV = "name,email\nAda Lovelace,ada.once@example.com\n"


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("/api/invoices?page=1&page=2", "page"),
        ("/api/invoices?pageSize=2&pageSize=3", "pageSize"),
        ("/api/invoices?status=paid&status=pending", "status"),
        ("/api/invoices?query=lee&query=paid", "query"),
        ("/api/customers?query=a&page=1&query=b", "query"),
        ("/api/customers/options?limit=1&limit=3", "limit"),
        ("/api/exports/invoices.csv?query=a&query=b", "query"),
    ],
)
async def test_a_parameter_given_twice_is_refused_by_name(
    api: httpx.AsyncClient, address: str, name: str
) -> None:
    answer = await api.get(address)
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": name, "message": f"{name} is given more than once: send it once."}
    ]


async def test_a_dry_run_asked_for_twice_imports_nothing(api: httpx.AsyncClient) -> None:
    answer = await api.post(
        "/api/imports/customers?dryRun=true&dryRun=false",
        content=CSV,
        headers={"Content-Type": "text/csv"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "dryRun"
    found = await api.get("/api/customers", params={"query": "ada.once@example.com"})
    assert found.json()["total"] == 0


@pytest.mark.parametrize("text", ["lee\x00", "\x00", "lee\npaid", "a\tb", "x\x7f", "y\x85"])
async def test_a_control_character_in_a_value_is_refused(api: httpx.AsyncClient, text: str) -> None:
    for route in ("/api/invoices", "/api/customers", "/api/exports/customers.csv"):
        answer = await api.get(route, params={"query": text})
        assert answer.status_code == 400, route
        assert answer.json()["errors"] == [
            {
                "field": "query",
                "message": "query must not contain control characters"
                " (such as NUL or a line break).",
            }
        ]


async def test_ordinary_and_unusual_text_still_searches(api: httpx.AsyncClient) -> None:
    await make_customer(name="Zoë 👩‍💻 Ünal")
    for text in ("Zoë", "👩‍💻", "Ünal", "100%_", "€"):
        answer = await api.get("/api/customers", params={"query": text})
        assert answer.status_code == 200, text
    found = await api.get("/api/customers", params={"query": "Zoë 👩‍💻"})
    assert found.json()["total"] == 1


async def test_an_export_names_its_too_long_search_as_the_lists_do(api: httpx.AsyncClient) -> None:
    for route in ("/api/invoices", "/api/exports/invoices.csv", "/api/exports/customers.csv"):
        answer = await api.get(route, params={"query": "a" * 201})
        assert answer.status_code == 400, route
        assert answer.json()["errors"] == [
            {"field": "query", "message": "query must be at most 200 characters."}
        ]


async def test_a_search_finds_accents_however_they_are_composed(api: httpx.AsyncClient) -> None:
    customer = await make_customer(name="Jos\u00e9 N\u00fa\u00f1ez Quintero")  # as typed
    await make_invoice(customer)
    pasted = "Jose\u0301 Nu\u0301n\u0303ez"  # the same letters, accents as separate marks
    found = await api.get("/api/customers", params={"query": pasted})
    assert [c["name"] for c in found.json()["items"]] == ["Jos\u00e9 N\u00fa\u00f1ez Quintero"]
    invoices = await api.get("/api/invoices", params={"query": pasted})
    assert invoices.json()["total"] == 1
