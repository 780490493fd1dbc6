"""Kept invoice counts per customer, day and amount, and a kept sample, for search totals.

A search for a customer's name matches every invoice of the matching customers: its total is the
sum of those customers' kept counts, not a count over their invoices (issue 18). The counts carry
the customer's `search_key` with its own trigram index, so the sum is one scan of this narrow
table; a row trigger on customers keeps the key when a name or email changes. Each row also holds
the due dates of the customer's unpaid invoices, so a customer search within a status filter
(`lee`, overdue) counts from these rows too. A date search
matches every invoice of the matching days: its total is the sum of those days' kept counts, and
the counts also tell which days hold a given page. A search for cents digits (`157`) matches
the invoices of the matching amounts: the sum of their kept counts (at most 500,000 amounts
whatever the number of invoices).

`invoice_customer_counts`, `invoice_day_counts` and `invoice_amount_counts` are kept by one
statement-level trigger with transition tables, like `invoice_summary`: a single write and a bulk
COPY each cost one upsert per customer, day and amount touched, in the writer's transaction. The
trigger locks the summary row first, as every invoice writer does, and then takes its rows in key
order, so parallel writers queue behind each other and never deadlock. It runs as the tables' owner
(SECURITY DEFINER with a fixed search_path): a role that may write invoices need not be granted
these tables. Rows whose count reaches zero are kept (a zero adds nothing to a sum). The counts
carry no CHECK: an upsert's proposed row holds the change, which is negative for a delete.

`invoice_sample` holds every 500th invoice by number (numbers are gapless and given in creation
order, so it spreads evenly over the data: 2,000 rows at a million invoices) with what a search
tests: its customer's search key, its day's calendar key, amount and status. A broad search (tens
of thousands of matches) tests these rows instead of counting its matches, and scales the result
(src/domain/invoices/totals.py states the error). The same triggers keep it, and the customer
trigger keeps its search keys.

`invoice_open_due_months` holds the unpaid money and invoices per month of due date, the same
rows as `invoice_open_due` per day: what is overdue today (the overview's cards and aging, the
`status=overdue` total) is the months before this one plus this month's days, a few hundred rows
whatever the span of due dates, instead of every due date before today.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-29T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "kept invoice counts, unpaid money per due month, and a sample of invoices"

_KEYED_UPSERT = """
        INSERT INTO {table} AS t ({key}, invoice_count)
        SELECT {key}, sum(n) FROM ({rows}) d
         GROUP BY {key} HAVING sum(n) <> 0
         ORDER BY {key}
        ON CONFLICT ({key}) DO UPDATE SET invoice_count = t.invoice_count + excluded.invoice_count;
"""
# Customers: the count and the unpaid invoices' due dates (sorted). An insert merges its rows'
# dates into the kept ones; an update or a delete reads again the dates of the customers whose
# unpaid rows it changed (from the covering (customer_id, ...) index). A row made here gets its
# search key afterwards, so the keys are read only for customers new to the table.
_CUSTOMERS_INSERTED = """
        INSERT INTO invoice_customer_counts AS t (customer_id, invoice_count, pending_due)
        SELECT customer_id, count(*), coalesce(array_agg(due_date ORDER BY due_date)
                                                 FILTER (WHERE status = 'pending'), '{}')
          FROM new_rows GROUP BY customer_id ORDER BY customer_id
        ON CONFLICT (customer_id) DO UPDATE
           SET invoice_count = t.invoice_count + excluded.invoice_count,
               pending_due = CASE WHEN cardinality(excluded.pending_due) = 0 THEN t.pending_due
                             ELSE ARRAY(SELECT d FROM unnest(t.pending_due || excluded.pending_due)
                                         AS d ORDER BY d) END;
"""
_CUSTOMERS_CHANGED = """
        INSERT INTO invoice_customer_counts AS t (customer_id, invoice_count)
        SELECT customer_id, sum(n) FROM ({rows}) r
         GROUP BY customer_id HAVING sum(n) <> 0
         ORDER BY customer_id
        ON CONFLICT (customer_id) DO UPDATE
           SET invoice_count = t.invoice_count + excluded.invoice_count;
        UPDATE invoice_customer_counts k
           SET pending_due = coalesce((SELECT array_agg(i.due_date ORDER BY i.due_date)
                                         FROM invoices i
                                        WHERE i.customer_id = k.customer_id
                                          AND i.status = 'pending'), '{{}}')
         WHERE k.customer_id IN ({unpaid});
