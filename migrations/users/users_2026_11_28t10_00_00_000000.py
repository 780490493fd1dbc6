"""Users: one email normal form in the database, argon2id-only passwords, sessions end with
their password.

- `email_key` holds the email in the application's normal form (NFKC + case folding, the same
  as `src.domain.users.email.email_key`, copied below so this migration never changes with the
  application) and is the unique key; the old `lower(email)` index used PostgreSQL's locale
  rules, which disagree with Python's on characters such as U+0130.
- `password` must be an argon2id hash (CHECK).
- Changing a user's password ends that user's sessions, whatever the path (trigger).

Refuses to run, naming the rows, when existing users share an email key or hold a password
that is not an argon2id hash: nothing is changed silently.
"""

import unicodedata

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-28T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "email key, argon2id passwords, password change ends sessions"


def _email_key(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


AFTER = [
    "ALTER TABLE users ALTER COLUMN email_key SET NOT NULL",
    "CREATE UNIQUE INDEX users_email_key_key ON users (email_key)",
    "DROP INDEX IF EXISTS users_email_lower_key",
    "ALTER TABLE users ADD CONSTRAINT users_email_key_not_empty CHECK (email_key <> '')",
    "ALTER TABLE users ADD CONSTRAINT users_password_argon2id CHECK (password LIKE '$argon2id$%')",
    """
    CREATE FUNCTION users_end_sessions_on_password_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM user_sessions WHERE user_id = NEW.id;
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER users_password_change_ends_sessions"
    " AFTER UPDATE OF password ON users FOR EACH ROW"
    " WHEN (OLD.password IS DISTINCT FROM NEW.password)"
    " EXECUTE FUNCTION users_end_sessions_on_password_change()",
    # Throttle rows are keyed differently from now on (keyed hashes): the old ones mean nothing.
    "DELETE FROM login_attempts",
]


class MigrationRefused(Exception):
    pass


async def _run() -> None:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.py names the engine"

    async def query(sql: str, *args: object) -> list[dict[str, object]]:
        return list(await engine.run_querystring(QueryString(sql, *args)))

    rows = await query("SELECT id, email, password FROM users ORDER BY id")
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
            "users whose emails are the same address once normalised (merge or change them"
            " first): " + "; ".join(", ".join(ids) for ids in clashes)
        )
    await engine.run_ddl("ALTER TABLE users ADD COLUMN email_key text")
    for r in rows:
        await query(
            "UPDATE users SET email_key = {} WHERE id = {}", _email_key(str(r["email"])), r["id"]
        )
    for statement in AFTER:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="users", description=DESCRIPTION)
    manager.add_raw(_run)
    return manager
