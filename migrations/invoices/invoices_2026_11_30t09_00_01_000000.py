"""Each customer's kept row carries a bound on the date of its newest invoice.

A broad customer search (`lee`: 25,000 of a million customers) read deep into its pages walks the
(date, id) index and tests each row's customer against the matching customers, hashed once. At
10M invoices, reading those 25,000 customers' rows cost more than the walk itself. A walk that
stops within the newest days only meets the customers with an invoice dated on or after its
first day, and `newest` tells them apart: with an index on it, the trigram matches and the
recent customers are intersected as bitmaps, and only the few thousand in both are read
(src/domain/invoices/finder.py, `_walked`).

`newest` is an upper bound, never below the customer's newest invoice date: a trigger raises it
when an invoice is written with a later date (a new invoice, a date moved forward, an invoice
moved to another customer), and nothing lowers it (a deleted or back-dated invoice leaves it
as it was, which only makes the bound looser). NULL: the customer has had no invoice. The trigger
takes the summary row first, as every statement writing invoices does, and fires after the
counts trigger that makes the customer's row (triggers of one event fire in name order).

A bulk load may set `acme.newest_later` to `on` in its own sessions: the trigger then leaves the
bounds to the load, which raises them all in one statement once its rows are in (`make
seed-large`: raising them batch by batch rewrote each customer's row, and its trigram index
entries, about three times, +60 % on the load's time). Other sessions keep the trigger.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-30T09:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "a kept bound on each customer's newest invoice date"

FORWARDS = [
    "ALTER TABLE invoice_customer_counts ADD COLUMN newest date",
    """
    CREATE FUNCTION invoice_customers_newest() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF current_setting('acme.newest_later', true) = 'on' THEN
            RETURN NULL;
        END IF;
        PERFORM 1 FROM invoice_summary WHERE id FOR NO KEY UPDATE;
        UPDATE invoice_customer_counts k SET newest = n.newest
          FROM (SELECT customer_id, max(date) AS newest FROM new_rows
                 GROUP BY customer_id ORDER BY customer_id) n
         WHERE k.customer_id = n.customer_id AND (k.newest IS NULL OR k.newest < n.newest);
        RETURN NULL;
    END $$
    """,
    # The trigger first: it locks out writers until this migration commits, so the fill below
    # cannot miss a write.
    """
    CREATE TRIGGER invoices_counts_insert_newest AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_customers_newest()
    """,
    """
    CREATE TRIGGER invoices_counts_update_newest AFTER UPDATE ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_customers_newest()
    """,
    "UPDATE invoice_customer_counts k SET newest = m.newest"
    " FROM (SELECT customer_id, max(date) AS newest FROM invoices GROUP BY customer_id) m"
    " WHERE k.customer_id = m.customer_id",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
