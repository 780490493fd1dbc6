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
from src.http.admin.edge import ADMIN_LOGIN_LIMIT
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


@pytest.mark.parametrize("email", ["lee@robinson.com\n", "lee@robinson.com\nX-Evil: 1"])
async def test_an_email_with_a_line_break_is_refused(staff: httpx.AsyncClient, email: str) -> None:
    response = await staff.patch(
        f"{TABLES}/customers/{LEE}/", json={"email": email}, headers=csrf(staff)
    )
    assert response.status_code == 422, response.text
    assert "valid email" in response.json()["detail"][0]["msg"]
    row = await fetch_one("SELECT email FROM customers WHERE id = {}", LEE)
    assert row == {"email": "lee@robinson.com"}


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


async def test_repeated_admin_logins_are_rate_limited(client: httpx.AsyncClient) -> None:
    statuses = [
        (await admin_login(client, "nobody", "wrong-password")).status_code
        for _ in range(ADMIN_LOGIN_LIMIT + 2)
    ]
    assert statuses[:ADMIN_LOGIN_LIMIT] == [401] * ADMIN_LOGIN_LIMIT
    assert statuses[-2:] == [429, 429]


# ---- passwords written through the users table -------------------------------------------


async def _demo_row(staff: httpx.AsyncClient) -> dict[str, Any]:
    response = await staff.get(f"{TABLES}/users/{DEMO_USER['id']}/")
    assert response.status_code == 200, response.text
    row: dict[str, Any] = response.json()
    return row


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
async def test_a_password_set_in_the_users_table_is_hashed_and_ends_sessions(
    staff: httpx.AsyncClient, api: httpx.AsyncClient, method: str
) -> None:
    assert (await api.get("/api/auth/me")).status_code == 200
    row = await _demo_row(staff)
    body = {"name": row["name"], "email": row["email"], "password": "changed-by-staff"}
    if method == "PATCH":
        body = {"password": "changed-by-staff"}
    response = await staff.request(
        method, f"{TABLES}/users/{DEMO_USER['id']}/", json=body, headers=csrf(staff)
    )
    assert response.status_code in (200, 204), response.text
    stored = await fetch_one("SELECT password FROM users WHERE id = {}", DEMO_USER["id"])
    assert stored is not None
    assert stored["password"].startswith("$argon2id$")
    assert "changed-by-staff" not in stored["password"]
    assert (await api.get("/api/auth/me")).status_code == 401
    api.headers.pop("Authorization")
    new = {"email": DEMO_USER["email"], "password": "changed-by-staff"}
    assert (await api.post("/api/auth/login", json=new)).status_code == 200


async def test_an_edit_without_a_password_keeps_it(staff: httpx.AsyncClient) -> None:
    row = await _demo_row(staff)
    body = {"name": "Renamed", "email": row["email"], "password": ""}
    response = await staff.put(f"{TABLES}/users/{DEMO_USER['id']}/", json=body, headers=csrf(staff))
    assert response.status_code == 204, response.text
    login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
    assert (await staff.post("/api/auth/login", json=login)).status_code == 200


async def test_staff_cannot_desynchronise_the_email_key(staff: httpx.AsyncClient) -> None:
    response = await staff.patch(
        f"{TABLES}/users/{DEMO_USER['id']}/",
        json={"email": "Renamed@NextMail.com", "email_key": "someone@else.com"},
        headers=csrf(staff),
    )
    assert response.status_code == 200, response.text
    row = await fetch_one("SELECT email_key FROM users WHERE id = {}", DEMO_USER["id"])
    assert row is not None and row["email_key"] == "renamed@nextmail.com"
    login = {"email": "renamed@nextmail.com", "password": DEMO_USER["password"]}
    assert (await staff.post("/api/auth/login", json=login)).status_code == 200


async def test_the_database_refuses_a_password_that_is_not_argon2id(db: None) -> None:
    import asyncpg

    from src.domain.sql import atomic, fetch

    with pytest.raises(asyncpg.CheckViolationError):
        async with atomic():
            await fetch("UPDATE users SET password = 'plain-text' WHERE id = {}", DEMO_USER["id"])


