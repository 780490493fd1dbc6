"""The audit trail: every path's changes, recorded in the same transaction, append-only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from src.db import DB
from src.domain.audit.actor import SYSTEM, Actor, acting_as, apply_actor_on
from src.domain.audit.repository import AuditRepository, per_field
from src.domain.customers.repository import CustomerRepository
from src.domain.sql import fetch, fetch_one
from src.ops.seed import DEMO_USER, invoice_id
from tests.http.test_admin import STAFF, TABLES, csrf, evil_rabbit_666
from tests.support import ROOT, create_database, drop_database

pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")

EVIL_RABBIT = "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa"
LEE = "3958dc9e-742f-4377-85e9-fec4b6a6442a"
MISSING = "00000000-0000-4000-8000-000000000000"


async def entries(table: str, row_id: object) -> list[dict[str, Any]]:
    rows = await fetch(
        "SELECT actor_kind, actor_id, actor_name, action, changes FROM audit_log"
        " WHERE table_name = {} AND row_id = {} ORDER BY id",
        table,
        str(row_id),
    )
    for row in rows:
        row["changes"] = per_field(json.loads(row["changes"]))
    return rows


async def history(api: httpx.AsyncClient, path: str, **params: object) -> dict[str, Any]:
    response = await api.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- the API path ---


async def test_an_api_edit_is_recorded_with_the_user_and_only_the_changed_fields(
    api: httpx.AsyncClient,
) -> None:
    created = await api.post(
        "/api/invoices", json={"customerId": LEE, "amount": 1250, "status": "pending"}
    )
    assert created.status_code == 201
    iid = created.json()["id"]
    changed = await api.patch(f"/api/invoices/{iid}", json={"amount": 1500, "status": "pending"})
    assert changed.status_code == 200
    first, second = await entries("invoices", iid)
    user = {"actor_kind": "user", "actor_id": str(DEMO_USER["id"]), "actor_name": "User"}
    assert {k: first[k] for k in user} == user and first["action"] == "created"
    assert first["changes"]["amount"] == {"before": None, "after": 1250}
    assert set(first["changes"]) == {
        "customer_id",
        "amount",
        "status",
        "date",
        "number",
        "due_date",
        "amount_paid",
    }
    # Only the amount changed: the status was sent unchanged and is not listed.
    assert {k: second[k] for k in user} == user and second["action"] == "updated"
    assert second["changes"] == {"amount": {"before": 1250, "after": 1500}}

    body = await history(api, f"/api/invoices/{iid}/history")
    assert body["total"] == 2 and body["totalPages"] == 1
    newest = body["items"][0]
    assert newest["actor"] == {"kind": "user", "id": str(DEMO_USER["id"]), "name": "User"}
    assert newest["summary"] == "changed the amount from $12.50 to $15.00"
    assert newest["changes"] == [
        {
            "field": "amount",
            "label": "amount",
            "before": "$12.50",
            "after": "$15.00",
            "text": "changed the amount from $12.50 to $15.00",
        }
    ]
    assert body["items"][1]["summary"] == "created the invoice"


async def test_several_fields_read_as_one_sentence_with_customer_names(
    api: httpx.AsyncClient,
) -> None:
    iid = str(invoice_id(6))  # Evil Rabbit, $6.66, pending
    response = await api.put(
        f"/api/invoices/{iid}", json={"customerId": LEE, "amount": 1000, "status": "paid"}
    )
    assert response.status_code == 200, response.text
    summaries = [
        e["summary"] for e in (await history(api, f"/api/invoices/{iid}/history"))["items"]
    ]
    # Marking it paid records a payment of the balance, which moves the status with the money:
    # two entries, newest first, each one sentence with names and dollars.
    assert summaries[:2] == [
        "changed the status from Pending to Paid and the amount paid from $0.00 to $10.00",
        "changed the customer from Evil Rabbit to Lee Robinson and the amount from $6.66 to $10.00",
    ]


async def test_an_unchanged_write_and_a_refused_write_record_nothing(
    api: httpx.AsyncClient,
) -> None:
    iid = str(invoice_id(6))
    before = len(await entries("invoices", iid))
    same = await api.patch(f"/api/invoices/{iid}", json={"amount": 666})
    assert same.status_code == 200
    stale = await api.patch(
        f"/api/invoices/{iid}", json={"amount": 700}, headers={"If-Match": '"2000-01-01T00:00:00"'}
    )
    assert stale.status_code in (400, 412)
    unknown_customer = await api.patch(f"/api/invoices/{iid}", json={"customerId": MISSING})
    assert unknown_customer.status_code == 400
    assert len(await entries("invoices", iid)) == before


async def test_customer_writes_and_deletes_are_recorded(api: httpx.AsyncClient) -> None:
    created = await api.post(
        "/api/customers", json={"name": "Zoë Ünicode", "email": "zoe@example.com"}
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    renamed = await api.patch(f"/api/customers/{cid}", json={"name": 'Zoë "Z" O\'Neil'})
    assert renamed.status_code == 200
    assert (await api.delete(f"/api/customers/{cid}")).status_code == 204
    actions = [e["action"] for e in await entries("customers", cid)]
    assert actions == ["created", "updated", "deleted"]
    body = await history(api, f"/api/customers/{cid}/history")
    assert [i["summary"] for i in body["items"]] == [
        "deleted the customer",
        'changed the name from Zoë Ünicode to Zoë "Z" O\'Neil',
        "created the customer",
    ]
    deleted = (await entries("customers", cid))[-1]["changes"]
    assert deleted["email"] == {"before": "zoe@example.com", "after": None}


async def test_a_failed_transaction_leaves_no_trail(migrated: str) -> None:
    """Recorded in the same transaction: a rollback takes the entry with it."""

    async def change_then_fail() -> None:
        async with DB.transaction():
            await fetch("UPDATE customers SET name = 'Rolled Back' WHERE id = {}", LEE)
            raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        await change_then_fail()
    rows = await entries("customers", LEE)
    assert not [r for r in rows if r["changes"].get("name", {}).get("after") == "Rolled Back"]


# --- history endpoints ---


async def test_history_is_paginated_newest_first_and_404s_unknown_ids(
    api: httpx.AsyncClient,
) -> None:
    iid = str(invoice_id(0))
    for amount in (101, 102, 103, 104, 105):
        assert (await api.patch(f"/api/invoices/{iid}", json={"amount": amount})).status_code == 200
    page1 = await history(api, f"/api/invoices/{iid}/history", pageSize=2)
    page2 = await history(api, f"/api/invoices/{iid}/history", pageSize=2, page=2)
    assert page1["total"] == page2["total"] == 6 and page1["totalPages"] == 3
    afters = [i["changes"][0]["after"] for i in page1["items"] + page2["items"]]
    assert afters == ["$1.05", "$1.04", "$1.03", "$1.02"]
    past = await history(api, f"/api/invoices/{iid}/history", page=9)
    assert past["items"] == [] and past["total"] == 6
    for path in (
        f"/api/invoices/{MISSING}/history",
        "/api/invoices/not-a-uuid/history",
        f"/api/customers/{MISSING}/history",
        "/api/customers/%F0%9D%90%80/history",
    ):
        response = await api.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"] in ("Invoice not found.", "Customer not found.")
    bad = await api.get(f"/api/invoices/{iid}/history", params={"pageSize": 1000})
    assert bad.status_code == 400


async def test_a_deleted_invoice_keeps_its_history(api: httpx.AsyncClient) -> None:
    iid = str(invoice_id(3))
    assert (await api.delete(f"/api/invoices/{iid}")).status_code == 204
    body = await history(api, f"/api/invoices/{iid}/history")
    assert body["items"][0]["summary"] == "deleted the invoice"
    assert body["items"][0]["actor"]["name"] == "User"


async def test_history_needs_a_login(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/api/invoices/{invoice_id(0)}/history")
    assert response.status_code == 401


# --- the back office path ---


async def test_an_admin_edit_is_recorded_as_the_staff_member(
    staff: httpx.AsyncClient,
    api: httpx.AsyncClient,
) -> None:
    row = await evil_rabbit_666(staff)
    response = await staff.patch(
        f"{TABLES}/invoices/{row['id']}/", json={"amount": 1500}, headers=csrf(staff)
    )
    assert response.status_code == 200, response.text
    latest = (await entries("invoices", row["id"]))[-1]
    assert latest["actor_kind"] == "staff" and latest["actor_name"] == STAFF["username"]
    assert latest["changes"] == {"amount": {"before": 666, "after": 1500}}
    body = await history(api, f"/api/invoices/{row['id']}/history")
    assert body["items"][0]["actor"]["kind"] == "staff"
    assert body["items"][0]["summary"] == "changed the amount from $6.66 to $15.00"


async def test_a_refused_admin_edit_records_nothing(staff: httpx.AsyncClient) -> None:
    row = await evil_rabbit_666(staff)
    before = len(await entries("invoices", row["id"]))
    response = await staff.patch(
        f"{TABLES}/invoices/{row['id']}/", json={"amount": -5}, headers=csrf(staff)
    )
    assert response.status_code == 422
    assert len(await entries("invoices", row["id"])) == before


async def test_a_password_change_is_recorded_without_the_hash(staff: httpx.AsyncClient) -> None:
    response = await staff.post(
        "/admin/api/forms/set-a-dashboard-password/",
        json={"email": DEMO_USER["email"], "new_password": "a new password"},
        headers=csrf(staff),
    )
    assert response.status_code == 200, response.text
    latest = (await entries("users", DEMO_USER["id"]))[-1]
    assert latest["actor_kind"] == "staff"
    assert latest["changes"] == {"password": {"changed": True}}
    stored = await fetch_one("SELECT password FROM users WHERE id = {}", DEMO_USER["id"])
    assert stored is not None
    everything = await fetch_one("SELECT string_agg(changes::text, ' ') AS t FROM audit_log")
    assert everything is not None and stored["password"] not in everything["t"]
    assert "$argon2" not in everything["t"]


async def test_the_back_office_lists_the_trail_but_cannot_change_it(
    staff: httpx.AsyncClient,
) -> None:
    listed = await staff.get(
        f"{TABLES}/audit_log/", params={"table_name": "invoices", "__order": "-id"}
    )
    assert listed.status_code == 200, listed.text
    rows = listed.json()["rows"]
    assert rows and all(r["table_name"] == "invoices" for r in rows)
    by_actor = await staff.get(f"{TABLES}/audit_log/", params={"actor_kind": "system"})
    assert by_actor.status_code == 200 and by_actor.json()["rows"]
    entry = rows[0]["id"]
    for method, path, body in (
        ("PATCH", f"{TABLES}/audit_log/{entry}/", {"actor_name": "nobody"}),
        ("PUT", f"{TABLES}/audit_log/{entry}/", {"actor_name": "nobody"}),
        ("DELETE", f"{TABLES}/audit_log/{entry}/", None),
        ("POST", f"{TABLES}/audit_log/", {"actor_kind": "system", "actor_name": "forged"}),
    ):
        response = await staff.request(method, path, json=body, headers=csrf(staff))
        assert response.status_code >= 400, (method, response.status_code)
    still = await fetch_one("SELECT actor_name FROM audit_log WHERE id = {}", entry)
    assert still is not None and still["actor_name"] != "nobody"
    assert await fetch_one("SELECT 1 AS x FROM audit_log WHERE actor_name = 'forged'") is None


# --- the domain / CLI paths ---


async def test_changes_without_a_known_actor_are_the_systems(db: None) -> None:
    await fetch("UPDATE customers SET name = 'Lee R.' WHERE id = {}", LEE)
    latest = (await entries("customers", LEE))[-1]
    assert latest["actor_kind"] == "system" and latest["actor_name"] == "System"
    with acting_as(Actor(kind="user", id="x", name='名前 "quoted" \\ back')):
        await CustomerRepository().update(uuid.UUID(LEE), {"name": "Lee"})
    latest = (await entries("customers", LEE))[-1]
    assert latest["actor_name"] == '名前 "quoted" \\ back'
    with acting_as(SYSTEM):
        await CustomerRepository().update(uuid.UUID(LEE), {"name": "Lee Robinson"})
    assert (await entries("customers", LEE))[-1]["actor_kind"] == "system"


def test_the_command_line_seed_is_recorded_as_the_system() -> None:
    url = create_database("acme_audit_cli")
    try:
        env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "test"}
        done = subprocess.run(
            [sys.executable, "-m", "src.ops.cli", "seed"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

        async def counts() -> list[dict[str, Any]]:
            conn = await asyncpg.connect(url)
            try:
                rows = await conn.fetch(
                    "SELECT table_name, actor_kind, action, count(*) AS n, "
                    " bool_or(changes::text LIKE '%argon2%') AS leaked FROM audit_log"
                    " GROUP BY 1, 2, 3 ORDER BY 1, 3"
                )
                return [dict(r) for r in rows]
            finally:
                await conn.close()

        import asyncio

        rows = asyncio.run(counts())
        assert [(r["table_name"], r["actor_kind"], r["action"], r["n"]) for r in rows] == [
            ("customers", "system", "created", 6),
            ("invoices", "system", "created", 13),
            # The 8 paid ones: each got its payment, which moved the invoice's paid sum.
            ("invoices", "system", "updated", 8),
            ("payments", "system", "created", 8),
            ("users", "system", "created", 1),
        ]
        assert not any(r["leaked"] for r in rows)
    finally:
        drop_database(url)


# --- append-only and retention ---


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor_name = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
async def test_the_trail_cannot_be_changed_or_deleted(db: None, statement: str) -> None:
    transaction = DB.current_transaction.get()
    assert transaction is not None
    savepoint = await transaction.savepoint()
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await fetch(statement)
    await savepoint.rollback_to()
    assert (await fetch_one("SELECT count(*) AS n FROM audit_log"))["n"] > 0  # type: ignore[index]


async def test_an_application_role_without_ownership_is_refused_by_privileges(db: None) -> None:
    """Where the app runs as its own role, the table's privileges refuse it before the trigger."""
    role = f"acme_app_{uuid.uuid4().hex[:8]}"
    transaction = DB.current_transaction.get()
    assert transaction is not None
    await fetch(f"CREATE ROLE {role}")
    await fetch(f"GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO {role}")
    await fetch(f"GRANT SELECT ON audit_log TO {role}")
    await fetch(f"SET LOCAL ROLE {role}")
    # Its writes are still recorded (the recording function runs as the table's owner) ...
    await fetch("UPDATE customers SET name = 'By Role' WHERE id = {}", LEE)
    savepoint = await transaction.savepoint()
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await fetch("DELETE FROM audit_log")
    await savepoint.rollback_to()
    savepoint = await transaction.savepoint()
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await fetch(
            "INSERT INTO audit_log (actor_kind, actor_name, table_name, row_id, action)"
            " VALUES ('system', 'forged', 'invoices', 'x', 'created')"
        )
    await savepoint.rollback_to()
    await fetch("RESET ROLE")
    assert (await entries("customers", LEE))[-1]["changes"]["name"]["after"] == "By Role"


