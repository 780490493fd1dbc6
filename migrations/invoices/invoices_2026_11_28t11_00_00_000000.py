"""Invoice dates live between 1970-01-01 and 2099-12-31, and the date search reads a calendar.

A date outside that range is a typing mistake (year 20225, 0001-01-01), and it broke the date
search for everyone. The migration refuses to run while any invoice is dated outside the range,
naming the first rows and their count: dates are money records, so it never changes them. Fix
those rows (the back office, or an UPDATE), then run the migrations again.

`search_days` holds every day of the range once (47,482 rows) with the text a search can match
(`key`, lower case), indexed by trigrams: a date-text search finds its days there, whatever
dates the invoices have, and reads those days' invoices from the (date, id) index.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoice date range and the search calendar"

FORWARDS = [
    """
    DO $$
    DECLARE
        outside bigint;
        listed text;
    BEGIN
        SELECT count(*) INTO outside FROM invoices
         WHERE date NOT BETWEEN '1970-01-01' AND '2099-12-31';
        IF outside > 0 THEN
            SELECT string_agg(format('%s dated %s', id, date), ', ' ORDER BY date, id)
              INTO listed
              FROM (SELECT id, date FROM invoices
                     WHERE date NOT BETWEEN '1970-01-01' AND '2099-12-31'
                     ORDER BY date, id LIMIT 20) b;
            RAISE EXCEPTION
                '% invoice(s) dated outside 1970-01-01..2099-12-31, first ones: %', outside, listed
                USING HINT = 'Nothing was changed. Correct these dates, then migrate again.';
        END IF;
    END $$
    """,
    "ALTER TABLE invoices ADD CONSTRAINT invoices_date_range"
    " CHECK (date BETWEEN '1970-01-01' AND '2099-12-31')",
    "CREATE TABLE search_days (day date PRIMARY KEY, key text NOT NULL)",
    """
    INSERT INTO search_days (day, key)
    SELECT d::date, to_char(d, 'YYYY-MM-DD')
      FROM generate_series('1970-01-01'::date, '2099-12-31'::date, interval '1 day') d
    """,
    "CREATE INDEX search_days_key_trgm_idx ON search_days USING gin (key gin_trgm_ops)",
    "ANALYZE search_days",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
