"""A fixed sample of invoices, from which a broad search estimates its total (issue 18).

Every 500th invoice by number (numbers are gapless and given in creation order, so the sample
spreads evenly over the data) is in this partial index with what a search tests: its customer,
date, amount and status. A search matching tens of thousands of invoices tests the sample's
rows (2,000 at a million invoices) instead of counting every match, and scales the result
(src/domain/invoices/totals.py states the error). Built without blocking writes.
"""

from migrations.sql_v2 import sql_forwards_outside_transaction

ID = "2026-11-29T09:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "a fixed sample of invoices for estimated totals"

STATEMENTS = [
    "DROP INDEX CONCURRENTLY IF EXISTS invoices_sample_idx",
    "CREATE INDEX CONCURRENTLY invoices_sample_idx ON invoices (number)"
    " INCLUDE (customer_id, date, amount, status) WHERE number % 500 = 0",
]


forwards = sql_forwards_outside_transaction(ID, "invoices", DESCRIPTION, STATEMENTS)
