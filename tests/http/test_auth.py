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


# ---- one normal form for emails (lookup, uniqueness, throttle key) -------------------------

LOOK_ALIKE = "user@nextma\u0130l.com"  # a capital I with a dot: not the demo user's address


async def test_a_look_alike_email_does_not_log_in_as_the_demo_user(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(LOGIN, json={"email": LOOK_ALIKE, "password": "123456"})
    assert response.status_code == 401


async def test_compatibility_forms_of_the_email_are_the_same_address(
    client: httpx.AsyncClient,
) -> None:
    full_width = "\uff35\uff33\uff25\uff32@nextmail.com"  # USER in full-width letters
    response = await client.post(LOGIN, json={"email": full_width, "password": "123456"})
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "user@nextmail.com"


async def test_the_throttle_counts_every_spelling_of_an_address_together(
    client: httpx.AsyncClient,
) -> None:
    spellings = ["USER@NEXTMAIL.COM", " user@nextmail.com ", "\uff35ser@nextmail.com"]
    for n in range(10):
        email = spellings[n % len(spellings)]
        wrong = await client.post(LOGIN, json={"email": email, "password": "wrong-one"})
        assert wrong.status_code == 401
    blocked = await client.post(LOGIN, json={"email": "user@nextmail.com", "password": "123456"})
    assert blocked.status_code == 429
    # The look-alike is another address: its own count, and no way in as the demo user.
    other = await client.post(LOGIN, json={"email": LOOK_ALIKE, "password": "123456"})
    assert other.status_code == 401


async def test_the_database_and_the_login_agree_on_the_normal_form(db: None) -> None:
    from src.domain.users.email import email_key
    from src.domain.users.repository import UserRepository

    created = await UserRepository().create_user("Look Alike", LOOK_ALIKE, "look-alike-pw")
    assert created.email == LOOK_ALIKE
    (row,) = await fetch("SELECT email_key FROM users WHERE id = {}", created.id)
    assert row["email_key"] == email_key(LOOK_ALIKE) != email_key("user@nextmail.com")
    user = await UserRepository().authenticate(LOOK_ALIKE.upper(), "look-alike-pw")
    assert user is not None and user.id == created.id
    demo = await UserRepository().authenticate("user@nextmail.com", "123456")
    assert demo is not None and demo.id != created.id


# ---- the login answers JSON only -------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
async def test_login_refuses_bodies_that_are_not_json(
    client: httpx.AsyncClient, content_type: str
) -> None:
    body = '{"email": "user@nextmail.com", "password": "123456"}'
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post(LOGIN, content=body, headers=headers)
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert "set-cookie" not in response.headers
    charset = await client.post(
        LOGIN, content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert charset.status_code == 200


async def test_the_login_service_owns_the_flow(db: None) -> None:
    from src.domain.errors import AuthenticationError, TooManyAttemptsError
    from src.domain.users.repository import UserRepository
    from src.domain.users.service import LoginService

    service = LoginService("a-secret-key-of-some-length-for-tests")
    first = await service.login("user@nextmail.com", "123456", "198.51.100.1")
    second = await service.login("user@nextmail.com", "123456", "198.51.100.1", first.session.token)
    # The session the client came with ends at the next login (rotation).
    assert await UserRepository().user_for_token(second.session.token) is not None
    users_repository._recent.forget(users_repository.token_id(first.session.token))
    assert await UserRepository().user_for_token(first.session.token) is None
    for _ in range(10):
        with pytest.raises(AuthenticationError):
            await service.login("user@nextmail.com", "wrong-one", "198.51.100.1")
    with pytest.raises(TooManyAttemptsError):
        await service.login("user@nextmail.com", "123456", "198.51.100.1")
    # Another client address has its own count.
    assert await service.login("user@nextmail.com", "123456", "198.51.100.2")
