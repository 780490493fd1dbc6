"""A name (a customer's, an API key's) is text on one line that reads as it is written: control
characters and text-direction overrides are refused by field; any script, emoji and accents
are kept as sent."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_customer

RULE = "not only spaces, on one line, without control or text-direction characters"
BAD = ["ok\u0007bell", "=1+1\n=2+2", "tab\there", "\u202eevil.exe", "a\u2066b\u2069", "c1\u0085x"]
GOOD = ["Zoë Ünal", "👩‍💻 Ada", "שלום עליכם", "مرحبا", "Jose\u0301 Nun\u0303ez", "O'Brien & Sons"]


@pytest.mark.parametrize("name", BAD)
async def test_a_customer_name_with_control_characters_is_refused(
    api: httpx.AsyncClient, name: str
) -> None:
    message = f"Please enter a name of 1 to 255 characters, {RULE}."
    created = await api.post("/api/customers", json={"name": name, "email": "n@example.com"})
    assert created.status_code == 400
    assert created.json()["errors"] == [{"field": "name", "message": message}]
    customer = await make_customer(name="Kept Name")
    changed = await api.patch(f"/api/customers/{customer}", json={"name": name})
    assert changed.status_code == 400
    assert changed.json()["errors"] == [{"field": "name", "message": message}]
    assert (await api.get(f"/api/customers/{customer}")).json()["name"] == "Kept Name"
    key = await api.post("/api/keys", json={"name": name, "scope": "read"})
    assert key.status_code == 400
    assert key.json()["errors"] == [
        {
            "field": "name",
            "message": f"Please enter a name for the key of 1 to 100 characters, {RULE}.",
        }
    ]


@pytest.mark.parametrize("name", GOOD)
async def test_names_in_any_script_are_kept_as_sent(api: httpx.AsyncClient, name: str) -> None:
    created = await api.post(
        "/api/customers", json={"name": name, "email": f"{abs(hash(name))}@example.com"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["name"] == name
    key = await api.post("/api/keys", json={"name": name, "scope": "read"})
    assert key.status_code == 201, key.text
