"""Kept invoice counts per customer and per day, for exact search totals without counting rows.

A search for a customer's name matches every invoice of the matching customers: its total is the
sum of those customers' kept counts, not a count over their invoices (issue 18). A date search
matches every invoice of the matching days: its total is the sum of those days' kept counts, and
the counts also tell which days hold a given page.

`invoice_customer_counts` and `invoice_day_counts` are kept by one statement-level trigger with
transition tables, like `invoice_summary`: a single write and a bulk COPY each cost one upsert
per customer and day touched, in the writer's transaction. The trigger locks the summary row
first, as every invoice writer does, and then takes its rows in key order, so parallel writers
queue behind each other and never deadlock. It runs as the tables' owner (SECURITY DEFINER with
a fixed search_path): a role that may write invoices need not be granted these tables. Rows whose
count reaches zero are kept (a zero adds nothing to a sum). The counts carry no CHECK: an
upsert's proposed row holds the change, which is negative for a delete.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-29T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "kept invoice counts per customer and per day"

_UPSERT = """
        INSERT INTO {table} AS t ({key}, invoice_count)
        SELECT {key}, sum(n) FROM ({rows}) d
         GROUP BY {key} HAVING sum(n) <> 0
         ORDER BY {key}
        ON CONFLICT ({key}) DO UPDATE SET invoice_count = t.invoice_count + excluded.invoice_count;
"""


_KEPT = (("invoice_customer_counts", "customer_id"), ("invoice_day_counts", "date"))


def _upserts(rows: str) -> str:
    return "".join(
        _UPSERT.format(table=table, key=key, rows=rows.format(key=key)) for table, key in _KEPT
    )


_NEW = "SELECT {key}, 1 AS n FROM new_rows"
_OLD = "SELECT {key}, -1 AS n FROM old_rows"

FORWARDS = [
    "CREATE TABLE invoice_customer_counts (customer_id uuid PRIMARY KEY,"
    " invoice_count bigint NOT NULL)",
    "CREATE TABLE invoice_day_counts (date date PRIMARY KEY,"
    " invoice_count bigint NOT NULL)",
    """
    CREATE FUNCTION invoice_counts_apply() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        -- Behind the summary row, like every statement that writes invoices.
        PERFORM 1 FROM invoice_summary WHERE id FOR NO KEY UPDATE;
        IF TG_OP = 'INSERT' THEN
    """
    + _upserts(_NEW)
    + """
        ELSIF TG_OP = 'UPDATE' THEN
    """
    + _upserts(f"{_NEW} UNION ALL {_OLD}")
    + """
        ELSE
    """
    + _upserts(_OLD)
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
        INSERT INTO invoice_customer_counts (customer_id, invoice_count)
        SELECT customer_id, count(*) FROM invoices GROUP BY customer_id;
        DELETE FROM invoice_day_counts;
        INSERT INTO invoice_day_counts (date, invoice_count)
        SELECT date, count(*) FROM invoices GROUP BY date;
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
    "INSERT INTO invoice_customer_counts (customer_id, invoice_count)"
    " SELECT customer_id, count(*) FROM invoices GROUP BY customer_id",
    "INSERT INTO invoice_day_counts (date, invoice_count)"
    " SELECT date, count(*) FROM invoices GROUP BY date",
    "ANALYZE invoice_customer_counts",
    "ANALYZE invoice_day_counts",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