async def test_prune_is_the_only_way_entries_go(db: None) -> None:
    await fetch(
        "INSERT INTO audit_log (at, actor_kind, actor_name, table_name, row_id, action)"
        " VALUES (now() - interval '400 days', 'system', 'old', 'invoices', 'x', 'created')"
    )
    total = (await fetch_one("SELECT count(*) AS n FROM audit_log"))["n"]  # type: ignore[index]
    assert await AuditRepository().prune(365) == 1
    after = (await fetch_one("SELECT count(*) AS n FROM audit_log"))["n"]  # type: ignore[index]
    assert after == total - 1
    assert await AuditRepository().prune(365) == 0


def test_prune_without_a_retention_setting_keeps_everything() -> None:
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": "postgresql://unused@127.0.0.1:1/x"}
    env.pop("AUDIT_RETENTION_DAYS", None)
    done = subprocess.run(
        [sys.executable, "-m", "src.ops.cli", "audit-prune"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "nothing removed" in done.stdout


class UndoImport(Exception):
    pass


async def test_a_bulk_copy_is_recorded_row_by_row_under_its_actor(migrated: str) -> None:
    """An import on its own connection (COPY, as bulk loads do): one entry per row, one
    trigger call per statement, and the actor set on that connection is the one recorded."""
    conn = await asyncpg.connect(migrated)
    ids = [uuid.uuid4() for _ in range(3)]
    try:
        async with conn.transaction():
            with acting_as(Actor(kind="user", id="importer", name="CSV import")):
                await apply_actor_on(conn)
            await conn.copy_records_to_table(
                "customers",
                records=[
                    (
                        i,
                        f"Bulk {n}",
                        f"bulk{n}-{i.hex[:6]}@example.com",
                        f"bulk{n}-{i.hex[:6]}@example.com",
                    )
                    for n, i in enumerate(ids)
                ],
                columns=["id", "name", "email", "email_key"],
            )
            rows = await conn.fetch(
                "SELECT row_id, actor_name, action FROM audit_log WHERE row_id = ANY($1::text[])",
                [str(i) for i in ids],
            )
            assert sorted(r["row_id"] for r in rows) == sorted(str(i) for i in ids)
            assert {(r["actor_name"], r["action"]) for r in rows} == {("CSV import", "created")}
            raise UndoImport  # roll the import back: the session database stays as it was
    except UndoImport:
        pass
    finally:
        gone = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE row_id = ANY($1::text[])", [str(i) for i in ids]
        )
        await conn.close()
    assert gone == 0


@pytest.mark.parametrize("app_name", ["audit", "keys"])
async def test_the_tables_match_their_migrations(app_name: str) -> None:
    from piccolo.apps.migrations.commands.new import AutoMigrationManager
    from piccolo.conf.apps import Finder

    app_config = Finder().get_app_config(app_name)
    statements = await AutoMigrationManager().get_alter_statements(app_config)
    assert [s.statements for s in statements if s.statements] == []


async def test_the_deployed_api_role_can_read_the_trail_but_not_change_or_prune_it(
    db: None,
) -> None:
    """The role the migrator makes for the API (src/ops/db_roles.py) gets DML on every table,
    except the audit trail, which it may only read; its own writes are still recorded."""
    from src.ops.db_roles import ensure_app_role

    role = f"acme_api_{uuid.uuid4().hex[:8]}"
    transaction = DB.current_transaction.get()
    assert transaction is not None
    await ensure_app_role(role, "a long test password 1")
    await fetch(f"SET LOCAL ROLE {role}")
    await fetch("UPDATE customers SET name = 'By The API Role' WHERE id = {}", LEE)
    assert await fetch_one("SELECT count(*) AS n FROM audit_log") is not None
    for statement in (
        "DELETE FROM audit_log",
        "UPDATE audit_log SET actor_name = 'x'",
        "INSERT INTO audit_log (actor_kind, actor_name, table_name, row_id, action)"
        " VALUES ('system', 'forged', 'invoices', 'x', 'created')",
        "SELECT audit_prune(now())",
    ):
        savepoint = await transaction.savepoint()
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await fetch(statement)
        await savepoint.rollback_to()
    await fetch("RESET ROLE")
    assert (await entries("customers", LEE))[-1]["changes"]["name"]["after"] == "By The API Role"


async def test_payments_and_their_voids_are_recorded_with_the_user(
    api: httpx.AsyncClient,
) -> None:
    created = await api.post(
        "/api/invoices", json={"customerId": LEE, "amount": 5000, "status": "pending"}
    )
    iid = created.json()["id"]
    paid = await api.post(f"/api/invoices/{iid}/payments", json={"amount": 1200, "method": "card"})
    assert paid.status_code == 201, paid.text
    pid = paid.json()["id"]
    voided = await api.post(
        f"/api/invoices/{iid}/payments/{pid}/void", json={"reason": "card charged back"}
    )
    assert voided.status_code == 200, voided.text
    recorded = await entries("payments", pid)
    assert [e["action"] for e in recorded] == ["created", "updated"]
    assert all(e["actor_kind"] == "user" for e in recorded)
    assert recorded[0]["changes"]["amount"] == {"before": None, "after": 1200}
    assert recorded[1]["changes"]["void_reason"]["after"] == "card charged back"
