"""Search indexes for invoices, and per-status counts in the running totals.

Each part of the search box query gets an index (src/domain/invoices/search.py):
- customer matches: invoices by customer id, already in list order (customer_id, date, id);
- cents digits: a trigram index on the amount as text (int -> text is immutable);
- dollar figures: a btree on the amount;
- dates: ranges on the existing (date DESC, id DESC) index.
A status query ("paid", "pending") matches 40-60 % of all invoices: its exact total comes from
paid_count / pending_count, kept by the same statement-level triggers as the other totals.
These two columns are added here in SQL only, like the triggers that maintain them.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-26T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "search indexes and status counts"

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX invoices_customer_date_id_idx ON invoices (customer_id, date DESC, id DESC)",
    "CREATE INDEX invoices_amount_idx ON invoices (amount)",
    "CREATE INDEX invoices_amount_text_trgm_idx ON invoices"
    " USING gin ((amount::text) gin_trgm_ops)",
    "ALTER TABLE invoice_summary ADD COLUMN paid_count bigint NOT NULL DEFAULT 0,"
    " ADD COLUMN pending_count bigint NOT NULL DEFAULT 0",
    """
    UPDATE invoice_summary
       SET paid_count = (SELECT count(*) FROM invoices WHERE status = 'paid'),
           pending_count = (SELECT count(*) FROM invoices WHERE status = 'pending')
     WHERE id
    """,
    """
    CREATE OR REPLACE FUNCTION invoice_summary_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        d_count bigint := 0;
        d_paid bigint := 0;
        d_pending bigint := 0;
        d_paid_n bigint := 0;
        d_pending_n bigint := 0;
        o_count bigint;
        o_paid bigint;
        o_pending bigint;
        o_paid_n bigint;
        o_pending_n bigint;
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT count(*),
                   coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
                   coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0),
                   count(*) FILTER (WHERE status = 'paid'),
                   count(*) FILTER (WHERE status = 'pending')
              INTO d_count, d_paid, d_pending, d_paid_n, d_pending_n FROM new_rows;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            SELECT count(*),
                   coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
                   coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0),
                   count(*) FILTER (WHERE status = 'paid'),
                   count(*) FILTER (WHERE status = 'pending')
              INTO o_count, o_paid, o_pending, o_paid_n, o_pending_n FROM old_rows;
            d_count := d_count - o_count;
            d_paid := d_paid - o_paid;
            d_pending := d_pending - o_pending;
            d_paid_n := d_paid_n - o_paid_n;
            d_pending_n := d_pending_n - o_pending_n;
        END IF;
        IF d_count <> 0 OR d_paid <> 0 OR d_pending <> 0 OR d_paid_n <> 0 OR d_pending_n <> 0
        THEN
            UPDATE invoice_summary
               SET invoice_count = invoice_count + d_count,
                   paid_cents = paid_cents + d_paid,
                   pending_cents = pending_cents + d_pending,
                   paid_count = paid_count + d_paid_n,
                   pending_count = pending_count + d_pending_n
             WHERE id;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION summary_recount() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE invoice_summary
           SET invoice_count = (SELECT count(*) FROM invoices),
               customer_count = (SELECT count(*) FROM customers),
               paid_cents = (SELECT coalesce(sum(amount), 0) FROM invoices WHERE status = 'paid'),
               pending_cents =
                   (SELECT coalesce(sum(amount), 0) FROM invoices WHERE status = 'pending'),
               paid_count = (SELECT count(*) FROM invoices WHERE status = 'paid'),
               pending_count = (SELECT count(*) FROM invoices WHERE status = 'pending')
         WHERE id;
        RETURN NULL;
    END $$
    """,
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
