"""Database rules for users: case-insensitive unique email, valid names and addresses."""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-25T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "database rules"

FORWARDS = [
    "CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))",
    "ALTER TABLE users ADD CONSTRAINT users_name_length"
    " CHECK (char_length(btrim(name)) BETWEEN 1 AND 255)",
    "ALTER TABLE users ADD CONSTRAINT users_email_format"
    r" CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')",
    "ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_failures_nonneg"
    " CHECK (failures >= 0)",
]


forwards = sql_forwards(ID, "users", DESCRIPTION, FORWARDS)
