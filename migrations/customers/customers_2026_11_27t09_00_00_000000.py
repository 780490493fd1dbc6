"""One lower-cased search key per customer, and a name-order index that answers the picker alone.

A search matches a customer when the text is in the name or the email, ignoring case. Matching
`lower(name) || U+001F || lower(email)` with LIKE is the same test (ILIKE lower-cases both sides
the same way; the separator cannot be typed into a search box, so no match spans the two), and
one trigram index on that key replaces the two on name and email: one index scan instead of two,
and a plain LIKE to recheck instead of two ILIKEs.

The (name, id) index now carries the email, the picture and the key, so the picker's walk in
name order filters and answers from the index alone, without reading the table.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-27T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "customer search key"

FORWARDS = [
    "ALTER TABLE customers ADD COLUMN search_key text"
    " GENERATED ALWAYS AS (lower(name) || chr(31) || lower(email)) STORED",
    "CREATE INDEX customers_search_key_trgm_idx ON customers USING gin (search_key gin_trgm_ops)",
    "DROP INDEX customers_name_trgm_idx",
    "DROP INDEX customers_email_trgm_idx",
    "DROP INDEX customers_name_id_idx",
    "CREATE INDEX customers_name_id_idx ON customers (name, id)"
    " INCLUDE (email, image_url, search_key)",
]


forwards = sql_forwards(ID, "customers", DESCRIPTION, FORWARDS)
