"""Customers, step 2 of 2: every customer's `email_key` filled in, then the unique key.

- `email_key` holds the email in the application's normal form (NFKC + case folding, copied
  from `src.domain.users.email.email_key`, as users have had since 2026-11-28) and replaces the
  `lower(email)` unique index, whose locale rules disagree with Python's on characters such as
  U+0130 (İ). Empty is refused, so a path that forgets to write it fails loudly.
- The keys are computed here in Python, a batch of customers per statement. The fill is not a
  change anyone made: the `updated_at` and audit triggers are off while it runs (ETags stay
  valid, the trail gains no entry per customer).

Step 1 refused to run if two existing customers collide under the new key.
"""

import unicodedata

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-29T10:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "customers' email key: filled, unique, never empty"
BATCH = 10_000
QUIET_TRIGGERS = ("customers_updated_at", "customers_audit_update")


def _email_key(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


AFTER = [
    "CREATE UNIQUE INDEX customers_email_key_key ON customers (email_key)",
    "DROP INDEX IF EXISTS customers_email_lower_key",
    "ALTER TABLE customers ADD CONSTRAINT customers_email_key_not_empty CHECK (email_key <> '')",
]


async def _run() -> None:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.py names the engine"
    present = await engine.run_querystring(
        QueryString(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'customers'::regclass"
            " AND tgname = ANY({})",
            list(QUIET_TRIGGERS),
        )
    )
    quiet = [str(r["tgname"]) for r in present]
    for name in quiet:
        await engine.run_ddl(f"ALTER TABLE customers DISABLE TRIGGER {name}")
    after = None
    while True:
        rows = await engine.run_querystring(
            QueryString(
                "SELECT id, email FROM customers WHERE {}::uuid IS NULL OR id > {}::uuid"
                " ORDER BY id LIMIT {}",
                after,
                after,
                BATCH,
            )
        )
        if rows:
            await engine.run_querystring(
                QueryString(
                    "UPDATE customers c SET email_key = k.key"
                    " FROM unnest({}::uuid[], {}::text[]) AS k(id, key) WHERE c.id = k.id",
                    [r["id"] for r in rows],
                    [_email_key(str(r["email"])) for r in rows],
                )
            )
        if len(rows) < BATCH:
            break
        after = rows[-1]["id"]
    for name in quiet:
        await engine.run_ddl(f"ALTER TABLE customers ENABLE TRIGGER {name}")
    for statement in AFTER:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)
    manager.add_raw(_run)
    return manager
