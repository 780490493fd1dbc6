"""The customers' email-key migration of 2026-11-29 refuses, naming the rows, when two existing
customers are one address once normalised (the old `lower(email)` index told them apart); it
never changes such data silently. Once they are told apart it keys every customer without
touching what anyone sees: `updated_at` (the ETags) stays and the audit trail gains nothing.
Runs in its own process on its own database."""

from __future__ import annotations

import os

from tests.support import create_database, drop_database, run_script

SCRIPT = """
import asyncio, json
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.querystring import QueryString
from src.db import DB, configure_database
from src.ops.migrate import migrate
from src.settings import get_settings

async def rows(sql, *args):
    return await DB.run_querystring(QueryString(sql, *args))

async def main():
    configure_database(get_settings())
    for app in BaseMigrationManager().get_sorted_app_names():
        before = "2026-11-27T09:00:00:000000" if app == "customers" else "all"
        done = await run_forwards(app_name=app, migration_id=before)
        assert done.success, done.message
    ids = {}
    for name, email in [
        ("Ascii", "twin@example.com"),
        ("Wide", "\\uff34win@example.com"),
        ("Sharp", "stra\\u00dfe@example.com"),
        ("Double", "STRASSE@example.com"),
        ("Alone", "alone@example.com"),
    ]:
        found = await rows("INSERT INTO customers (name, email) VALUES ({}, {}) RETURNING id",
                           name, email)
        ids[name] = str(found[0]["id"])
    out = {"ids": ids}
    try:
        await migrate()
        out["error"] = None
    except Exception as exc:
        out["error"] = str(exc)
    out["columns"] = [r["column_name"] for r in await rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers'")]
    await rows("UPDATE customers SET email = 'wide@example.com' WHERE id = {}", ids["Wide"])
    await rows("UPDATE customers SET email = 'sharp@example.com' WHERE id = {}", ids["Sharp"])
    stamps = await rows("SELECT name, updated_at::text AS at FROM customers")
    audit = await rows("SELECT count(*) AS n FROM audit_log")
    await migrate()
    after = await rows("SELECT name, updated_at::text AS at FROM customers")
    out["stamps_kept"] = sorted(map(tuple, (r.values() for r in stamps))) == sorted(
        map(tuple, (r.values() for r in after)))
    out["audit_grew"] = (await rows("SELECT count(*) AS n FROM audit_log"))[0]["n"] - audit[0]["n"]
    out["keys"] = {r["name"]: r["email_key"] for r in await rows(
        "SELECT name, email_key FROM customers")}
    print("RESULT " + json.dumps(out))

asyncio.run(main())
"""


def test_the_migration_names_the_customers_it_refuses_then_keys_them_all() -> None:
    database = create_database("acme_customers_migration")
    try:
        env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": database}
        out = run_script(SCRIPT, env)
    finally:
        drop_database(database)
    ids, error = out["ids"], out["error"]
    assert "same address once normalised" in error
    for name in ("Ascii", "Wide", "Sharp", "Double"):
        assert ids[name] in error
    assert ids["Alone"] not in error
    # Refused before any change: not even the new column was added.
    assert "email_key" not in out["columns"]
    # Told apart, the customers are keyed in Python's normal form, and nothing else changed.
    assert out["keys"] == {
        "Ascii": "twin@example.com",
        "Wide": "wide@example.com",
        "Sharp": "sharp@example.com",
        "Double": "strasse@example.com",
        "Alone": "alone@example.com",
    }
    assert out["stamps_kept"] is True
    assert out["audit_grew"] == 0
