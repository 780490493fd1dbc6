"""Users, step 2 of 2: one email normal form in the database, argon2id-only passwords, and
sessions that end with their password.

- `email_key` holds the email in the application's normal form (NFKC + case folding, copied
  from `src.domain.users.email.email_key`) and is the unique key; the old `lower(email)` index
  used PostgreSQL's locale rules, which disagree with Python's on characters such as U+0130.
  Empty is refused, so a path that forgets to write it fails loudly.
- `password` must be an argon2id hash (CHECK).
- Changing a user's password ends that user's sessions, whatever the path (trigger).

Step 1 refused to run if existing rows break these rules.
"""

import unicodedata

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-28T10:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "email key, argon2id passwords, password change ends sessions"


def _email_key(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


AFTER = [
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
    "CREATE INDEX login_attempts_window_start_idx ON login_attempts (window_start)",
    # Throttle rows are keyed differently from now on (HMACs): the old ones mean nothing.
    "DELETE FROM login_attempts",
]


async def _run() -> None:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.py names the engine"
    rows = await engine.run_querystring(QueryString("SELECT id, email FROM users"))
    for r in rows:
        await engine.run_querystring(
            QueryString(
                "UPDATE users SET email_key = {} WHERE id = {}",
                _email_key(str(r["email"])),
                r["id"],
            )
        )
    for statement in AFTER:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="users", description=DESCRIPTION)
    manager.add_raw(_run)
    return manager
