"""Database rules for invoices, updated_at on every change, and the running totals.

The totals in invoice_summary are kept by statement-level triggers with transition tables,
so a single write and a bulk COPY both cost one summary update, in the same transaction.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-25T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "database rules"

FORWARDS = [
    "ALTER TABLE invoices ADD CONSTRAINT invoices_amount_positive CHECK (amount > 0)",
    "ALTER TABLE invoices ADD CONSTRAINT invoices_status_valid"
    " CHECK (status IN ('pending', 'paid'))",
    "CREATE INDEX invoices_date_id_idx ON invoices (date DESC, id DESC)",
    "CREATE INDEX invoices_status_idx ON invoices (status)",
    """
    CREATE FUNCTION invoices_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoices_updated_at BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_set_updated_at()
    """,
    "ALTER TABLE invoice_summary ADD CONSTRAINT invoice_summary_single_row CHECK (id)",
    """
    INSERT INTO invoice_summary (id, invoice_count, customer_count, paid_cents, pending_cents)
    SELECT true,
           (SELECT count(*) FROM invoices),
           (SELECT count(*) FROM customers),
           (SELECT coalesce(sum(amount), 0) FROM invoices WHERE status = 'paid'),
           (SELECT coalesce(sum(amount), 0) FROM invoices WHERE status = 'pending')
    """,
    """
    CREATE FUNCTION invoice_summary_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        d_count bigint := 0;
        d_paid bigint := 0;
        d_pending bigint := 0;
        o_count bigint;
        o_paid bigint;
        o_pending bigint;
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT count(*),
                   coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
                   coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0)
              INTO d_count, d_paid, d_pending FROM new_rows;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            SELECT count(*),
                   coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
                   coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0)
              INTO o_count, o_paid, o_pending FROM old_rows;
            d_count := d_count - o_count;
            d_paid := d_paid - o_paid;
            d_pending := d_pending - o_pending;
        END IF;
        IF d_count <> 0 OR d_paid <> 0 OR d_pending <> 0 THEN
            UPDATE invoice_summary
               SET invoice_count = invoice_count + d_count,
                   paid_cents = paid_cents + d_paid,
                   pending_cents = pending_cents + d_pending
             WHERE id;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER invoices_summary_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_summary_apply()
    """,
    """
    CREATE TRIGGER invoices_summary_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_summary_apply()
    """,
    """
    CREATE TRIGGER invoices_summary_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_summary_apply()
    """,
    """
    CREATE FUNCTION customer_summary_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        d_count bigint;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            SELECT count(*) INTO d_count FROM new_rows;
        ELSE
            SELECT -count(*) INTO d_count FROM old_rows;
        END IF;
        IF d_count <> 0 THEN
            UPDATE invoice_summary SET customer_count = customer_count + d_count WHERE id;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER customers_summary_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_summary_apply()
    """,
    """
    CREATE TRIGGER customers_summary_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_summary_apply()
    """,
    """
    CREATE FUNCTION summary_recount() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE invoice_summary
           SET invoice_count = (SELECT count(*) FROM invoices),
               customer_count = (SELECT count(*) FROM customers),
               paid_cents = (SELECT coalesce(sum(amount), 0) FROM invoices WHERE status = 'paid'),
               pending_cents =
                   (SELECT coalesce(sum(amount), 0) FROM invoices WHERE status = 'pending')
         WHERE id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER invoices_summary_truncate AFTER TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION summary_recount()
    """,
    """
    CREATE TRIGGER customers_summary_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION summary_recount()
    """,
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