"""
_UNPAID_UPDATED = """
        SELECT x.customer_id FROM new_rows n JOIN old_rows o ON o.id = n.id,
               LATERAL (VALUES (n.customer_id), (o.customer_id)) AS x (customer_id)
         WHERE (n.status = 'pending' OR o.status = 'pending')
           AND (n.customer_id, n.status, n.due_date)
               IS DISTINCT FROM (o.customer_id, o.status, o.due_date)"""
_UNPAID_DELETED = "SELECT customer_id FROM old_rows WHERE status = 'pending'"
# A customer deleted with its invoices is gone when its rows' counts go down: its key is ''.
_CUSTOMER_KEYS = """
        UPDATE invoice_customer_counts k
           SET search_key = coalesce((SELECT c.search_key FROM customers c
                                       WHERE c.id = k.customer_id), '')
         WHERE k.search_key IS NULL;
"""


def _upserts(rows: str, customers: str) -> str:
    return (
        customers
        + _CUSTOMER_KEYS
        + _KEYED_UPSERT.format(table="invoice_day_counts", key="date", rows=rows.format(key="date"))
        + _KEYED_UPSERT.format(
            table="invoice_amount_counts", key="amount", rows=rows.format(key="amount")
        )
    )


# The sample: every SAMPLE_EVERY-th invoice number, with what a search tests in it.
SAMPLE_EVERY = 500
_SAMPLE_OUT = f"""
        DELETE FROM invoice_sample s USING old_rows o
         WHERE s.invoice_id = o.id AND o.number % {SAMPLE_EVERY} = 0;
"""
# The row as it is now, not as the statement left it: a statement nested in this one (a paid
# invoice's payment updating it from the payments trigger) fires its own trigger first, so the
# row may be in the sample already, and the outer statement's transition rows may be older.
_SAMPLE_IN = f"""
        INSERT INTO invoice_sample (invoice_id, customer_id, search_key, day_key, amount, status)
        SELECT i.id, i.customer_id, coalesce(c.search_key, ''), coalesce(d.key, ''), i.amount,
               i.status
          FROM new_rows n JOIN invoices i ON i.id = n.id
          LEFT JOIN customers c ON c.id = i.customer_id
          LEFT JOIN search_days d ON d.day = i.date
         WHERE n.number % {SAMPLE_EVERY} = 0
         ORDER BY i.id
        ON CONFLICT (invoice_id) DO UPDATE
           SET customer_id = excluded.customer_id, search_key = excluded.search_key,
               day_key = excluded.day_key, amount = excluded.amount, status = excluded.status;
"""
_SAMPLE_ALL = f"""
        INSERT INTO invoice_sample (invoice_id, customer_id, search_key, day_key, amount, status)
        SELECT i.id, i.customer_id, c.search_key, d.key, i.amount, i.status
          FROM invoices i JOIN customers c ON c.id = i.customer_id
          JOIN search_days d ON d.day = i.date
         WHERE i.number % {SAMPLE_EVERY} = 0;
"""

# Unpaid money per month of due date, beside invoice_open_due's per day (the same rows): the
# money overdue today is the months before this one plus this month's days before today.
_MONTHS_UPSERT = """
        INSERT INTO invoice_open_due_months AS t (month, open_count, balance_cents)
        SELECT date_trunc('month', due_date)::date, sum(n), sum(b) FROM ({rows}) d
         GROUP BY 1 HAVING sum(n) <> 0 OR sum(b) <> 0
         ORDER BY 1
        ON CONFLICT (month) DO UPDATE
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
_MONTHS_ALL = """
        INSERT INTO invoice_open_due_months (month, open_count, balance_cents)
        SELECT date_trunc('month', due_date)::date, sum(open_count), sum(balance_cents)
          FROM invoice_open_due GROUP BY 1 ORDER BY 1;
"""

_NEW = "SELECT {key}, 1 AS n FROM new_rows"
_OLD = "SELECT {key}, -1 AS n FROM old_rows"

