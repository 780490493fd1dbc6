from enum import StrEnum

from piccolo.columns import (
    UUID,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from src.domain.customers.tables import Customer
from src.domain.readonly import kept_by_database


class InvoiceStatus(StrEnum):
    pending = "pending"
    paid = "paid"


class Invoice(Table, tablename="invoices"):
    id = UUID(primary_key=True)
    customer_id = ForeignKey(Customer, on_delete=OnDelete.cascade, null=False, index=True)
    # Cents; CHECK (amount > 0) in the migration, and no default so a missing amount is an error.
    amount = Integer(
        default=None,
        null=False,
        required=True,
        help_text="Amount in cents, greater than 0: 15795 is $157.95.",
    )
    status = Varchar(length=7, choices=InvoiceStatus, default=InvoiceStatus.pending)
    date = Date()
    # Added by migration 2026-11-28T15 (SQL only). Given by a trigger from a gapless counter on
    # insert, never changed: shown as INV-000042. Read-only.
    number = BigInt(null=True, default=None, help_text="Invoice number: 42 is INV-000042.")
    # The date plus the payment terms unless given (a trigger fills 30 days); never before date.
    due_date = Date(null=True, default=None)
    # The sum of the live payments, kept by a trigger; the status follows it. Read-only.
    amount_paid = Integer(default=0, help_text="Cents paid (live payments), kept by the database.")
    created_at = Timestamptz()
    # Also set by a trigger on every UPDATE, whoever writes.
    updated_at = Timestamptz()


class InvoiceSummary(Table, tablename="invoice_summary"):
    """One row of running totals, kept exact by triggers in the same transaction as each write
    (migrations 2026-11-25T14:30 and 2026-11-26T09)."""

    id = Boolean(primary_key=True, default=True)
    invoice_count = BigInt(default=0)
    customer_count = BigInt(default=0)
    paid_cents = BigInt(default=0)
    pending_cents = BigInt(default=0)
    # Added by migration 2026-11-26T09 (SQL only), kept by the same triggers: the exact totals
    # of the status searches ("paid", "pending"). Read-only.
    paid_count = BigInt(default=0)
    pending_count = BigInt(default=0)


kept_by_database(InvoiceSummary, InvoiceSummary.paid_count, InvoiceSummary.pending_count)
kept_by_database(Invoice, Invoice.number, Invoice.due_date, Invoice.amount_paid)


class SearchDay(Table, tablename="search_days"):
    """The calendar the date search reads: every day an invoice may have (1970-01-01 to
    2099-12-31, the CHECK on invoices.date) once, with `key`, the lower-case text a search
    matches, trigram-indexed. Created and filled by migration 2026-11-28T11:00 (SQL) and never
    written afterwards; not among the app's table classes, so Piccolo's autodetection and the
    back office leave it alone."""

    day = Date(primary_key=True)
    key = Text()
