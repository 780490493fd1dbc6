"""Payments join the audit trail.

On a database that had the audit trail before payments existed, the payments migration attached
them itself; on a fresh one the payments table is created first (the invoices app migrates before
the audit app), so attach it here — once.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "payments in the audit trail"

STATEMENTS = [
    """
    DO $$ BEGIN
        IF to_regclass('payments') IS NOT NULL AND NOT EXISTS (
            SELECT FROM pg_trigger WHERE tgname = 'payments_audit_insert'
        ) THEN
            PERFORM audit_attach('payments');
        END IF;
    END $$
    """,
]


forwards = sql_forwards(ID, "audit", DESCRIPTION, STATEMENTS)
