"""What a back-office write stores besides what staff sent (Piccolo hooks, and validators for
PUT, which runs no hooks):

- the `email_key` of users and customers (the one normal form every email comparison uses) is
  set from the email on every write, whatever staff send for it;
- a dashboard user's password is only ever stored as an argon2id hash (the login's own
  `hash_password`), whether set through the users table or the "Set a dashboard password"
  form; the database ends that user's sessions when it changes and refuses anything else;
- a PATCH of a payment voids it, and writes nothing else.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from piccolo.table import Table
from piccolo_api.crud.endpoints import PiccoloCRUD
from pydantic import BaseModel, Field
from starlette.requests import Request

from src.domain.payments.tables import Payment
from src.domain.sql import fetch_one
from src.domain.users.email import email_key
from src.domain.users.passwords import hash_password
from src.domain.users.repository import UserRepository, forget_user_sessions
from src.http.admin.checks import request_body, row_id

# --- the email key, on users and customers ---


def _keyed(data: dict[str, Any]) -> None:
    """A PUT's body: the key staff sent (if any) replaced by the email's."""
    data.pop("email_key", None)
    if isinstance(data.get("email"), str):
        data["email_key"] = email_key(data["email"])


async def key_new_row(row: Any) -> Any:
    row.email_key = email_key(row.email)
    return row


async def key_patched_row(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
    for column in [c for c in values if c._meta.name == "email_key"]:
        values.pop(column)
    for column in list(values):
        if column._meta.name == "email" and isinstance(values[column], str):
            table: type[Table] = column._meta.table
            values[table._meta.get_column_by_name("email_key")] = email_key(values[column])
    return values


async def prepare_customer_put(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    """The dict changed is the one the PUT handler writes (Starlette caches the parsed body);
    should that ever stop being so, the database refuses the empty key instead of storing it."""
    _keyed(await request_body(request))


# --- dashboard users: the email key and argon2id passwords ---


async def prepare_new_user(row: Any) -> Any:
    row.password = await asyncio.to_thread(hash_password, row.password)
    return await key_new_row(row)


async def prepare_patched_user(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
    values = await key_patched_row(row_id, values)
    for column in [c for c in values if c._meta.name == "password"]:
        new = values.pop(column)
        # The edit form sends the hidden field blank: that means "leave it as it is".
        if isinstance(new, str) and new:
            values[column] = await asyncio.to_thread(hash_password, new)
            # The database ends the sessions (trigger); this process stops trusting them now.
            forget_user_sessions(UUID(str(row_id)))
    return values


async def prepare_user_put(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    """A PUT runs no hooks in Piccolo: hash its password and set its email key here (the same
    cached dict as `prepare_customer_put`; the database refuses plain text otherwise)."""
    data = await request_body(request)
    _keyed(data)
    password = data.get("password")
    if isinstance(password, str) and password:
        data["password"] = await asyncio.to_thread(hash_password, password)
        user = row_id(request)
        if user is not None:
            forget_user_sessions(user)
    else:
        data.pop("password", None)  # blank: leave it as it is


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


# --- payments ---


async def void_only(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
    """A PATCH of a payment voids it (now, with the reason); nothing else is written. The
    database then lowers the invoice's paid sum and sets its status."""
    reason = next((v for c, v in values.items() if c._meta.name == "void_reason"), "")
    now = await fetch_one("SELECT now() AS at")
    assert now is not None
    return {Payment.void_reason: str(reason).strip(), Payment.voided_at: now["at"]}
