"""The CSV columns of each kind of row, in one place: export writes them, import reads them.

A column is its header and the SQL expression that exports it. Money is dollars with two
decimals and a plain `.`; text typed by people is neutralised for spreadsheets (see `safe_text`).
An import reads the columns it needs and ignores the derived ones (number, due date,
balance): the receiving database gives each new invoice its own number and terms. `paid` is read
back as the invoice's payment (see paid.py), so a partly paid invoice stays partly paid.
"""

from __future__ import annotations

from dataclasses import dataclass

# A cell beginning with one of these is run as a formula by spreadsheet programs (OWASP "CSV
# Injection"): such cells get a leading apostrophe, which spreadsheets show as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


@dataclass(frozen=True)
class Column:
    header: str
    sql: str  # an expression over `i` (invoices) and `c` (customers); no braces, no user text


def dollars(cents_sql: str) -> str:
    """Integer cents as dollars with two decimals: 15795 -> 157.95, 500 -> 5.00."""
    return f"(({cents_sql})::numeric / 100)::numeric(14, 2)::text"


def safe_text(sql: str) -> str:
    """Text that a spreadsheet shows as typed, never runs as a formula."""
    starts = ", ".join(
        "E'\\t'" if s == "\t" else "E'\\r'" if s == "\r" else f"'{s}'" for s in FORMULA_STARTS
    )
    return f"CASE WHEN left({sql}, 1) IN ({starts}) THEN '''' || {sql} ELSE {sql} END"


def unguard(cell: str) -> str:
    """The text a neutralised cell stood for (an import reads back what an export wrote)."""
    if cell.startswith(GUARD) and cell[1:2] in FORMULA_STARTS and cell[1:2] != "":
        return cell[1:]
    return cell


INVOICE_COLUMNS: tuple[Column, ...] = (
    Column("number", "'INV-' || lpad(i.number::text, greatest(6, length(i.number::text)), '0')"),
    Column("date", "i.date::text"),
    Column("due_date", "i.due_date::text"),
    Column("customer_name", safe_text("c.name")),
    Column("customer_email", safe_text("c.email")),
    Column("amount", dollars("i.amount")),
    # What its live payments cover, and what is still owed.
    Column("paid", dollars("i.amount_paid")),
    Column("balance", dollars("i.amount - i.amount_paid")),
    Column("status", "i.status"),
)

CUSTOMER_COLUMNS: tuple[Column, ...] = (
    Column("name", safe_text("c.name")),
    Column("email", safe_text("c.email")),
    Column("invoice_count", "t.invoice_count::text"),
    Column("total_pending", dollars("t.total_pending")),
    Column("total_paid", dollars("t.total_paid")),
)


def select_list(columns: tuple[Column, ...]) -> str:
    return ", ".join(f'{c.sql} AS "{c.header}"' for c in columns)
