"""Idempotency keys: a retried create answers the first result again instead of creating twice.

One row per (user, key) for 24 hours: a hash of the request (method, path, body) and, once the
first request has finished, its answer. The row is inserted in the same transaction as the
create it guards, so a concurrent retry with the same key waits for that transaction and then
finds the answer; a failed request leaves no row behind.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T15:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "idempotency keys"

FORWARDS = [
    """
    CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        status_code integer,
        response_headers jsonb NOT NULL DEFAULT '{}',
        response_body bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
    )
    """,
    "CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)",
]


forwards = sql_forwards(ID, "users", DESCRIPTION, FORWARDS)
