"""Users, step 1 of 2: refuse to go on when existing rows would break the new rules, then add
the `email_key` column (declared on the User table; step 2 fills it and adds the rules).

Refuses to run, naming the rows, when existing users share an email once normalised or hold a
password that is not an argon2id hash: nothing is changed silently. The normal form
(NFKC + case folding) is copied from `src.domain.users.email.email_key`, so this migration
never changes with the application.
"""

import unicodedata

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-28T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "refuse rows that break the new user rules; add email_key"


def _email_key(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


class MigrationRefused(Exception):
    pass


async def _refuse_bad_rows() -> None:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.py names the engine"
    rows = await engine.run_querystring(
        QueryString("SELECT id, email, password FROM users ORDER BY id")
    )
    not_argon = [str(r["id"]) for r in rows if not str(r["password"]).startswith("$argon2id$")]
    if not_argon:
        raise MigrationRefused(
            "users with a password that is not an argon2id hash (reset them first): "
            + ", ".join(not_argon)
        )
    by_key: dict[str, list[str]] = {}
    for r in rows:
        by_key.setdefault(_email_key(str(r["email"])), []).append(str(r["id"]))
    clashes = [ids for ids in by_key.values() if len(ids) > 1]
    if clashes:
        raise MigrationRefused(
            "users whose emails are the same address once normalised (change them first): "
            + "; ".join(", ".join(ids) for ids in clashes)
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="users", description=DESCRIPTION)
    # Raw steps run before the column changes: the refusal comes first.
    manager.add_raw(_refuse_bad_rows)
    manager.add_column(
        table_class_name="User",
        tablename="users",
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
