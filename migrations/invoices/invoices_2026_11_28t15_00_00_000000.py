"""The invoice lifecycle: numbers, due dates, payments, and the totals that follow the money.

- `number`: gapless, from one counter row that each insert locks and bumps in its own
  transaction (a failed insert rolls the bump back; a deleted invoice's number is kept in
  `deleted_invoice_numbers`, so every number ever given is accounted for).
- `due_date`: never before the date; an insert without one is due 30 days after its date, and
  a new date without a new due date keeps the terms.
- `payments`: never deleted by the application, only voided. `amount_paid` on the invoice is
  the sum of its live payments, kept by a trigger; `CHECK (amount_paid <= amount)` makes an
  overpayment impossible whoever writes.
- The status follows the money: a change of the paid sum decides it. A writer that sets the
  status itself (the back office, a plain INSERT of a paid invoice) gets a payment of the
  balance (dated the invoice's date on insert, today on update), or the payments voided
  ("reverted to pending").
- Running totals: Collected = SUM(amount_paid), Pending = SUM(amount - amount_paid); unpaid
  money per due date in `invoice_open_due`, so the overview's overdue figures and aging read
  a few thousand rows, not every unpaid invoice.

Existing invoices are numbered in (date, created_at) order, are due 30 days after their date,
and each paid one gets one payment of its amount on its date.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoice numbers, due dates and payments"

_OPEN_DUE_UPSERT = """
        INSERT INTO invoice_open_due AS t (due_date, open_count, balance_cents)
        SELECT due_date, sum(n), sum(b) FROM ({rows}) d
         GROUP BY due_date HAVING sum(n) <> 0 OR sum(b) <> 0
         ORDER BY due_date
        ON CONFLICT (due_date) DO UPDATE
           SET open_count = t.open_count + excluded.open_count,
               balance_cents = t.balance_cents + excluded.balance_cents;
