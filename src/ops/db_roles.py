"""The API's own database role: it may read and write the app's rows, nothing else.

The migrator connects as the owner of the schema (the cluster's master user on AWS) and,
after the migrations, calls `ensure_app_role` with DB_APP_ROLE / DB_APP_PASSWORD: the role is
created (or its password set again, which is how a rotated password takes effect), may
connect, and has SELECT/INSERT/UPDATE/DELETE on every table and USAGE on every sequence of
the schema, now and for tables later migrations create. It cannot create, alter or drop
anything, and cannot touch Piccolo's migration bookkeeping. Locally no role is named and one
role does everything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from src.db import DB
from src.domain.sql import fetch_one

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
DML = "SELECT, INSERT, UPDATE, DELETE"


class RoleError(Exception):
    pass


async def _sql(template: str, *values: str) -> str:
    """`format()` done by PostgreSQL: %I quotes identifiers, %L literals."""
    placeholders = ", ".join("{}::text" for _ in values)
    row = await fetch_one(f"SELECT format({{}}::text, {placeholders}) AS sql", template, *values)
    assert row is not None
    return str(row["sql"])


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores (RFC 5802/7677): the statement that sets
    the password then carries no clear text for a statement log to keep."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    stored = hashlib.sha256(client_key).digest()
    salt64, stored64, server64 = (base64.b64encode(v).decode() for v in (salt, stored, server_key))
    return f"SCRAM-SHA-256${iterations}:{salt64}${stored64}:{server64}"


async def ensure_app_role(role: str, password: str) -> None:
    if not ROLE_NAME.match(role):
        raise RoleError("DB_APP_ROLE must be a lower-case identifier (a-z, 0-9, _)")
    if len(password) < 16 or "\x00" in password:
        raise RoleError("DB_APP_PASSWORD must be at least 16 characters")
    owner = await fetch_one("SELECT current_user AS name, current_database() AS db")
    assert owner is not None
    if owner["name"] == role:
        raise RoleError("DB_APP_ROLE must differ from the owner the migrator connects as")
    exists = await fetch_one("SELECT 1 AS found FROM pg_roles WHERE rolname = {}", role)
    statements = [] if exists else [await _sql("CREATE ROLE %I LOGIN", role)]
    statements += [
        await _sql(
            "ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
            " NOBYPASSRLS PASSWORD %L",
            role,
            scram_verifier(password),
        ),
        # Only the owner creates objects (PostgreSQL 15's default; restated for older clusters).
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        await _sql("GRANT CONNECT ON DATABASE %I TO %I", str(owner["db"]), role),
        await _sql("GRANT USAGE ON SCHEMA public TO %I", role),
        await _sql(f"GRANT {DML} ON ALL TABLES IN SCHEMA public TO %I", role),
        await _sql("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I", role),
        await _sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {DML} ON TABLES TO %I", role),
        await _sql(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I",
            role,
        ),
    ]
    migration_table = await fetch_one("SELECT to_regclass('public.migration') IS NOT NULL AS ok")
    if migration_table is not None and migration_table["ok"]:
        statements.append(await _sql("REVOKE ALL ON TABLE migration FROM %I", role))
    async with DB.transaction():
        for statement in statements:
            await DB.run_ddl(statement)
