"""Database rules for revenue: a YYYY-MM month key and a non-negative figure."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "database rules"

FORWARDS = [
    "ALTER TABLE revenue ADD CONSTRAINT revenue_month_format"
    " CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')",
    "ALTER TABLE revenue ADD CONSTRAINT revenue_nonneg CHECK (revenue >= 0)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="revenue", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
