"""Customers, step 1 of 2: refuse to go on when existing customers share an email once
normalised, then add the `email_key` column (declared on the Customer table; step 2 fills it
and makes it the unique key).

Refuses to run, naming the rows, when two customers' emails are one address in the
application's normal form (NFKC + case folding) though `lower(email)` told them apart
(`Amy@Example.com` and a full-width look-alike, `İ` against `i`...): nothing is changed
silently, staff change one of them first. The normal form is copied from
`src.domain.users.email.email_key`, so this migration never changes with the application.
"""

import unicodedata

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-29T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "refuse customers whose emails collide once normalised; add email_key"
BATCH = 10_000


def _email_key(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


class MigrationRefused(Exception):
    pass


async def _refuse_colliding_emails() -> None:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.py names the engine"
    by_key: dict[str, list[str]] = {}
    after = None
    while True:  # in id order, a batch at a time: flat memory per round trip
        rows = await engine.run_querystring(
            QueryString(
                "SELECT id, email FROM customers WHERE {}::uuid IS NULL OR id > {}::uuid"
                " ORDER BY id LIMIT {}",
                after,
                after,
                BATCH,
            )
        )
        for r in rows:
            by_key.setdefault(_email_key(str(r["email"])), []).append(f"{r['id']} <{r['email']}>")
        if len(rows) < BATCH:
            break
        after = rows[-1]["id"]
    clashes = [ids for ids in by_key.values() if len(ids) > 1]
    if clashes:
        raise MigrationRefused(
            "customers whose emails are the same address once normalised (change one of each"
            " group first): " + "; ".join(", ".join(ids) for ids in clashes)
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)
    # Raw steps run before the column changes: the refusal comes first.
    manager.add_raw(_refuse_colliding_emails)
    manager.add_column(
        table_class_name="Customer",
        tablename="customers",
        column_name="email_key",
        db_column_name="email_key",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
