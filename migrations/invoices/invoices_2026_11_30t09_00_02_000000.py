"""An index on the customers' kept newest-invoice bound (the migration before this one), built
without blocking writes: a deep page of a broad customer search intersects it with the trigram
matches."""

from migrations.sql_v2 import sql_forwards_outside_transaction

ID = "2026-11-30T09:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "an index on the customers' kept newest-invoice bound"

STATEMENTS = [
    "DROP INDEX CONCURRENTLY IF EXISTS invoice_customer_counts_newest_idx",
    "CREATE INDEX CONCURRENTLY invoice_customer_counts_newest_idx"
    " ON invoice_customer_counts (newest)",
    "ANALYZE invoice_customer_counts",
]


forwards = sql_forwards_outside_transaction(ID, "invoices", DESCRIPTION, STATEMENTS)
