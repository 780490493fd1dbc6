"""API keys: a user's named, scoped secrets for REST clients, stored only as SHA-256 hashes."""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T12:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "api key rules"

STATEMENTS = [
    # The table comes from the previous migration (Piccolo's, from tables.py).
    "ALTER TABLE api_keys ADD CONSTRAINT api_keys_name_length"
    " CHECK (char_length(btrim(name)) BETWEEN 1 AND 100)",
    "ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope CHECK (scope IN ('read', 'write'))",
    "ALTER TABLE api_keys ADD CONSTRAINT api_keys_hint_length CHECK (char_length(hint) = 4)",
    # A user's keys, listed and counted by user; names unique per user in any letter case.
    "CREATE UNIQUE INDEX api_keys_user_name_key ON api_keys (user_id, lower(name))",
]


forwards = sql_forwards(ID, "keys", DESCRIPTION, STATEMENTS)
