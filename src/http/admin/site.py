"""The back office: Piccolo Admin over customers, invoices, revenue and dashboard users.

Built once, on the first request to /admin/ (src/http/admin_mount.py: importing Piccolo Admin
with FastAPI and pydantic costs ~0.4 s that no /api request should pay; building it costs
~40 ms, so never per request). Staff log in with Piccolo `BaseUser` accounts
(`python -m src.ops.cli staff`); the admin's session cookie (`id`) and CSRF cookie
(`csrftoken`) mean nothing to /api, and the dashboard's session means nothing here.

What differs from Piccolo Admin's defaults, and why:
- invoices show the customer's name (Customer.get_readable), newest first, amount labelled as
  cents, filters on customer, status, date and amount;
- customers and users are searchable by name and email; users never show the password hash;
- writes are checked against the schema's rules before they reach the database, so staff get
  a message naming the field instead of a raw constraint error (the database still refuses
  whatever slips past, as a 422);
- a dashboard user's password is only ever stored as an argon2id hash (the login's own
  `hash_password`), whether set through the "Set a dashboard password" form or the users table;
- the audit trail is a read-only table (filters: table, actor, date); every write through the
  admin's API runs in one transaction that tells the trail which staff member made it;
- a user's `email_key` (the one normal form every email comparison uses) is set from the
  email on every write, whatever staff send for it;
- a password written through the users table (POST, PATCH or PUT) is hashed; the database
  ends that user's sessions when it changes and refuses anything but an argon2id hash;
- the login limit, Secure cookies, readable database refusals and the `__order` check live at
  the mount point (src/http/admin_edge.py); `production=True` (CSRF origin check against
  ALLOWED_HOSTS) outside development.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import warnings
from typing import Any
from uuid import UUID

from fastapi import HTTPException
from litestar.types import Message, Receive, Send
from piccolo.apps.user.tables import BaseUser
from piccolo_admin.endpoints import FormConfig, TableConfig, create_admin
from piccolo_api.crud.endpoints import OrderBy, PiccoloCRUD
from piccolo_api.crud.hooks import Hook, HookType
from piccolo_api.crud.validators import Validators
from piccolo_api.session_auth.tables import SessionsBase
from pydantic import BaseModel, Field
from starlette.requests import Request

from src.domain.audit.actor import Actor, acting_as
from src.domain.audit.tables import AuditEntry
from src.domain.customers.tables import Customer
from src.domain.invoices.tables import Invoice, InvoiceStatus
from src.domain.payments.tables import Payment
from src.domain.revenue.tables import Revenue
from src.domain.rules import (
    EMAIL_PATTERN,
    INVOICE_DATE_RULE,
    MAX_INT4,
    MONTH_PATTERN,
    invoice_date_ok,
)
from src.domain.sql import atomic, fetch_one
from src.domain.users.email import email_key
from src.domain.users.passwords import hash_password
from src.domain.users.repository import UserRepository, forget_user_sessions
from src.domain.users.tables import User
from src.http.admin_edge import ADMIN_LOGIN_LIMIT, AdminEdge, NoLimit
from src.settings import Settings

__all__ = ["ADMIN_LOGIN_LIMIT", "build_admin", "build_edge"]
EMAIL = re.compile(EMAIL_PATTERN)
MONTH = re.compile(MONTH_PATTERN)


# --- checks that mirror the schema's rules, answered in the shape the admin UI displays ---


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


async def _body(request: Request) -> dict[str, Any]:
    data = await request.json()
    return data if isinstance(data, dict) else {}


def _row_id(request: Request) -> UUID | None:
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


# The unique index of each table is the rule; this only turns it into a readable message.
_SAME_EMAIL = {
    "users": "SELECT 1 AS taken FROM users WHERE email_key = {}",
    "customers": "SELECT 1 AS taken FROM customers WHERE email_key = {}",
}


async def _email_taken(table: str, email: str, row_id: UUID | None) -> bool:
    sql, key = _SAME_EMAIL[table], email_key(email)
    if row_id is None:
        return await fetch_one(sql, key) is not None
    return await fetch_one(sql + " AND id <> {}", key, row_id) is not None


async def _check_name_email(
    problems: Problems, table: str, data: dict[str, Any], request: Request
) -> None:
    creating = request.method == "POST"
    if _present(data, "name", creating):
        name = data.get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
            problems.add("name", "Enter a name of 1 to 255 characters.")
    if _present(data, "email", creating):
        email = data.get("email")
        if not isinstance(email, str) or len(email) > 255 or not EMAIL.fullmatch(email):
            problems.add("email", "Enter a valid email address.")
        elif await _email_taken(table, email, None if creating else _row_id(request)):
            problems.add(
                "email",
                f"{email} is already used (emails are compared ignoring case and look-alike"
                " forms).",
            )


async def check_invoice(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    data, creating, problems = await _body(request), request.method == "POST", Problems()
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
    await _check_name_email(problems, "customers", await _body(request), request)
    problems.raise_any()


async def check_user(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    data, problems = await _body(request), Problems()
    await _check_name_email(problems, "users", data, request)
    password = data.get("password")
    if request.method == "POST" and (not isinstance(password, str) or len(password) < 6):
        problems.add("password", "Enter a password of at least 6 characters.")
    problems.raise_any()


async def prepare_user_put(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    """A PUT runs no hooks in Piccolo: hash its password and set its email key here. The dict
    changed is the one the PUT handler writes (Starlette caches the parsed body); should that
    ever stop being so, the database refuses the plain text instead of storing it."""
    data = await _body(request)
    data.pop("email_key", None)
    if isinstance(data.get("email"), str):
        data["email_key"] = email_key(data["email"])
    password = data.get("password")
    if isinstance(password, str) and password:
        data["password"] = await asyncio.to_thread(hash_password, password)
        row_id = _row_id(request)
        if row_id is not None:
            forget_user_sessions(row_id)
    else:
        data.pop("password", None)  # blank: leave it as it is


async def check_revenue(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    data, creating, problems = await _body(request), request.method == "POST", Problems()
    if _present(data, "month", creating) and not MONTH.fullmatch(str(data.get("month", ""))):
        problems.add("month", "Enter the month as YYYY-MM, for example 2023-07.")
    if _present(data, "revenue", creating):
        revenue = _int(data.get("revenue"))
        if revenue is None or not 0 <= revenue <= MAX_INT4:
            problems.add("revenue", "Enter whole dollars, 0 or more.")
    problems.raise_any()


# --- payments: visible, voidable with a reason, never created, edited or deleted here ---

PAYMENTS_FIXED = "A payment cannot be changed here: give a void reason to void it."


async def check_payment(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    problems = Problems()
    if request.method != "PATCH":
        problems.add("void_reason", "Payments are recorded on the invoice page; void them here.")
        problems.raise_any()
    reason = (await _body(request)).get("void_reason")
    row_id = _row_id(request)
    current = await fetch_one("SELECT voided_at FROM payments WHERE id = {}", row_id)
    if current is not None and current["voided_at"] is not None:
        problems.add("void_reason", "This payment is already void.")
    elif not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 500:
        problems.add("void_reason", PAYMENTS_FIXED)
    problems.raise_any()


async def refuse_payment_delete(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    raise HTTPException(status_code=405, detail="Payments are never deleted; void them instead.")


async def _void_only(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
    """A PATCH of a payment voids it (now, with the reason); nothing else is written. The
    database then lowers the invoice's paid sum and sets its status."""
    reason = next((v for c, v in values.items() if c._meta.name == "void_reason"), "")
    now = await fetch_one("SELECT now() AS at")
    assert now is not None
    return {Payment.void_reason: str(reason).strip(), Payment.voided_at: now["at"]}


