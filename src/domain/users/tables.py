from piccolo.columns import UUID, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class User(Table, tablename="users"):
    id = UUID(primary_key=True)
    name = Varchar(length=255, required=True)
    email = Varchar(length=255, required=True)
    # `email_key(email)` (src/domain/users/email.py), written with every email; unique. Every
    # comparison of emails compares this. Empty is refused by the database, so a path that
    # forgets to set it fails instead of storing a user no login can find.
    email_key = Text(default="", help_text="Set from the email on every save.")
    # An argon2id hash (the database refuses anything else). Not `required`: with `secret`
    # that breaks the back office's user list (the hash is left out of every answer); the
    # database's NOT NULL still holds.
    password = Varchar(length=255, secret=True)
    created_at = Timestamptz()


class UserSession(Table, tablename="user_sessions"):
    # The SHA-256 of the session token: a leaked table does not leak usable tokens.
    id = Varchar(length=64, primary_key=True)
    user_id = ForeignKey(User, on_delete=OnDelete.cascade, null=False, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)


class LoginAttempt(Table, tablename="login_attempts"):
    """Failed logins per (email, client address), for throttling across processes."""

    key = Varchar(length=64, primary_key=True)
    failures = Integer(default=0)
    window_start = Timestamptz()
