"""The OpenAPI document drives an auth check of every /api route: none is forgotten."""

from __future__ import annotations

import httpx

PUBLIC = {("POST", "/api/auth/login"), ("GET", "/health"), ("GET", "/ready")}
SAMPLE_ID = "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa"


async def test_every_route_needs_a_session(client: httpx.AsyncClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    checked = 0
    for path, operations in document["paths"].items():
        for method in operations:
            if method.upper() not in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                continue
            if (method.upper(), path) in PUBLIC:
                continue
            url = path.replace("{invoice_id}", SAMPLE_ID).replace("{customer_id}", SAMPLE_ID)
            response = await client.request(method.upper(), url, json={})
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json() == {"detail": "Not authenticated."}
            checked += 1
    assert checked >= 14


async def test_schema_ui_is_served_offline(client: httpx.AsyncClient) -> None:
    """The docs page loads Swagger UI 5 (OpenAPI 3.1) from this site; Chromium renders it in
    tests/e2e/test_api_docs.py."""
    page = await client.get("/schema")
    assert page.status_code == 200
    assert "/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "unpkg" not in page.text
    script = await client.get("/swagger/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    # Swagger UI 4 (the PyPI bundle) could not render OpenAPI 3.1; version 5 can.
    assert b"swagger-ui" in script.content
    assert (await client.get("/swagger/swagger-ui.css")).status_code == 200


async def test_documented_money_is_integer_cents(client: httpx.AsyncClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert schemas["InvoiceOut"]["properties"]["amount"]["type"] == "integer"
    assert schemas["InvoiceCreate"]["properties"]["amount"]["exclusiveMinimum"] == 0
    assert schemas["Cards"]["properties"]["collected"]["type"] == "integer"


async def test_unknown_api_path_is_a_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/does-not-exist")
    assert response.status_code in (401, 404)
    assert response.headers["content-type"].startswith("application/json")
