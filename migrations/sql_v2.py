"""Frozen once used: `forwards` builders added after sql_v1 (which stays as it was).

`sql_forwards_outside_transaction` is for the statements PostgreSQL refuses inside a
transaction block, above all `CREATE INDEX CONCURRENTLY` (an index on a large table built
without blocking writes; docs/deploy.md, "Long migrations"). Piccolo runs such a migration
without its transaction, each statement on its own. Rules for such a migration:

- only statements that must run outside a transaction, each safe to run again: a failed
  `CREATE INDEX CONCURRENTLY` leaves an INVALID index behind, so write
  `DROP INDEX CONCURRENTLY IF EXISTS x` first, then `CREATE INDEX CONCURRENTLY x ...`;
- nothing else in the same migration (table changes go in an ordinary, transactional one);
- the migrator's DB_COMMAND_TIMEOUT (840 s on AWS) bounds one statement.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


def sql_forwards_outside_transaction(
    migration_id: str, app_name: str, description: str, statements: Sequence[str]
) -> Callable[[], Awaitable[MigrationManager]]:
    async def forwards() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id,
            app_name=app_name,
            description=description,
            wrap_in_transaction=False,
        )

        async def run() -> None:
            engine = engine_finder()
            assert engine is not None, "piccolo_conf.py names the engine"
            for statement in statements:
                await engine.run_ddl(statement)

        manager.add_raw(run)
        return manager

    return forwards
