"""Test infrastructure: a PostgreSQL server (DATABASE_URL or embedded) and fresh databases."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

_server_url: str | None = None
_embedded = None


def server_url() -> str:
    """The URL of a server to make test databases on: DATABASE_URL's, else an embedded one."""
    global _server_url, _embedded
    if _server_url is None:
        url = os.environ.get("DATABASE_URL")
        if not url:
            from src.db import embedded_server

            _embedded = embedded_server(Path(tempfile.gettempdir()) / "acme-test-postgres")
            url = str(_embedded.get_uri())
        _server_url = url
    return _server_url


def with_database(url: str, name: str) -> str:
    if url.startswith("postgresql://") and "?host=" in url:
        # unix-socket DSN (embedded): postgresql://user@/db?host=/path
        head, _, query = url.partition("?")
        base = head.rsplit("/", 1)[0]
        return f"{base}/{name}?{query}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(with_database(server_url(), "postgres"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_database(prefix: str = "acme_test") -> str:
    """Create an empty database with a unique name on the test server; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return with_database(server_url(), name)


def drop_database(url: str) -> None:
    name = url.split("?")[0].rsplit("/", 1)[-1]
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