FORWARDS = [
    "CREATE TABLE invoice_customer_counts (customer_id uuid PRIMARY KEY, search_key text,"
    " invoice_count bigint NOT NULL, pending_due date[] NOT NULL DEFAULT '{}')",
    # The rows whose search key is still to be filled (only within the statement making them).
    "CREATE INDEX invoice_customer_counts_unkeyed_idx ON invoice_customer_counts (customer_id)"
    " WHERE search_key IS NULL",
    "CREATE TABLE invoice_day_counts (date date PRIMARY KEY, invoice_count bigint NOT NULL)",
    "CREATE TABLE invoice_open_due_months (month date PRIMARY KEY,"
    " open_count bigint NOT NULL, balance_cents bigint NOT NULL)",
    "CREATE TABLE invoice_amount_counts (amount integer PRIMARY KEY,"
    " invoice_count bigint NOT NULL)",
    "CREATE TABLE invoice_sample (invoice_id uuid PRIMARY KEY, customer_id uuid NOT NULL,"
    " search_key text NOT NULL, day_key text NOT NULL, amount integer NOT NULL,"
    " status varchar(7) NOT NULL)",
    "CREATE INDEX invoice_sample_customer_idx ON invoice_sample (customer_id)",
    """
    CREATE FUNCTION invoice_counts_apply() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        -- Behind the summary row, like every statement that writes invoices.
        PERFORM 1 FROM invoice_summary WHERE id FOR NO KEY UPDATE;
        IF TG_OP = 'INSERT' THEN
    """
    + _upserts(_NEW, _CUSTOMERS_INSERTED)
    + _MONTHS_UPSERT.format(rows=_NEW_OPEN)
    + _SAMPLE_IN
    + """
        ELSIF TG_OP = 'UPDATE' THEN
    """
    + _upserts(
        f"{_NEW} UNION ALL {_OLD}",
        _CUSTOMERS_CHANGED.format(
            rows=f"{_NEW} UNION ALL {_OLD}".format(key="customer_id"), unpaid=_UNPAID_UPDATED
        ),
    )
    + _MONTHS_UPSERT.format(rows=f"{_NEW_OPEN} UNION ALL {_OLD_OPEN}")
    + _SAMPLE_OUT
    + _SAMPLE_IN
    + """
        ELSE
    """
    + _upserts(
        _OLD,
        _CUSTOMERS_CHANGED.format(rows=_OLD.format(key="customer_id"), unpaid=_UNPAID_DELETED),
    )
    + _MONTHS_UPSERT.format(rows=_OLD_OPEN)
    + _SAMPLE_OUT
    + """
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION invoice_counts_recount() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        DELETE FROM invoice_customer_counts;
        INSERT INTO invoice_customer_counts (customer_id, search_key, invoice_count, pending_due)
        SELECT i.customer_id, c.search_key, count(*),
               coalesce(array_agg(i.due_date ORDER BY i.due_date)
                          FILTER (WHERE i.status = 'pending'), '{}')
          FROM invoices i JOIN customers c ON c.id = i.customer_id
         GROUP BY i.customer_id, c.search_key;
        DELETE FROM invoice_day_counts;
        INSERT INTO invoice_day_counts (date, invoice_count)
        SELECT date, count(*) FROM invoices GROUP BY date;
        DELETE FROM invoice_open_due_months;
        INSERT INTO invoice_open_due_months (month, open_count, balance_cents)
        SELECT date_trunc('month', due_date)::date, count(*), sum(amount - amount_paid)
          FROM invoices WHERE status = 'pending' GROUP BY 1;
        DELETE FROM invoice_amount_counts;
        INSERT INTO invoice_amount_counts (amount, invoice_count)
        SELECT amount, count(*) FROM invoices GROUP BY amount ORDER BY amount;
        DELETE FROM invoice_sample;
    """
    + _SAMPLE_ALL
    + """
        RETURN NULL;
    END $$
    """,
    # The triggers first: they lock out writers until this migration commits, so the counts
    # below cannot miss a write.
    """
    CREATE TRIGGER invoices_counts_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_counts_apply()
    """,
    """
    CREATE TRIGGER invoices_counts_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_counts_apply()
    """,
    """
    CREATE TRIGGER invoices_counts_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_counts_apply()
    """,
    """
    CREATE TRIGGER invoices_counts_truncate AFTER TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_counts_recount()
    """,
    """
    CREATE FUNCTION invoice_counts_rekey() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        UPDATE invoice_customer_counts SET search_key = NEW.search_key
         WHERE customer_id = NEW.id;
        UPDATE invoice_sample SET search_key = NEW.search_key WHERE customer_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER customers_counts_rekey AFTER UPDATE ON customers
    FOR EACH ROW WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key)
    EXECUTE FUNCTION invoice_counts_rekey()
    """,
    "INSERT INTO invoice_customer_counts (customer_id, search_key, invoice_count, pending_due)"
    " SELECT i.customer_id, c.search_key, count(*), coalesce(array_agg(i.due_date"
    " ORDER BY i.due_date) FILTER (WHERE i.status = 'pending'), '{}')"
    " FROM invoices i JOIN customers c ON c.id = i.customer_id"
    " GROUP BY i.customer_id, c.search_key",
    "CREATE INDEX invoice_customer_counts_key_trgm_idx ON invoice_customer_counts"
    " USING gin (search_key gin_trgm_ops)",
    "INSERT INTO invoice_day_counts (date, invoice_count)"
    " SELECT date, count(*) FROM invoices GROUP BY date",
    # In amount order: the amounts one digits search matches lie close together.
    "INSERT INTO invoice_amount_counts (amount, invoice_count)"
    " SELECT amount, count(*) FROM invoices GROUP BY amount ORDER BY amount",
    "CREATE INDEX invoice_amount_counts_text_trgm_idx ON invoice_amount_counts"
    " USING gin ((amount::text) gin_trgm_ops)",
    _SAMPLE_ALL,
    _MONTHS_ALL,
    "ANALYZE invoice_sample",
    "ANALYZE invoice_customer_counts",
    "ANALYZE invoice_day_counts",
    "ANALYZE invoice_amount_counts",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
