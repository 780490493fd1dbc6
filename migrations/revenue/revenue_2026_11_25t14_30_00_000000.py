"""Database rules for revenue: a YYYY-MM month key and a non-negative figure."""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-25T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "database rules"

FORWARDS = [
    "ALTER TABLE revenue ADD CONSTRAINT revenue_month_format"
    " CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')",
    "ALTER TABLE revenue ADD CONSTRAINT revenue_nonneg CHECK (revenue >= 0)",
]


forwards = sql_forwards(ID, "revenue", DESCRIPTION, FORWARDS)
