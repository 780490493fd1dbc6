"""Invoice numbers for many rows at once without a long chain of counter updates.

The first numbering trigger updated the one counter row for every inserted invoice. Inside one
transaction every update of a row makes a new version that the next one must walk to, so a
statement inserting N invoices (an import, a bulk load) cost O(N^2): 150,000 rows took minutes.

Now the first new invoice of a transaction locks the counter row (FOR UPDATE, held until the
transaction ends, so numbers stay gapless and in commit order), each row takes the next number
from a transaction-local setting, and the counter row is written once per statement. A savepoint
that rolls back undoes its setting and its counter write together, so a failed insert still
gives its numbers back.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T17:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoice numbers: one counter write per statement"

STATEMENTS = [
    """
    CREATE OR REPLACE FUNCTION invoices_fill_new() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        next bigint;
    BEGIN
        IF NEW.number IS NULL THEN
            next := nullif(current_setting('app.invoice_number', true), '')::bigint;
            IF next IS NULL THEN
                SELECT last_number INTO next FROM invoice_numbers WHERE id FOR UPDATE;
            END IF;
            next := next + 1;
            PERFORM set_config('app.invoice_number', next::text, true);
            NEW.number := next;
        END IF;
        IF NEW.due_date IS NULL THEN
            NEW.due_date := NEW.date + 30;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE FUNCTION invoices_numbers_taken() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        taken bigint := nullif(current_setting('app.invoice_number', true), '')::bigint;
    BEGIN
        IF taken IS NOT NULL THEN
            UPDATE invoice_numbers SET last_number = taken WHERE id AND last_number < taken;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER invoices_numbers_taken AFTER INSERT ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_numbers_taken()
    """,
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, STATEMENTS)
