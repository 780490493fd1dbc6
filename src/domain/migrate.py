"""Apply pending Piccolo migrations (the only way the schema is created or changed)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Awaitable, Callable, Sequence

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder


class MigrationError(Exception):
    pass


async def migrate(verbose: bool = False) -> None:
    quiet = contextlib.redirect_stdout(io.StringIO())
    with contextlib.nullcontext() if verbose else quiet:
        result = await run_forwards(app_name="all", migration_id="all")
    if not result.success:
        raise MigrationError(f"migrations failed: {result.message}")


def sql_forwards(
    migration_id: str,
    app_name: str,
    description: str,
    statements: Sequence[str],
    *,
    transactional: bool = True,
) -> Callable[[], Awaitable[MigrationManager]]:
    """The `forwards` of a migration written in SQL: its statements in order, inside the
    transaction Piccolo runs each migration in.

    `transactional=False` runs each statement on its own, outside a transaction: what
    `CREATE INDEX CONCURRENTLY` needs (docs/deploy.md, "Long migrations"). Write such a
    migration so that it can run again after a failure half-way (`DROP INDEX CONCURRENTLY IF
    EXISTS` before `CREATE INDEX CONCURRENTLY`), and keep it to that one kind of statement.
    """

    async def forwards() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id,
            app_name=app_name,
            description=description,
            wrap_in_transaction=transactional,
        )

        async def run() -> None:
            engine = engine_finder()
            assert engine is not None, "piccolo_conf.py names the engine"
            for statement in statements:
                await engine.run_ddl(statement)

        manager.add_raw(run)
        return manager

    return forwards
