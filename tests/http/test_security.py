from __future__ import annotations

import httpx
import pytest
from litestar import Litestar

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


# ---- Host header, SECRET_KEY, log lines ---------------------------------------------------


def _production_app() -> Litestar:
    settings = load_settings(
        {"APP_ENV": "production", "SECRET_KEY": "x" * 40, "ALLOWED_HOSTS": "acme.example"}
    )
    return create_app(settings, manage_database=False)


@pytest.mark.parametrize("host", ["evil.example", "acme.example.evil.test", "", "acme.example@x"])
async def test_an_unknown_host_is_400_outside_development(db: None, host: str) -> None:
    transport = httpx.ASGITransport(app=_production_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://acme.example") as client:
        for path in ("/health", "/api/auth/me", "/admin/", "/"):
            response = await client.get(path, headers={"host": host})
            assert response.status_code == 400, (path, host)
            assert response.json() == {"detail": "Unknown host."}
        ok = await client.get("/health", headers={"host": "ACME.example:443"})
        assert ok.status_code == 200


async def test_any_host_is_served_in_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"host": "localhost:8000"})
    assert response.status_code == 200


async def test_throttle_rows_are_keyed_by_secret_key(client: httpx.AsyncClient) -> None:
    """SECRET_KEY is used: throttle keys are HMACs under it, so the table holds no email or
    address, and a key cannot be recomputed from a guessed email without the secret."""
    import hashlib

    from src.domain.sql import fetch
    from src.domain.users import throttle

    await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "wrong-one"})
    keys = {r["key"] for r in await fetch("SELECT key FROM login_attempts")}
    secret = client._transport.app.state.settings.secret_key  # type: ignore[attr-defined]
    expected = throttle.login_key(secret, "user@nextmail.com", "127.0.0.1")
    assert expected in keys
    plain = hashlib.sha256(b"user@nextmail.com|127.0.0.1").hexdigest()
    assert plain not in keys
    assert throttle.login_key("another-secret", "user@nextmail.com", "127.0.0.1") not in keys


def test_a_line_break_in_a_request_path_never_makes_a_second_log_line() -> None:
    import io
    import logging

    from src.observability import setup_logging
    from src.settings import Settings

    stream = io.StringIO()
    setup_logging(Settings(log_level="INFO"), stream)
    try:
        forged = "/x\n12:00:00 ERROR   src.http.app: forged\r\x1b[2K\u2028"
        logging.getLogger("src.http.errors").warning("database unavailable: %s %s", "GET", forged)
        logging.getLogger("src.http.errors").info("refused", extra={"path": forged})
    finally:
        logging.getLogger().handlers = [
            h for h in logging.getLogger().handlers if h.get_name() != "acme"
        ]
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert "\\x0a12:00:00 ERROR" in lines[0]
    assert "\x1b" not in stream.getvalue() and "\u2028" not in stream.getvalue()


def test_database_refusals_never_carry_the_row_into_a_log() -> None:
    from src.observability import redact

    check = (
        'new row for relation "users" violates check constraint "users_password_argon2id"\n'
        "DETAIL:  Failing row contains (410544b2, User, user@nextmail.com, $argon2id$v=19$m)."
    )
    unique = 'duplicate key value violates unique constraint "users_email_key_key"\n'
    unique += "DETAIL:  Key (email_key)=(user@nextmail.com) already exists."
    for text in (check, unique):
        cleaned = redact(text)
        assert "user@nextmail.com" not in cleaned and "$argon2" not in cleaned
        assert "constraint" in cleaned


async def test_a_success_also_clears_long_expired_counts(client: httpx.AsyncClient) -> None:
    from src.domain.sql import fetch

    await fetch(
        "INSERT INTO login_attempts (key, failures, window_start)"
        " SELECT 'stale-' || n, 3, now() - interval '2 hours' FROM generate_series(1, 5) n"
    )
    assert await login(client)
    left = await fetch("SELECT key FROM login_attempts WHERE key LIKE 'stale-%'")
    assert left == []
