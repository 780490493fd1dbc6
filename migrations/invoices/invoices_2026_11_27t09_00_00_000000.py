"""A customer's invoices index carries amount and status.

The customers list sums each customer's invoices by status; with these two columns in the
(customer_id, date, id) index those sums read the index alone, not one table page per invoice.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "covering customer index"

FORWARDS = [
    "DROP INDEX invoices_customer_date_id_idx",
    "CREATE INDEX invoices_customer_date_id_idx ON invoices (customer_id, date DESC, id DESC)"
    " INCLUDE (amount, status)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="invoices", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
