"""The (date, id) index carries what a search tests, so a walk down it reads no table rows.

A search whose matches are dense walks invoices newest first and stops after the page
(src/domain/invoices/finder.py). With the customer, amount, status and due date in the index,
each row read is tested on the index entry alone (an index-only scan); before, each one cost a
visit to the table. The new index replaces `invoices_date_id_idx`; both are built and dropped
without blocking writes.
"""

from migrations.sql_v2 import sql_forwards_outside_transaction

ID = "2026-11-29T09:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "a covering (date, id) index for search walks"

STATEMENTS = [
    "DROP INDEX CONCURRENTLY IF EXISTS invoices_date_id_cover_idx",
    "CREATE INDEX CONCURRENTLY invoices_date_id_cover_idx ON invoices (date DESC, id DESC)"
    " INCLUDE (customer_id, amount, status, due_date)",
    "DROP INDEX CONCURRENTLY IF EXISTS invoices_date_id_idx",
]


forwards = sql_forwards_outside_transaction(ID, "invoices", DESCRIPTION, STATEMENTS)
