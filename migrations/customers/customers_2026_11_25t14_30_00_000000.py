"""Database rules for customers: unique emails in any case, valid names, updated_at."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "database rules"

FORWARDS = [
    "CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email))",
    "ALTER TABLE customers ADD CONSTRAINT customers_name_length"
    " CHECK (char_length(btrim(name)) BETWEEN 1 AND 255)",
    "ALTER TABLE customers ADD CONSTRAINT customers_email_format"
    r" CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')",
    "CREATE INDEX customers_name_id_idx ON customers (name, id)",
    """
    CREATE FUNCTION customers_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER customers_updated_at BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_set_updated_at()
    """,
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
