"""Back-office writes checked against the schema's rules before they reach the database, so
staff get a message naming the field (the database still refuses whatever slips past, as a
422 with a readable message from edge.py). Validators in Piccolo's sense: they answer errors,
they change nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from uuid import UUID

from fastapi import HTTPException
from piccolo_api.crud.endpoints import PiccoloCRUD
from piccolo_api.crud.validators import Validators
from starlette.requests import Request

from src.domain.customers.tables import Customer
from src.domain.invoices.tables import InvoiceStatus
from src.domain.rules import (
    EMAIL_PATTERN,
    INVOICE_DATE_RULE,
    MAX_INT4,
    MONTH_PATTERN,
    NAME_PATTERN,
    NAME_RULE,
    email_problem,
    invoice_date_ok,
)
from src.domain.sql import fetch_one
from src.domain.users.email import email_key

EMAIL = re.compile(EMAIL_PATTERN)
MONTH = re.compile(MONTH_PATTERN)
NAME = re.compile(NAME_PATTERN)
PAYMENTS_FIXED = "A payment cannot be changed here: give a void reason to void it."


class Problems:
    """Field errors, sent as a 422 with pydantic-style `detail` items: the admin shows each as
    "<field> field - <message>" beside the form."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"loc": ["body", field], "msg": message, "type": "value_error"})

    def raise_any(self) -> None:
        if self.items:
            raise HTTPException(status_code=422, detail=self.items)


async def request_body(request: Request) -> dict[str, Any]:
    """The parsed JSON body (Starlette caches it: the write handler sees the same dict)."""
    data = await request.json()
    return data if isinstance(data, dict) else {}


def row_id(request: Request) -> UUID | None:
    try:
        return UUID(str(request.path_params.get("row_id", "")))
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _date_ok(value: Any) -> bool:
    try:
        return invoice_date_ok(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return False


def _present(data: dict[str, Any], field: str, creating: bool) -> bool:
    """Check a field when it is sent, and on create also when it is missing."""
    return field in data or creating


# The unique index on each table's `email_key` is the rule; this only makes it a message.
_SAME_EMAIL = {
    "users": "SELECT 1 AS taken FROM users WHERE email_key = {}",
    "customers": "SELECT 1 AS taken FROM customers WHERE email_key = {}",
}


async def _email_taken(table: str, email: str, row: UUID | None) -> bool:
    sql, key = _SAME_EMAIL[table], email_key(email)
    if row is None:
        return await fetch_one(sql, key) is not None
    return await fetch_one(sql + " AND id <> {}", key, row) is not None


async def _check_name_email(
    problems: Problems, table: str, data: dict[str, Any], request: Request
) -> None:
    creating = request.method == "POST"
    if _present(data, "name", creating):
        name = data.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 255 or not NAME.fullmatch(name):
            problems.add("name", f"Enter a name of 1 to 255 characters, {NAME_RULE}.")
    if _present(data, "email", creating):
        email = data.get("email")
        if not isinstance(email, str) or len(email) > 255 or not EMAIL.fullmatch(email):
            problems.add("email", "Enter a valid email address.")
        elif problem := email_problem(email):
            problems.add("email", problem)
        elif await _email_taken(table, email, None if creating else row_id(request)):
            problems.add(
                "email",
                f"{email} is already used (emails are compared ignoring case and look-alike"
                " forms).",
            )


async def check_invoice(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    data, creating, problems = await request_body(request), request.method == "POST", Problems()
    if _present(data, "amount", creating):
        amount = _int(data.get("amount"))
        if amount is None or not 0 < amount <= MAX_INT4:
            problems.add(
                "amount", "Enter the amount in cents, a whole number greater than 0 (100 = $1.00)."
            )
    if _present(data, "status", creating) and data.get("status") not in set(InvoiceStatus):
        problems.add("status", "Choose pending or paid.")
    if "date" in data and not _date_ok(data["date"]):
        problems.add("date", INVOICE_DATE_RULE)
    if _present(data, "customer_id", creating):
        try:
            customer = UUID(str(data.get("customer_id")))
        except ValueError:
            problems.add("customer_id", "Choose a customer.")
        else:
            if not await Customer.exists().where(Customer.id == customer):
                problems.add("customer_id", "That customer does not exist.")
    problems.raise_any()


async def check_customer(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    problems = Problems()
    await _check_name_email(problems, "customers", await request_body(request), request)
    problems.raise_any()


async def check_user(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    data, problems = await request_body(request), Problems()
    await _check_name_email(problems, "users", data, request)
    password = data.get("password")
    if request.method == "POST" and (not isinstance(password, str) or len(password) < 6):
        problems.add("password", "Enter a password of at least 6 characters.")
    problems.raise_any()


async def check_revenue(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    data, creating, problems = await request_body(request), request.method == "POST", Problems()
    if _present(data, "month", creating) and not MONTH.fullmatch(str(data.get("month", ""))):
        problems.add("month", "Enter the month as YYYY-MM, for example 2023-07.")
    if _present(data, "revenue", creating):
        revenue = _int(data.get("revenue"))
        if revenue is None or not 0 <= revenue <= MAX_INT4:
            problems.add("revenue", "Enter whole dollars, 0 or more.")
    problems.raise_any()


# --- payments: visible, voidable with a reason, never created, edited or deleted here ---


async def check_payment(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    problems = Problems()
    if request.method != "PATCH":
        problems.add("void_reason", "Payments are recorded on the invoice page; void them here.")
        problems.raise_any()
    reason = (await request_body(request)).get("void_reason")
    current = await fetch_one("SELECT voided_at FROM payments WHERE id = {}", row_id(request))
    if current is not None and current["voided_at"] is not None:
        problems.add("void_reason", "This payment is already void.")
    elif not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 500:
        problems.add("void_reason", PAYMENTS_FIXED)
    problems.raise_any()


async def refuse_payment_delete(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    raise HTTPException(status_code=405, detail="Payments are never deleted; void them instead.")


def on_writes(*checks: Any) -> Validators:
    return Validators(post_single=[*checks], patch_single=[*checks], put_single=[*checks])


async def refuse_write(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    raise HTTPException(status_code=405, detail="The audit trail is read-only.")


# The database refuses changes to recorded entries too; this keeps the admin from forging new ones.
READ_ONLY = Validators(
    post_single=[refuse_write],
    put_single=[refuse_write],
    patch_single=[refuse_write],
    delete_single=[refuse_write],
    delete_all=[refuse_write],
)
