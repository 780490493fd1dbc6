from __future__ import annotations

import httpx
import pytest

from src.http.app import create_app
from src.settings import load_settings
from tests.conftest import login

LOGIN = "/api/auth/login"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


@pytest.mark.parametrize("path", ["/", "/dashboard/invoices", "/api/auth/me", "/health", "/x.js"])
async def test_security_headers_everywhere(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, (path, name)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert "strict-transport-security" not in response.headers  # development/test only


async def test_api_answers_are_never_cached(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/dashboard")
    assert response.headers["cache-control"] == "no-store"


async def test_hsts_outside_development(db: None) -> None:
    settings = load_settings(
        {"APP_ENV": "production", "SECRET_KEY": "x" * 40, "ALLOWED_HOSTS": "acme.example"}
    )
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://acme.example") as client:
        response = await client.get("/health")
        assert response.headers["strict-transport-security"].startswith("max-age=")
        login = await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "123456"})
        assert all("Secure" in c for c in login.headers.get_list("set-cookie"))


async def test_a_cross_site_post_with_only_the_cookie_is_refused(
    client: httpx.AsyncClient,
) -> None:
    await login(client)
    forged = await client.post(
        "/api/customers",
        json={"name": "Forged", "email": "forged@evil.test"},
        headers={"Origin": "https://evil.test"},
    )
    assert forged.status_code == 403
    deleted = await client.delete("/api/invoices/00000000-0000-4000-8000-000000000000")
    assert deleted.status_code == 403
    own = await client.post(
        "/api/customers",
        json={"name": "Mine", "email": "mine@acme.test"},
        headers={"X-CSRF-Token": client.cookies["acme_csrf"]},
    )
    assert own.status_code == 201


async def test_login_is_throttled_per_email_and_client(client: httpx.AsyncClient) -> None:
    for email in ("user@nextmail.com", "ghost@nextmail.com"):
        for _ in range(10):
            wrong = await client.post(LOGIN, json={"email": email, "password": "wrong-one"})
            assert wrong.status_code == 401
        blocked = await client.post(LOGIN, json={"email": email, "password": "123456"})
        assert blocked.status_code == 429, email
        assert 0 < int(blocked.headers["retry-after"]) <= 900
        assert "detail" in blocked.json()


async def test_a_success_resets_the_failure_count(client: httpx.AsyncClient) -> None:
    for _ in range(9):
        await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "wrong-one"})
    assert await login(client)
    for _ in range(9):
        wrong = await client.post(
            LOGIN, json={"email": "user@nextmail.com", "password": "wrong-one"}
        )
        assert wrong.status_code == 401


async def test_bodies_over_64_kb_are_413(api: httpx.AsyncClient) -> None:
    big = {"name": "x" * 70_000, "email": "big@acme.test"}
    response = await api.post("/api/customers", json=big)
    assert response.status_code == 413
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/invoices", b'{"amount": '),
        ("POST", "/api/invoices", b"[1, 2]"),
        ("PATCH", "/api/invoices/d6e15727-9fe1-4961-8c5b-ea44a9bd81aa", b'{"date": "2023-02-30"}'),
        ("GET", "/api/invoices?page=99999999999999999999", b""),
        ("GET", "/api/customers?query=" + "%" * 500, b""),
    ],
)
async def test_error_bodies_carry_no_internals(
    api: httpx.AsyncClient, method: str, path: str, body: bytes
) -> None:
    response = await api.request(
        method, path, content=body or None, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500, response.text
    text = response.text.lower()
    for leak in ("traceback", "select ", "asyncpg", "piccolo", "litestar", "src.", "exception"):
        assert leak not in text, (leak, response.text)
