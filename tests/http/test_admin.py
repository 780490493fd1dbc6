"""The back office at /admin/, driven through Piccolo Admin's own HTTP API, in-process."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar

from src.domain.sql import fetch_one
from src.domain.staff import upsert_staff
from src.http.admin import LOGIN_LIMIT
from src.ops.seed import DEMO_USER

STAFF = {"username": "back-office", "password": "staff-password-1"}
LEE = "3958dc9e-742f-4377-85e9-fec4b6a6442a"
TABLES = "/admin/api/tables"

# Outside development the admin runs with production=True; here Piccolo warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")


async def admin_login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    """As the admin's login page does: a GET sets `csrftoken`, the POST echoes it."""
    page = await client.get("/admin/")
    assert page.status_code == 200
    return await client.post(
        "/admin/public/login/",
        json={"username": username, "password": password},
        headers={"X-CSRFToken": client.cookies["csrftoken"]},
    )


def csrf(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRFToken": client.cookies["csrftoken"]}


@pytest.fixture(autouse=True)
def fresh_login_limit() -> None:
    """The admin (and its login rate limit) lives as long as the process: start each test clean."""
    LOGIN_LIMIT.request_dict.clear()
    LOGIN_LIMIT.blocked.clear()


@pytest.fixture
async def staff(app: Litestar, db: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client logged in to the admin as a staff member (its own cookie jar)."""
    await upsert_staff(STAFF["username"], STAFF["password"])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        response = await admin_login(c, STAFF["username"], STAFF["password"])
        assert response.status_code == 200, response.text
        assert "id" in c.cookies
        yield c


async def invoices(staff: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    # As the list screen asks: readable foreign keys, in the table's configured order.
    query = {"__readable": "true", "__order": "-date,-id", **params}
    response = await staff.get(f"{TABLES}/invoices/", params=query)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


async def evil_rabbit_666(staff: httpx.AsyncClient) -> dict[str, Any]:
    (row,) = [r for r in await invoices(staff) if r["amount"] == 666]
    assert row["customer_id_readable"] == "Evil Rabbit"
    return row


async def cards(api: httpx.AsyncClient) -> dict[str, int]:
    response = await api.get("/api/dashboard")
    assert response.status_code == 200
    result: dict[str, int] = response.json()["cards"]
    return result


async def test_admin_page_and_its_assets_load(client: httpx.AsyncClient) -> None:
    bare = await client.get("/admin?next=1")
    assert bare.status_code == 308
    assert bare.headers["location"] == "/admin/?next=1"
    page = await client.get("/admin/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assets = re.findall(r'(?:src|href)="\./(assets/[^"]+)"', page.text)
    assert {a.rsplit(".", 1)[-1] for a in assets} == {"js", "css"}
    for asset in assets:
        response = await client.get(f"/admin/{asset}")
        assert response.status_code == 200, asset
        assert len(response.content) > 10_000
    # Without a staff session the admin's data API answers nothing.
    assert (await client.get(f"{TABLES}/invoices/")).status_code == 401


async def test_staff_lists_invoices_newest_first_with_customer_names(
    staff: httpx.AsyncClient,
) -> None:
    rows = await invoices(staff, __page_size="20")
    assert len(rows) == 13
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    lee = [(r["amount"], r["status"]) for r in rows if r["customer_id_readable"] == "Lee Robinson"]
    assert sorted(lee) == [(1000, "paid"), (54246, "pending")]
    # The filters staff get in the sidebar: customer, status, date.
    assert len(await invoices(staff, customer_id=LEE)) == 2
    assert len(await invoices(staff, status="pending")) == 5
    assert len(await invoices(staff, date="2022-06-05")) == 1


async def test_invoice_screens_say_cents_and_offer_status_choices(
    staff: httpx.AsyncClient,
) -> None:
    schema = (await staff.get(f"{TABLES}/invoices/schema/")).json()
    assert "cents" in schema["properties"]["amount"]["extra"]["help_text"]
    assert set(schema["properties"]["status"]["extra"]["choices"]) == {"pending", "paid"}
    assert {"customer_id", "status", "date"} <= set(schema["extra"]["visible_filter_names"])
    assert schema["extra"]["order_by"][0] == {"column": "date", "ascending": False}


async def test_an_amount_fixed_in_the_admin_shows_in_the_dashboard(
    staff: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    before = await cards(api)
    row = await evil_rabbit_666(staff)
    response = await staff.patch(
        f"{TABLES}/invoices/{row['id']}/", json={"amount": 1666}, headers=csrf(staff)
    )
    assert response.status_code == 200, response.text
    after = await cards(api)
    assert after["pending"] == before["pending"] + 1000
    assert after["collected"] == before["collected"]
    detail = await api.get(f"/api/invoices/{row['id']}")
    assert detail.json()["amount"] == 1666


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -5}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": 2**31}, "amount"),
        ({"status": "overdue"}, "status"),
        ({"customer_id": "00000000-0000-0000-0000-000000000000"}, "customer_id"),
    ],
)
async def test_a_bad_invoice_edit_is_refused_with_a_message_and_changes_nothing(
    staff: httpx.AsyncClient, api: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    before = await cards(api)
    row = await evil_rabbit_666(staff)
    response = await staff.patch(
        f"{TABLES}/invoices/{row['id']}/", json=change, headers=csrf(staff)
    )
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["loc"][-1] == field
    assert problem["msg"]
    assert await evil_rabbit_666(staff) == row
    assert await cards(api) == before


async def test_a_new_invoice_with_a_negative_amount_is_refused(
    staff: httpx.AsyncClient,
) -> None:
    response = await staff.post(
        f"{TABLES}/invoices/",
        json={"customer_id": LEE, "amount": -100, "status": "paid", "date": "2024-01-02"},
        headers=csrf(staff),
    )
    assert response.status_code == 422
    assert "greater than 0" in response.json()["detail"][0]["msg"]
    assert len(await invoices(staff, __page_size="20")) == 13


async def test_a_duplicate_customer_email_is_refused_whatever_its_case(
    staff: httpx.AsyncClient,
) -> None:
    response = await staff.patch(
        f"{TABLES}/customers/{LEE}/", json={"email": "Evil@Rabbit.com"}, headers=csrf(staff)
    )
    assert response.status_code == 422
    assert "already used" in response.json()["detail"][0]["msg"]
    row = await fetch_one("SELECT email FROM customers WHERE id = {}", LEE)
    assert row == {"email": "lee@robinson.com"}
    # Its own email, in another case, is not a duplicate of itself.
    same = await staff.patch(
        f"{TABLES}/customers/{LEE}/", json={"email": "Lee@Robinson.com"}, headers=csrf(staff)
    )
    assert same.status_code == 200, same.text


async def test_customers_are_searchable_by_name_and_email(staff: httpx.AsyncClient) -> None:
    by_name = await staff.get(f"{TABLES}/customers/", params={"name": "robin"})
    assert [r["name"] for r in by_name.json()["rows"]] == ["Lee Robinson"]
    by_email = await staff.get(f"{TABLES}/customers/", params={"email": "orban"})
    assert [r["name"] for r in by_email.json()["rows"]] == ["Balazs Orban"]


async def test_the_users_table_never_shows_the_password_hash(staff: httpx.AsyncClient) -> None:
    response = await staff.get(f"{TABLES}/users/")
    (row,) = response.json()["rows"]
    assert row["email"] == DEMO_USER["email"]
    assert row.get("password") is None
    assert "$argon2" not in response.text
    schema = (await staff.get(f"{TABLES}/users/schema/")).json()
    assert "password" not in schema["extra"]["visible_column_names"]


async def test_the_password_form_stores_an_argon2id_hash_and_ends_sessions(
    staff: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    assert (await api.get("/api/auth/me")).status_code == 200
    response = await staff.post(
        "/admin/api/forms/set-a-dashboard-password/",
        json={"email": "USER@nextmail.com", "new_password": "a-new-password"},
        headers=csrf(staff),
    )
    assert response.status_code == 200, response.text
    assert "user@nextmail.com" in response.json()["custom_form_success"]
    row = await fetch_one("SELECT password FROM users WHERE email = {}", DEMO_USER["email"])
    assert row is not None
    assert row["password"].startswith("$argon2id$")
    # The bearer session the `api` client held has ended; the new password logs in.
    assert (await api.get("/api/auth/me")).status_code == 401
    api.headers.pop("Authorization")
    old = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
    assert (await api.post("/api/auth/login", json=old)).status_code == 401
    new = {"email": DEMO_USER["email"], "password": "a-new-password"}
    assert (await api.post("/api/auth/login", json=new)).status_code == 200


async def test_the_password_form_names_an_unknown_email(staff: httpx.AsyncClient) -> None:
    response = await staff.post(
        "/admin/api/forms/set-a-dashboard-password/",
        json={"email": "nobody@nextmail.com", "new_password": "a-new-password"},
        headers=csrf(staff),
    )
    assert response.status_code == 422
    assert "nobody@nextmail.com" in response.json()["custom_form_error"]


async def test_a_user_created_in_the_users_table_gets_a_hashed_password(
    staff: httpx.AsyncClient,
) -> None:
    # As the add-row screen does: start from the defaults the admin offers.
    defaults = (await staff.get(f"{TABLES}/users/new/")).json()
    new = {**defaults, "name": "Second", "email": "second@nextmail.com", "password": "second-pass"}
    response = await staff.post(f"{TABLES}/users/", json=new, headers=csrf(staff))
    assert response.status_code == 201, response.text
    row = await fetch_one("SELECT password FROM users WHERE email = 'second@nextmail.com'")
    assert row is not None
    assert row["password"].startswith("$argon2id$")
    third = {**defaults, "name": "Third", "email": "Second@Nextmail.com", "password": "third-pass"}
    duplicate = await staff.post(f"{TABLES}/users/", json=third, headers=csrf(staff))
    assert duplicate.status_code == 422


async def test_admin_writes_need_the_csrf_header(staff: httpx.AsyncClient) -> None:
    row = await evil_rabbit_666(staff)
    response = await staff.patch(f"{TABLES}/invoices/{row['id']}/", json={"amount": 700})
    assert response.status_code == 403
    assert (await evil_rabbit_666(staff))["amount"] == 666


async def test_a_dashboard_user_cannot_log_in_to_the_admin(client: httpx.AsyncClient) -> None:
    response = await admin_login(client, DEMO_USER["email"], DEMO_USER["password"])
    assert response.status_code == 401
    assert "id" not in client.cookies
    assert (await client.get(f"{TABLES}/invoices/")).status_code == 401


async def test_a_dashboard_session_opens_nothing_in_the_admin(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/auth/me")).status_code == 200
    assert (await api.get(f"{TABLES}/invoices/")).status_code == 401


async def test_a_staff_session_gives_no_api_access(staff: httpx.AsyncClient) -> None:
    assert (await staff.get(f"{TABLES}/invoices/")).status_code == 200
    assert (await staff.get("/api/auth/me")).status_code == 401
    assert (await staff.get("/api/dashboard")).status_code == 401


async def test_resetting_a_staff_password_ends_its_admin_sessions(
    staff: httpx.AsyncClient,
) -> None:
    account = await upsert_staff(STAFF["username"], "another-password")
    assert not account.created
    assert (await staff.get(f"{TABLES}/invoices/")).status_code == 401
    staff.cookies.delete("id")
    old = await admin_login(staff, STAFF["username"], STAFF["password"])
    assert old.status_code == 401
    new = await admin_login(staff, STAFF["username"], "another-password")
    assert new.status_code == 200


async def test_repeated_admin_logins_are_rate_limited(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LOGIN_LIMIT, "limit", 2)
    statuses = [
        (await admin_login(client, "nobody", "wrong-password")).status_code for _ in range(4)
    ]
    assert statuses[:2] == [401, 401]
    assert statuses[-1] == 429
