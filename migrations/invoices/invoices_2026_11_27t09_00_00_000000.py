"""A customer's invoices index carries amount and status.

The customers list sums each customer's invoices by status; with these two columns in the
(customer_id, date, id) index those sums read the index alone, not one table page per invoice.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-27T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "covering customer index"

FORWARDS = [
    "DROP INDEX invoices_customer_date_id_idx",
    "CREATE INDEX invoices_customer_date_id_idx ON invoices (customer_id, date DESC, id DESC)"
    " INCLUDE (amount, status)",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
