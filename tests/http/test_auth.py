from __future__ import annotations

import datetime as dt

import httpx
import pytest

from src.domain.sql import fetch
from src.domain.users import repository as users_repository
from tests.conftest import login

LOGIN = "/api/auth/login"


async def test_login_returns_user_token_and_session_cookie(client: httpx.AsyncClient) -> None:
    response = await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "123456"})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "id": "410544b2-4001-4271-9855-fec4b6a6442a",
        "name": "User",
        "email": "user@nextmail.com",
    }
    assert len(body["token"]) >= 40
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("acme_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Path=/" in session
    assert body["token"] in session
    assert "password" not in response.text and "argon2" not in response.text


async def test_email_is_case_insensitive(client: httpx.AsyncClient) -> None:
    response = await client.post(LOGIN, json={"email": "USER@NextMail.com", "password": "123456"})
    assert response.status_code == 200


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient,
) -> None:
    wrong = await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "1234567"})
    unknown = await client.post(LOGIN, json={"email": "nobody@nextmail.com", "password": "123456"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Invalid credentials."}
    assert "set-cookie" not in wrong.headers


async def test_missing_fields_are_named(client: httpx.AsyncClient) -> None:
    response = await client.post(LOGIN, json={})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"email", "password"}
    short = await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "123"})
    assert short.status_code == 400
    assert short.json()["errors"] == [
        {"field": "password", "message": "Please enter a password of at least 6 characters."}
    ]


async def test_cookie_and_bearer_both_reach_me(client: httpx.AsyncClient) -> None:
    token = await login(client)
    by_cookie = await client.get("/api/auth/me")
    assert by_cookie.status_code == 200
    assert by_cookie.json()["email"] == "user@nextmail.com"
    client.cookies.clear()
    assert (await client.get("/api/auth/me")).status_code == 401
    by_bearer = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert by_bearer.status_code == 200
    assert "password" not in by_bearer.text


async def test_each_login_is_a_new_session(client: httpx.AsyncClient) -> None:
    first = await login(client)
    second = await login(client)
    assert first != second
    # The cookie the browser came with ended at the second login.
    old = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {first}"})
    assert old.status_code == 401


async def test_logout_ends_the_session_for_cookie_and_bearer(client: httpx.AsyncClient) -> None:
    token = await login(client)
    bearer = {"Authorization": f"Bearer {token}"}
    # Used just before: logout must not be undone by the recent-session shortcut.
    assert (await client.get("/api/auth/me")).status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 200
    csrf = client.cookies["acme_csrf"]
    response = await client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    assert (await client.get("/api/auth/me")).status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401


async def test_bearer_logout(client: httpx.AsyncClient) -> None:
    token = await login(client)
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 200
    assert (await client.post("/api/auth/logout", headers=bearer)).status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401


async def test_a_session_ended_elsewhere_stops_within_the_recheck_interval(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(users_repository._recent, "clock", lambda: now[0])
    token = await login(client)
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 200
    # Another server (or Lambda instance) logs the session out: only the database knows.
    await fetch("DELETE FROM user_sessions")
    now[0] += users_repository.SESSION_RECHECK_SECONDS / 2
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 200
    now[0] += users_repository.SESSION_RECHECK_SECONDS / 2
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401


async def test_expired_session_is_refused(client: httpx.AsyncClient) -> None:
    token = await login(client)
    await fetch(
        "UPDATE user_sessions SET expires_at = {}", dt.datetime.now(dt.UTC) - dt.timedelta(1)
    )
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated."}


async def test_sessions_are_stored_hashed(client: httpx.AsyncClient) -> None:
    token = await login(client)
    rows = await fetch("SELECT id FROM user_sessions")
    assert rows and all(row["id"] != token for row in rows)


async def test_cookie_write_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    await login(client)
    body = {
        "customerId": "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa",
        "amount": 100,
        "status": "paid",
    }
    refused = await client.post("/api/invoices", json=body)
    assert refused.status_code == 403
    accepted = await client.post(
        "/api/invoices", json=body, headers={"X-CSRF-Token": client.cookies["acme_csrf"]}
    )
    assert accepted.status_code == 201


async def test_garbage_tokens_are_refused(client: httpx.AsyncClient) -> None:
    for header in ["Bearer ", "Bearer nope", "Basic dXNlcjpwYXNz", "bearer"]:
        response = await client.get("/api/auth/me", headers={"Authorization": header})
        assert response.status_code == 401