def _on_writes(check: Any) -> Validators:
    return Validators(post_single=[check], patch_single=[check], put_single=[check])


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


# --- dashboard users' passwords: argon2id only, never plain text ---


async def _prepare_new_user(row: User) -> User:
    row.password = await asyncio.to_thread(hash_password, row.password)
    row.email_key = email_key(row.email)
    return row


async def _prepare_patched_user(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
    for column in [c for c in values if c._meta.name == "email_key"]:
        values.pop(column)
    for column in list(values):
        name = column._meta.name
        if name == "email" and isinstance(values[column], str):
            values[User.email_key] = email_key(values[column])
        elif name == "password":
            new = values.pop(column)
            # The edit form sends the hidden field blank: that means "leave it as it is".
            if isinstance(new, str) and new:
                values[column] = await asyncio.to_thread(hash_password, new)
                # The database ends the sessions (trigger); this process stops trusting them now.
                forget_user_sessions(UUID(str(row_id)))
    return values


class DashboardPassword(BaseModel):
    email: str = Field(description="The dashboard user's email address.", max_length=255)
    new_password: str = Field(
        description="At least 6 characters. Stored as an argon2id hash.",
        min_length=6,
        max_length=1024,
    )


async def set_dashboard_password(request: Request, data: DashboardPassword) -> str:
    email = await UserRepository().reset_password(data.email, data.new_password)
    if email is None:
        # Shown to staff as the form's error message.
        raise ValueError(f"No dashboard user has the email {data.email.strip()!r}.")
    return f"New password set for {email}; their open sessions were ended."


# --- the admin app ---


def build_admin(settings: Settings) -> Any:
    invoices = TableConfig(
        Invoice,
        visible_columns=[
            Invoice.id,
            Invoice.customer_id,
            Invoice.amount,
            Invoice.status,
            Invoice.date,
            Invoice.updated_at,
        ],
        visible_filters=[Invoice.customer_id, Invoice.status, Invoice.date, Invoice.amount],
        order_by=[OrderBy(Invoice.date, ascending=False), OrderBy(Invoice.id, ascending=False)],
        validators=_on_writes(check_invoice),
    )
    customers = TableConfig(
        Customer,
        visible_columns=[Customer.id, Customer.name, Customer.email, Customer.image_url],
        visible_filters=[Customer.name, Customer.email],
        order_by=[OrderBy(Customer.name)],
        validators=_on_writes(check_customer),
    )
    users = TableConfig(
        User,
        exclude_visible_columns=[User.password, User.email_key],
        visible_filters=[User.name, User.email],
        order_by=[OrderBy(User.email)],
        validators=Validators(
            post_single=[check_user],
            patch_single=[check_user],
            put_single=[check_user, prepare_user_put],
        ),
        hooks=[
            Hook(HookType.pre_save, _prepare_new_user),
            Hook(HookType.pre_patch, _prepare_patched_user),
        ],
    )
    payments = TableConfig(
        Payment,
        visible_columns=[
            Payment.invoice_id,
            Payment.amount,
            Payment.date,
            Payment.method,
            Payment.note,
            Payment.voided_at,
            Payment.void_reason,
        ],
        visible_filters=[Payment.invoice_id, Payment.method, Payment.date],
        order_by=[OrderBy(Payment.created_at, ascending=False)],
        validators=Validators(
            post_single=[check_payment],
            put_single=[check_payment],
            patch_single=[check_payment],
            delete_single=[refuse_payment_delete],
        ),
        hooks=[Hook(HookType.pre_patch, _void_only)],
    )
    revenue = TableConfig(
        Revenue, order_by=[OrderBy(Revenue.month)], validators=_on_writes(check_revenue)
    )
    audit = TableConfig(
        AuditEntry,
        visible_columns=[
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor_kind,
            AuditEntry.actor_name,
            AuditEntry.table_name,
            AuditEntry.row_id,
            AuditEntry.action,
            AuditEntry.changes,
        ],
        visible_filters=[
            AuditEntry.table_name,
            AuditEntry.actor_kind,
            AuditEntry.actor_name,
            AuditEntry.at,
            AuditEntry.row_id,
            AuditEntry.action,
        ],
        order_by=[OrderBy(AuditEntry.id, ascending=False)],
        validators=READ_ONLY,
        menu_group="Audit",
    )
    password_form = FormConfig(
        name="Set a dashboard password",
        pydantic_model=DashboardPassword,
        endpoint=set_dashboard_password,
        description=(
            "Give a dashboard user a new password (stored as an argon2id hash). "
            "Their open sessions end."
        ),
    )
    return create_admin(
        tables=[invoices, payments, customers, users, revenue, audit],
        forms=[password_form],
        auth_table=BaseUser,
        session_table=SessionsBase,
        site_name="Acme back office",
        default_language_code="en",
        auto_include_related=False,
        rate_limit_provider=NoLimit(),
        production=not settings.is_development,
        allowed_hosts=list(settings.allowed_hosts),
    )


# In development the admin runs over plain HTTP with production=False on purpose; piccolo_api
# then warns at every staff login. With production=True (every other environment) it never warns.
warnings.filterwarnings(
    "ignore",
    message="If running sessions in production, make sure 'production' is set",
    category=UserWarning,
    module="piccolo_api.session_auth.endpoints",
)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _admin_session(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, token = part.strip().partition("=")
                if key == "id" and token:
                    return str(token)
    return None


async def staff_actor(scope: dict[str, Any]) -> Actor:
    """The staff member whose admin session made the request (the admin checks the session
    itself; this only names who it is for the audit trail)."""
    token = _admin_session(scope)
    user_id = await SessionsBase.get_user_id(token) if token else None
    if user_id is not None:
        row = await BaseUser.select(BaseUser.username).where(BaseUser.id == user_id).first()
        if row is not None:
            return Actor(kind="staff", id=str(user_id), name=str(row["username"]))
    return Actor(kind="staff", id=None, name="Unknown staff")


class _Refused(Exception):
    """The admin answered an error: undo whatever the request wrote."""


class StaffAudited:
    """Every write through the admin's API runs in one transaction that names its staff member
    to the audit trail. The answer is held until the transaction ends, so no client sees a
    change before it is committed, and an error answer leaves nothing behind. Reads, and the
    public login/logout (whose throttle counts must stay when they fail), pass straight on."""

    def __init__(self, edge: AdminEdge) -> None:
        self.edge = edge

    async def __call__(
        self, scope: dict[str, Any], receive: Receive, send: Send, rest: str
    ) -> None:
        if scope.get("method", "GET") in SAFE_METHODS or not rest.startswith("/api/"):
            await self.edge(scope, receive, send, rest)
            return
        answer: list[Message] = []

        async def hold(message: Message) -> None:
            answer.append(message)

        try:
            with acting_as(await staff_actor(scope)):
                async with atomic():
                    await self.edge(scope, receive, hold, rest)
                    start = next((m for m in answer if m["type"] == "http.response.start"), None)
                    if start is not None and start["status"] >= 400:
                        raise _Refused
        except _Refused:
            pass
        for message in answer:
            await send(message)


def build_edge(settings: Settings) -> StaffAudited:
    """The back office as mounted: the admin app behind its edge (src/http/admin_edge.py),
    its writes recorded as the staff member's."""
    tables = (Invoice, Customer, User, Revenue, AuditEntry)
    return StaffAudited(AdminEdge(build_admin(settings), {t._meta.tablename: t for t in tables}))
