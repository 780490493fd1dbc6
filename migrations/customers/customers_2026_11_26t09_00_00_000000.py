"""Trigram indexes for the substring searches on customers (search box, picker, invoice search).

`name ILIKE '%lee%'` and `email ILIKE '%lee%'` use these GIN indexes whenever the query has at
least three characters, so a search reads only the matching customers instead of all of them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "trigram search indexes"

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops)",
    "CREATE INDEX customers_email_trgm_idx ON customers USING gin (email gin_trgm_ops)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
