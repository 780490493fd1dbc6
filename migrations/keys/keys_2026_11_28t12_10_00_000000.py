"""API keys: a user's named, scoped secrets for REST clients, stored only as SHA-256 hashes."""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T12:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "api keys"

STATEMENTS = [
    """
    CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL
            CONSTRAINT api_keys_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
        scope varchar(5) NOT NULL CONSTRAINT api_keys_scope CHECK (scope IN ('read', 'write')),
        -- SHA-256 (hex) of the secret: the secret itself is shown once and never stored.
        secret_hash varchar(64) NOT NULL CONSTRAINT api_keys_secret_hash_key UNIQUE,
        -- The secret's last four characters, so a person can tell their keys apart.
        hint varchar(4) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz
    )
    """,
    "CREATE UNIQUE INDEX api_keys_user_name_key ON api_keys (user_id, lower(name))",
]


forwards = sql_forwards(ID, "keys", DESCRIPTION, STATEMENTS)
