from enum import StrEnum

from piccolo.columns import UUID, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from src.domain.invoices.tables import Invoice


class PaymentMethod(StrEnum):
    bank_transfer = "bank_transfer"
    card = "card"
    cash = "cash"
    check = "check"
    other = "other"


class Payment(Table, tablename="payments"):
    """Never deleted by the application, only voided; the invoice's amount_paid is the sum of
    its live payments (a trigger keeps it, whoever writes)."""

    id = UUID(primary_key=True)
    invoice_id = ForeignKey(Invoice, on_delete=OnDelete.cascade, null=False)
    amount = Integer(
        default=None, null=False, required=True, help_text="Amount in cents, greater than 0."
    )
    date = Date()
    method = Varchar(length=13, choices=PaymentMethod, default=PaymentMethod.other)
    note = Text(default="")
    created_at = Timestamptz()
    voided_at = Timestamptz(null=True, default=None, help_text="Set with a reason to void.")
    void_reason = Text(null=True, default=None)
