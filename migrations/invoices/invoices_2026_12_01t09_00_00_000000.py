"""Due dates stay within the invoice date range, 1970-01-01..2099-12-31.

The API caps a default due date at the range's last day, but the database's own defaults did
not: an invoice imported or added in the back office late in December 2099 without a due date
was due in 2100, and its edit form then failed on the due date it had been given. Both triggers
now cap the same way, rows already past the range move to its last day, and a CHECK holds it.
(Never before the date itself: a date outside the range is the date CHECK's to refuse.)
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-12-01T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "due dates capped at 2099-12-31"

LAST_DAY = "DATE '2099-12-31'"

FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION invoices_fill_new() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.number IS NULL THEN
            -- The row lock on the counter is held until this transaction ends: numbers are
            -- handed out one transaction at a time, and a rolled-back insert gives its back.
            UPDATE invoice_numbers SET last_number = last_number + 1 WHERE id
            RETURNING last_number INTO NEW.number;
        END IF;
        IF NEW.due_date IS NULL THEN
            NEW.due_date := GREATEST(NEW.date, LEAST(NEW.date + 30, {LAST_DAY}));
        END IF;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION invoices_keep_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- A new date without a new due date keeps the payment terms (whoever writes), up to the
        -- last day of the range.
        NEW.due_date := GREATEST(NEW.date, LEAST(OLD.due_date + (NEW.date - OLD.date), {LAST_DAY}));
        RETURN NEW;
    END $$
    """,
    f"UPDATE invoices SET due_date = {LAST_DAY} WHERE due_date > {LAST_DAY}",
    f"ALTER TABLE invoices ADD CONSTRAINT invoices_due_date_range CHECK (due_date <= {LAST_DAY})",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
