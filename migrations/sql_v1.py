"""Frozen: the `forwards` builder the SQL migrations of Nov 2026 were written against.

Migrations are history: never edit this file. A migration that needs other behaviour carries its
own code (or a new `sql_v2.py`), so changing application code can never rewrite the schema's past.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


def sql_forwards(
    migration_id: str, app_name: str, description: str, statements: Sequence[str]
) -> Callable[[], Awaitable[MigrationManager]]:
    """The `forwards` of a migration written in SQL: its statements in order, inside the
    transaction Piccolo runs each migration in."""

    async def forwards() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id, app_name=app_name, description=description
        )

        async def run() -> None:
            engine = engine_finder()
            assert engine is not None, "piccolo_conf.py names the engine"
            for statement in statements:
                await engine.run_ddl(statement)

        manager.add_raw(run)
        return manager

    return forwards
