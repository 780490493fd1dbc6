"""Trigram indexes for the substring searches on customers (search box, picker, invoice search).

`name ILIKE '%lee%'` and `email ILIKE '%lee%'` use these GIN indexes whenever the query has at
least three characters, so a search reads only the matching customers instead of all of them.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-26T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "trigram search indexes"

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops)",
    "CREATE INDEX customers_email_trgm_idx ON customers USING gin (email gin_trgm_ops)",
]


forwards = sql_forwards(ID, "customers", DESCRIPTION, FORWARDS)
