"""The users migration of 2026-11-28 refuses, naming the rows, when existing data breaks its
rules (a plain-text password, two emails that are one address once normalised); it never
changes such data silently. Runs in its own process on its own database."""

from __future__ import annotations

import os

from tests.support import create_database, drop_database, run_script

SCRIPT = """
import asyncio, json
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.querystring import QueryString
from src.db import DB, configure_database
from src.ops.migrate import migrate
from src.settings import get_settings

async def main():
    configure_database(get_settings())
    before = await run_forwards(app_name="users", migration_id="2026-11-25T14:30:00:000000")
    assert before.success, before.message
    ids = {}
    for name, email, password in [
        ("Plain", "plain@example.com", "not-a-hash"),
        ("Ascii", "twin@example.com", "$argon2id$v=19$m=19456,t=2,p=1$x$y"),
        ("Wide", "\\uff34win@example.com", "$argon2id$v=19$m=19456,t=2,p=1$x$y"),
    ]:
        rows = await DB.run_querystring(QueryString(
            "INSERT INTO users (name, email, password) VALUES ({}, {}, {}) RETURNING id",
            name, email, password))
        ids[name] = str(rows[0]["id"])
    out = {"ids": ids}
    try:
        await migrate()
        out["error"] = None
    except Exception as exc:
        out["error"] = str(exc)
    await DB.run_querystring(QueryString("UPDATE users SET password = {} WHERE id = {}",
        "$argon2id$v=19$m=19456,t=2,p=1$x$y", ids["Plain"]))
    try:
        await migrate()
        out["second"] = None
    except Exception as exc:
        out["second"] = str(exc)
    rows = await DB.run_querystring(QueryString("SELECT name, email, password FROM users"))
    out["rows"] = {r["name"]: [r["email"], r["password"]] for r in rows}
    print("RESULT " + json.dumps(out))

asyncio.run(main())
"""


def test_the_migration_names_the_rows_it_refuses() -> None:
    database = create_database("acme_migration")
    try:
        env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": database}
        out = run_script(SCRIPT, env)
    finally:
        drop_database(database)
    ids = out["ids"]
    assert "not an argon2id hash" in out["error"] and ids["Plain"] in out["error"]
    assert ids["Ascii"] in out["second"] and ids["Wide"] in out["second"]
    assert "same address" in out["second"]
    # Nothing was changed by the refused runs.
    assert out["rows"]["Wide"] == ["\uff34win@example.com", "$argon2id$v=19$m=19456,t=2,p=1$x$y"]
    assert out["rows"]["Ascii"][0] == "twin@example.com"