"""
_NEW_OPEN = (
    "SELECT due_date, 1 AS n, (amount - amount_paid)::bigint AS b FROM new_rows"
    " WHERE status = 'pending'"
)
_OLD_OPEN = (
    "SELECT due_date, -1 AS n, -(amount - amount_paid)::bigint AS b FROM old_rows"
    " WHERE status = 'pending'"
)

FORWARDS = [
    # --- numbers, due dates, paid sums -------------------------------------------------------
    "CREATE TABLE invoice_numbers (id boolean PRIMARY KEY DEFAULT true CHECK (id),"
    " last_number bigint NOT NULL CHECK (last_number >= 0))",
    "CREATE TABLE deleted_invoice_numbers (number bigint PRIMARY KEY, invoice_id uuid NOT NULL,"
    " deleted_at timestamptz NOT NULL DEFAULT now())",
    "ALTER TABLE invoices ADD COLUMN number bigint, ADD COLUMN due_date date,"
    " ADD COLUMN amount_paid integer NOT NULL DEFAULT 0",
    # The back-fill is not a user's change: no updated_at, totals or audit rows for it.
    "ALTER TABLE invoices DISABLE TRIGGER USER",
    """
    UPDATE invoices i
       SET number = o.n,
           due_date = i.date + 30,
           amount_paid = CASE WHEN i.status = 'paid' THEN i.amount ELSE 0 END
      FROM (SELECT id, row_number() OVER (ORDER BY date, created_at, id) AS n FROM invoices) o
     WHERE o.id = i.id
    """,
    "ALTER TABLE invoices ENABLE TRIGGER USER",
    "INSERT INTO invoice_numbers (id, last_number)"
    " SELECT true, coalesce(max(number), 0) FROM invoices",
    "ALTER TABLE invoices ALTER COLUMN number SET NOT NULL, ALTER COLUMN due_date SET NOT NULL",
    "ALTER TABLE invoices ADD CONSTRAINT invoices_number_positive CHECK (number > 0),"
    " ADD CONSTRAINT invoices_due_after_date CHECK (due_date >= date),"
    " ADD CONSTRAINT invoices_paid_within_amount"
    " CHECK (amount_paid >= 0 AND amount_paid <= amount)",
    "CREATE UNIQUE INDEX invoices_number_key ON invoices (number)",
    # status=paid|pending|overdue lists walk this in list order; due_date answers "overdue".
    "CREATE INDEX invoices_status_date_id_idx ON invoices (status, date DESC, id DESC)"
    " INCLUDE (due_date)",
    # Customers' Total Paid / Total Pending now sum amount_paid, and a customer search with
    # ?status=overdue tests the due date: keep both index-only.
    "DROP INDEX invoices_customer_date_id_idx",
    "CREATE INDEX invoices_customer_date_id_idx ON invoices (customer_id, date DESC, id DESC)"
    " INCLUDE (amount, status, amount_paid, due_date)",
    """
    CREATE FUNCTION invoices_fill_new() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.number IS NULL THEN
            -- The row lock on the counter is held until this transaction ends: numbers are
            -- handed out one transaction at a time, and a rolled-back insert gives its back.
            UPDATE invoice_numbers SET last_number = last_number + 1 WHERE id
            RETURNING last_number INTO NEW.number;
        END IF;
        IF NEW.due_date IS NULL THEN
            NEW.due_date := NEW.date + 30;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoices_fill_new BEFORE INSERT ON invoices
    FOR EACH ROW WHEN (NEW.number IS NULL OR NEW.due_date IS NULL)
    EXECUTE FUNCTION invoices_fill_new()
    """,
    """
    CREATE FUNCTION invoices_keep_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- A new date without a new due date keeps the payment terms (whoever writes).
        NEW.due_date := OLD.due_date + (NEW.date - OLD.date);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoices_keep_terms BEFORE UPDATE ON invoices
    FOR EACH ROW WHEN (NEW.date IS DISTINCT FROM OLD.date
                       AND NEW.due_date IS NOT DISTINCT FROM OLD.due_date)
    EXECUTE FUNCTION invoices_keep_terms()
    """,
    """
    CREATE FUNCTION invoices_number_retired() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO deleted_invoice_numbers (number, invoice_id)
        SELECT number, id FROM old_rows ON CONFLICT (number) DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER invoices_number_retired AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_number_retired()
    """,
    # --- payments ------------------------------------------------------------------------------
    """
    CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
        amount integer NOT NULL CHECK (amount > 0),
        date date NOT NULL,
        method varchar(13) NOT NULL
            CHECK (method IN ('bank_transfer', 'card', 'cash', 'check', 'other')),
        note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        voided_at timestamptz,
        void_reason text CHECK (char_length(void_reason) BETWEEN 1 AND 500),
        CONSTRAINT payments_void_has_reason CHECK ((voided_at IS NULL) = (void_reason IS NULL))
    )
    """,
    "CREATE INDEX payments_invoice_idx ON payments (invoice_id, date, created_at)",
    """
    INSERT INTO payments (invoice_id, amount, date, method, created_at)
    SELECT id, amount, date, 'other', created_at FROM invoices WHERE status = 'paid'
    """,
    """
    CREATE FUNCTION payments_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        touched uuid[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            touched := ARRAY(SELECT DISTINCT invoice_id FROM new_rows);
        ELSIF TG_OP = 'UPDATE' THEN
            touched := ARRAY(SELECT invoice_id FROM new_rows UNION SELECT invoice_id FROM old_rows);
        ELSE
            touched := ARRAY(SELECT DISTINCT invoice_id FROM old_rows);
        END IF;
        -- amount_paid = the sum of live payments of each invoice this statement touched; the
        -- invoice's own trigger then sets the status from it.
        UPDATE invoices i SET amount_paid = s.paid
          FROM (SELECT t.id, coalesce((SELECT sum(p.amount) FROM payments p
                                        WHERE p.invoice_id = t.id AND p.voided_at IS NULL),
                                       0) AS paid
                  FROM unnest(touched) AS t (id)) s
         WHERE i.id = s.id AND i.amount_paid <> s.paid;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER payments_apply_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payments_apply()
    """,
    """
    CREATE TRIGGER payments_apply_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payments_apply()
    """,
    """
    CREATE TRIGGER payments_apply_delete AFTER DELETE ON payments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payments_apply()
    """,
    """
    CREATE FUNCTION invoices_status_from_money() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- A change of the paid sum decides the status; so does a change of the amount unless
        -- the writer also set the status (then invoices_settle brings the money in line).
        IF NEW.amount_paid IS DISTINCT FROM OLD.amount_paid OR NEW.status = OLD.status THEN
            NEW.status := CASE WHEN NEW.amount_paid >= NEW.amount THEN 'paid' ELSE 'pending' END;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER invoices_status_from_money BEFORE UPDATE ON invoices
    FOR EACH ROW WHEN (OLD.amount IS DISTINCT FROM NEW.amount
                       OR OLD.amount_paid IS DISTINCT FROM NEW.amount_paid
                       OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION invoices_status_from_money()
    """,
    """
    CREATE FUNCTION invoices_settle() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.status = 'paid' THEN
            INSERT INTO payments (invoice_id, amount, date, method)
            VALUES (NEW.id, NEW.amount - NEW.amount_paid,
                    CASE WHEN TG_OP = 'INSERT' THEN NEW.date ELSE greatest(current_date, NEW.date)
                    END,
                    'other');
        ELSE
            UPDATE payments SET voided_at = now(), void_reason = 'reverted to pending'
             WHERE invoice_id = NEW.id AND voided_at IS NULL;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER invoices_settle AFTER INSERT OR UPDATE ON invoices
    FOR EACH ROW WHEN ((NEW.status = 'paid') <> (NEW.amount_paid >= NEW.amount))
    EXECUTE FUNCTION invoices_settle()
    """,
    # --- totals ----------------------------------------------------------------------------------
    "CREATE TABLE invoice_open_due (due_date date PRIMARY KEY,"
    " open_count bigint NOT NULL DEFAULT 0, balance_cents bigint NOT NULL DEFAULT 0)",
    """
    INSERT INTO invoice_open_due (due_date, open_count, balance_cents)
    SELECT due_date, count(*), sum(amount - amount_paid) FROM invoices
     WHERE status = 'pending' GROUP BY due_date
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
        n_rows bigint := 0;
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT count(*), coalesce(sum(amount_paid), 0), coalesce(sum(amount - amount_paid), 0),
                   count(*) FILTER (WHERE status = 'paid'),
                   count(*) FILTER (WHERE status = 'pending')
              INTO d_count, d_paid, d_pending, d_paid_n, d_pending_n FROM new_rows;
            n_rows := d_count;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            SELECT count(*), coalesce(sum(amount_paid), 0), coalesce(sum(amount - amount_paid), 0),
                   count(*) FILTER (WHERE status = 'paid'),
                   count(*) FILTER (WHERE status = 'pending')
              INTO o_count, o_paid, o_pending, o_paid_n, o_pending_n FROM old_rows;
            n_rows := n_rows + o_count;
            d_count := d_count - o_count;
            d_paid := d_paid - o_paid;
            d_pending := d_pending - o_pending;
            d_paid_n := d_paid_n - o_paid_n;
            d_pending_n := d_pending_n - o_pending_n;
        END IF;
        IF n_rows = 0 THEN
            RETURN NULL;
        END IF;
        -- The summary row is locked first by every statement that writes invoices, so the
        -- per-due-date rows below are only ever taken behind it (no lock-order deadlock).
        IF d_count <> 0 OR d_paid <> 0 OR d_pending <> 0 OR d_paid_n <> 0 OR d_pending_n <> 0
        THEN
            UPDATE invoice_summary
               SET invoice_count = invoice_count + d_count,
                   paid_cents = paid_cents + d_paid,
                   pending_cents = pending_cents + d_pending,
                   paid_count = paid_count + d_paid_n,
                   pending_count = pending_count + d_pending_n
             WHERE id;
        ELSE
            PERFORM 1 FROM invoice_summary WHERE id FOR NO KEY UPDATE;
        END IF;
        IF TG_OP = 'INSERT' THEN
    """
    + _OPEN_DUE_UPSERT.format(rows=_NEW_OPEN)
    + """
        ELSIF TG_OP = 'UPDATE' THEN
    """
    + _OPEN_DUE_UPSERT.format(rows=f"{_NEW_OPEN} UNION ALL {_OLD_OPEN}")
    + """
        ELSE
    """
    + _OPEN_DUE_UPSERT.format(rows=_OLD_OPEN)
    + """
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
               paid_cents = (SELECT coalesce(sum(amount_paid), 0) FROM invoices),
               pending_cents = (SELECT coalesce(sum(amount - amount_paid), 0) FROM invoices),
               paid_count = (SELECT count(*) FROM invoices WHERE status = 'paid'),
               pending_count = (SELECT count(*) FROM invoices WHERE status = 'pending')
         WHERE id;
        DELETE FROM invoice_open_due;
        INSERT INTO invoice_open_due (due_date, open_count, balance_cents)
        SELECT due_date, count(*), sum(amount - amount_paid) FROM invoices
         WHERE status = 'pending' GROUP BY due_date;
        RETURN NULL;
    END $$
    """,
    # Collected / Pending in the new sense (equal to the old for consistent data).
    """
    UPDATE invoice_summary
       SET paid_cents = (SELECT coalesce(sum(amount_paid), 0) FROM invoices),
           pending_cents = (SELECT coalesce(sum(amount - amount_paid), 0) FROM invoices)
     WHERE id
    """,
    # The audit trail (when its migration has run) records payments like every other table.
    """
    DO $$ BEGIN
        IF to_regproc('audit_attach') IS NOT NULL THEN
            PERFORM audit_attach('payments');
        END IF;
    END $$
    """,
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