# ---- refused writes, odd list parameters, cookies ------------------------------------------


async def test_a_write_the_database_refuses_reads_well_and_logs_no_row(
    staff: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    from src.domain.sql import fetch

    # A rule only the database knows (as the date range is, for a while after a migration).
    await fetch(
        "ALTER TABLE users ADD CONSTRAINT users_name_not_reserved CHECK (name <> 'Reserved')"
    )
    caplog.clear()
    response = await staff.patch(
        f"{TABLES}/users/{DEMO_USER['id']}/", json={"name": "Reserved"}, headers=csrf(staff)
    )
    assert response.status_code == 422
    message = response.json()["db_error"]
    assert "violates" not in message and "Failing row" not in message
    assert message.startswith("The database refused this change")
    logged = caplog.text
    assert "refused by the database" in logged
    for leak in ("Failing row", "$argon2", DEMO_USER["email"], "Traceback"):
        assert leak not in logged, leak
    assert len([r for r in caplog.records if r.name.startswith("piccolo_api")]) == 1


@pytest.mark.parametrize(
    "order", ["nope", "-nope", "date,nope", "customer_id.name", "%0Aforged", "", "-", "date%00"]
)
async def test_an_unknown_sort_column_is_a_400_with_one_log_line(
    staff: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, order: str
) -> None:
    caplog.clear()
    response = await staff.get(f"{TABLES}/invoices/?__order={order}")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if r.levelno >= 20 and r.name != "httpx"]) == 1
    known = await staff.get(f"{TABLES}/invoices/", params={"__order": "-date,amount"})
    assert known.status_code == 200


async def test_admin_cookies_are_secure_outside_development(db: None) -> None:
    from src.http.app import create_app
    from src.settings import load_settings

    settings = load_settings(
        {"APP_ENV": "production", "SECRET_KEY": "s" * 40, "ALLOWED_HOSTS": "acme.example"}
    )
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://acme.example") as c:
        page = await c.get("/admin/")
        cookies = page.headers.get_list("set-cookie")
        assert any(x.startswith("csrftoken=") for x in cookies)
        assert all("secure" in x.lower() for x in cookies), cookies


async def test_staff_emails_are_unique_in_their_normal_form(db: None) -> None:
    from src.domain.staff import StaffError

    await upsert_staff("first-staff", "first-password", "ops@acme.test")
    for twin in ("OPS@Acme.test", "\uff4fps@acme.test", " ops@acme.test "):
        with pytest.raises(StaffError, match="already uses"):
            await upsert_staff("second-staff", "second-password", twin)
    # The account's own address, in another case, is not a clash with itself.
    again = await upsert_staff("first-staff", "first-password", "Ops@Acme.test")
    assert not again.created


@pytest.mark.parametrize("query", ["status=%00", "name%00=x", "__visible_fields=id%00"])
async def test_a_nul_in_the_admin_filters_is_a_400(
    staff: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    caplog.clear()
    response = await staff.get(f"{TABLES}/invoices/?{query}")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert "Traceback" not in caplog.text


async def test_each_app_builds_its_back_office_with_its_own_settings(db: None) -> None:
    """Two apps in one process (development, then production): the second's back office is
    built with its own settings, not the first one's, with no environment variable set."""
    from src.http.app import create_app
    from src.settings import load_settings

    development = create_app(load_settings({"APP_ENV": "development"}), manage_database=False)
    production = create_app(
        load_settings(
            {"APP_ENV": "production", "SECRET_KEY": "s" * 40, "ALLOWED_HOSTS": "acme.example"}
        ),
        manage_database=False,
    )
    secure: list[bool] = []
    for app in (development, production):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://acme.example") as c:
            page = await c.get("/admin/")
            assert page.status_code == 200
            csrf = [x for x in page.headers.get_list("set-cookie") if x.startswith("csrftoken=")]
            secure.append(bool(csrf) and all("secure" in x.lower() for x in csrf))
    assert secure == [False, True]
    assert development.state["admin_app"] is not production.state["admin_app"]
