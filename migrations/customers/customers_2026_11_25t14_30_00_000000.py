"""Database rules for customers: unique emails in any case, valid names, updated_at."""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-25T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "database rules"

FORWARDS = [
    "CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email))",
    "ALTER TABLE customers ADD CONSTRAINT customers_name_length"
    " CHECK (char_length(btrim(name)) BETWEEN 1 AND 255)",
    "ALTER TABLE customers ADD CONSTRAINT customers_email_format"
    r" CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')",
    "CREATE INDEX customers_name_id_idx ON customers (name, id)",
    """
    CREATE FUNCTION customers_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER customers_updated_at BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_set_updated_at()
    """,
]


forwards = sql_forwards(ID, "customers", DESCRIPTION, FORWARDS)
