"""API keys: created once, scoped, expiring, revocable, rate-limited, never a session."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from litestar import Litestar

from src.domain.keys.repository import KEY_RECHECK_SECONDS, MAX_KEYS, RATE_LIMIT, secret_hash
from src.domain.recent import Recent
from src.domain.sql import fetch, fetch_one
from src.http.app import create_app
from src.settings import get_settings
from tests.factories import make_user

LEE = "3958dc9e-742f-4377-85e9-fec4b6a6442a"


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> None:
    RATE_LIMIT.clear()


async def new_key(api: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await api.post("/api/keys", json={"name": "nightly sync", "scope": "write", **body})
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created: dict[str, Any] = response.json()
    return created


def with_key(client: httpx.AsyncClient, secret: str) -> httpx.AsyncClient:
    """A second client on the same app, carrying only the key (no cookies)."""
    return httpx.AsyncClient(
        transport=client._transport,
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {secret}"},
    )


async def test_the_secret_is_shown_once_and_stored_only_as_a_hash(api: httpx.AsyncClient) -> None:
    created = await new_key(api)
    secret = created["secret"]
    assert secret.startswith("acme_") and len(secret) == 48
    key = created["key"]
    assert key["name"] == "nightly sync" and key["scope"] == "write"
    assert key["hint"] == secret[-4:] and key["lastUsedAt"] is None and key["expired"] is False
    listed = await api.get("/api/keys")
    assert listed.status_code == 200
    assert listed.json() == [key]
    assert secret not in listed.text and secret[5:-4] not in listed.text
    stored = await fetch_one("SELECT * FROM api_keys WHERE id = {}", key["id"])
    assert stored is not None
    assert secret not in str(stored) and stored["secret_hash"] == secret_hash(secret)


async def test_a_read_key_reads_and_is_refused_writes_naming_its_scope(
    api: httpx.AsyncClient,
) -> None:
    secret = (await new_key(api, name="dashboards", scope="read"))["secret"]
    async with with_key(api, secret) as script:
        assert (await script.get("/api/invoices")).status_code == 200
        assert (await script.get("/api/dashboard")).status_code == 200
        for method, path, body in (
            ("POST", "/api/invoices", {"customerId": LEE, "amount": 100, "status": "paid"}),
            ("PATCH", f"/api/customers/{LEE}", {"name": "Changed"}),
            ("DELETE", f"/api/customers/{LEE}", None),
        ):
            response = await script.request(method, path, json=body)
            assert response.status_code == 403, (method, path)
            assert "read scope" in response.json()["detail"]
    row = await fetch_one("SELECT name FROM customers WHERE id = {}", LEE)
    assert row == {"name": "Lee Robinson"}


async def test_a_write_key_changes_data_and_the_trail_names_the_key(
    api: httpx.AsyncClient,
) -> None:
    created = await new_key(api)
    async with with_key(api, created["secret"]) as script:
        made = await script.post(
            "/api/invoices", json={"customerId": LEE, "amount": 4200, "status": "pending"}
        )
        assert made.status_code == 201, made.text
        iid = made.json()["id"]
        assert (
            await script.patch(f"/api/invoices/{iid}", json={"amount": 4300})
        ).status_code == 200
        history = (await script.get(f"/api/invoices/{iid}/history")).json()
    actor = history["items"][0]["actor"]
    assert actor == {
        "kind": "apiKey",
        "id": created["key"]["id"],
        "name": "API key “nightly sync” of User",
    }
    assert history["items"][0]["summary"] == "changed the amount from $42.00 to $43.00"
    listed = (await api.get("/api/keys")).json()
    assert listed[0]["lastUsedAt"] is not None


async def test_a_key_cannot_manage_keys_log_out_or_act_as_a_session(
    api: httpx.AsyncClient,
) -> None:
    secret = (await new_key(api))["secret"]
    async with with_key(api, secret) as script:
        for method, path in (
            ("GET", "/api/keys"),
            ("POST", "/api/keys"),
            ("DELETE", "/api/keys/00000000-0000-4000-8000-000000000000"),
            ("POST", "/api/auth/logout"),
        ):
            response = await script.request(method, path, json={"name": "x", "scope": "write"})
            assert response.status_code == 403, (method, path)
        assert (await script.get("/api/auth/me")).json()["name"] == "User"
    # As a browser session cookie it is nobody; in the back office it opens nothing.
    async with httpx.AsyncClient(
        transport=api._transport, base_url="http://testserver", cookies={"acme_session": secret}
    ) as browser:
        assert (await browser.get("/api/invoices")).status_code == 401
        admin = await browser.get(
            "/admin/api/tables/invoices/", headers={"Authorization": f"Bearer {secret}"}
        )
        assert admin.status_code in (401, 403), admin.status_code
        assert "rows" not in admin.text


async def test_revoking_ends_the_key_at_once(api: httpx.AsyncClient) -> None:
    created = await new_key(api)
    async with with_key(api, created["secret"]) as script:
        assert (await script.get("/api/invoices")).status_code == 200
        revoked = await api.delete(f"/api/keys/{created['key']['id']}")
        assert revoked.status_code == 204
        refused = await script.get("/api/invoices")
        assert refused.status_code == 401
        assert refused.json() == {"detail": "Invalid, expired or revoked API key."}
    assert (await api.get("/api/keys")).json() == []
    again = await api.delete(f"/api/keys/{created['key']['id']}")
    assert again.status_code == 404


def test_a_key_revoked_elsewhere_stops_within_the_second() -> None:
    """Another instance deletes the row: this one trusts its lookup for at most one second."""
    now = [100.0]
    recent: Recent[Any] = Recent(KEY_RECHECK_SECONDS, clock=lambda: now[0])
    holder: Any = object()
    recent.put("hash", holder, None)
    now[0] += 0.99
    assert recent.get("hash") is holder
    now[0] += 0.02
    assert recent.get("hash") is None
    # A key expiring sooner than that is trusted only until it expires.
    recent.put("soon", holder, dt.datetime.now(dt.UTC) + dt.timedelta(milliseconds=200))
    now[0] += 0.3
    assert recent.get("soon") is None


async def test_someone_elses_key_is_not_found(api: httpx.AsyncClient) -> None:
    other = await make_user()
    await fetch(
        "INSERT INTO api_keys (user_id, name, scope, secret_hash, hint)"
        " VALUES ({}, 'x', 'write', 'h', 'abcd')",
        other,
    )
    theirs = await fetch_one("SELECT id FROM api_keys WHERE user_id = {}", other)
    assert theirs is not None
    assert (await api.get("/api/keys")).json() == []
    assert (await api.delete(f"/api/keys/{theirs['id']}")).status_code == 404
    assert (await api.delete("/api/keys/not-an-id")).status_code == 404
    assert await fetch_one("SELECT 1 AS x FROM api_keys WHERE id = {}", theirs["id"])


async def test_expiry(api: httpx.AsyncClient) -> None:
    past = await api.post(
        "/api/keys", json={"name": "old", "scope": "read", "expiresAt": "2020-01-01T00:00:00Z"}
    )
    assert past.status_code == 400
    assert past.json()["errors"][0]["field"] == "expiresAt"
    for edge in ("2999-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        far = await api.post("/api/keys", json={"name": "far", "scope": "read", "expiresAt": edge})
        assert far.status_code == 400, edge
        assert far.json()["errors"][0]["field"] == "expiresAt"
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    created = await new_key(api, expiresAt=soon.isoformat())
    assert created["key"]["expiresAt"] is not None
    # Time passes (as the database sees it): the key has expired.
    await fetch(
        "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = {}",
        created["key"]["id"],
    )
    fresh_process_view: Recent[Any] = Recent(KEY_RECHECK_SECONDS)  # nothing trusted from before
    assert fresh_process_view.get(secret_hash(created["secret"])) is None
    from src.domain.keys import repository

    repository._recent.forget(secret_hash(created["secret"]))
    async with with_key(api, created["secret"]) as script:
        assert (await script.get("/api/invoices")).status_code == 401
    assert (await api.get("/api/keys")).json()[0]["expired"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "scope": "read"},
        {"name": "   ", "scope": "read"},
        {"name": "x" * 101, "scope": "read"},
        {"name": "ok", "scope": "admin"},
        {"name": "ok", "scope": "READ"},
        {"name": "ok"},
        {"name": "ok", "scope": "read", "expiresAt": "tomorrow"},
        {"name": "ok", "scope": "read", "secret": "acme_mine"},
        {"name": "nul\x00", "scope": "read"},
        ["not", "an", "object"],
    ],
)
async def test_bad_bodies_name_the_field(api: httpx.AsyncClient, body: Any) -> None:
    response = await api.post("/api/keys", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] in ("name", "scope", "expiresAt", "secret", "body")
    assert (await api.get("/api/keys")).json() == []


async def test_names_are_unique_per_user_whatever_their_case(api: httpx.AsyncClient) -> None:
    await new_key(api, name="Ünïcode ключ")
    again = await api.post("/api/keys", json={"name": "ünïcode КЛЮЧ", "scope": "read"})
    assert again.status_code == 409
    assert "already have an API key with this name" in again.json()["detail"]


async def test_a_parallel_burst_cannot_pass_the_key_limit(migrated: str) -> None:
    """Real parallel requests on their own connections (committed, then removed); the app lets
    one session have them all in flight, so the key limit alone is measured."""
    app = create_app(
        dataclasses.replace(get_settings(), client_max_in_flight=10_000), manage_database=False
    )
    user = await make_user(email="burst@example.com", password="burst password")
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
            login = await api.post(
                "/api/auth/login", json={"email": "burst@example.com", "password": "burst password"}
            )
            api.cookies.clear()
            api.headers["Authorization"] = f"Bearer {login.json()['token']}"
            answers = await asyncio.gather(
                *[
                    api.post("/api/keys", json={"name": f"k{i}", "scope": "read"})
                    for i in range(MAX_KEYS + 5)
                ]
            )
            codes = sorted(a.status_code for a in answers)
            assert codes.count(201) == MAX_KEYS and codes.count(409) == 5, codes
            assert len((await api.get("/api/keys")).json()) == MAX_KEYS
    finally:
        await fetch("DELETE FROM users WHERE id = {}", user)


@pytest.fixture
async def limited(db: None) -> Litestar:
    return create_app(
        dataclasses.replace(get_settings(), api_key_rate_limit=3), manage_database=False
    )


async def test_each_key_has_its_own_request_budget(limited: Litestar) -> None:
    transport = httpx.ASGITransport(app=limited)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        login = await client.post(
            "/api/auth/login", json={"email": "user@nextmail.com", "password": "123456"}
        )
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        first = (await new_key(client, name="one"))["secret"]
        second = (await new_key(client, name="two"))["secret"]
        async with with_key(client, first) as script:
            codes = [(await script.get("/api/invoices")).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            refused = await script.get("/api/invoices")
            assert refused.status_code == 429
            assert int(refused.headers["retry-after"]) >= 1
            assert "API key" in refused.json()["detail"]
        async with with_key(client, second) as other:
            assert (await other.get("/api/invoices")).status_code == 200


async def test_unknown_and_malformed_keys_are_not_authenticated(client: httpx.AsyncClient) -> None:
    for token in ("acme_", "acme_" + "x" * 43, "acme_\u0430\u0441me", "acme_" + "a" * 5000):
        header = f"Bearer {token}".encode()  # look-alike letters travel as raw UTF-8 bytes
        response = await client.get("/api/invoices", headers={"Authorization": header})
        assert response.status_code == 401, token[:20]
        assert response.json() == {"detail": "Invalid, expired or revoked API key."}


async def test_the_secret_never_reaches_the_log(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = await new_key(api)
    async with with_key(api, created["secret"]) as script:
        await script.get("/api/invoices")
        await script.post("/api/keys", json={"name": "x", "scope": "read"})
        await script.get("/api/nowhere")
    assert created["secret"] not in caplog.text
    assert created["secret"][5:] not in caplog.text


async def test_openapi_documents_the_key_scheme(client: httpx.AsyncClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert scheme["scheme"] == "bearer" and "acme_" in scheme["description"]
    assert {"apiKey": []} in document["paths"]["/api/invoices"]["get"]["security"]
    assert "/api/keys" in document["paths"] and "/api/keys/{key_id}" in document["paths"]
