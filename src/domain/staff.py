"""Staff accounts for the back office: Piccolo `BaseUser`s, separate from dashboard users.

Staff log in at /admin/ only; a dashboard user cannot, and a staff account opens no /api session.
"""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from src.db import DB
from src.domain.users.email import email_key


class StaffError(ValueError):
    """A username, password or email the staff table refuses; the message is for the operator."""


class StaffAccount(msgspec.Struct, frozen=True):
    id: int
    username: str
    email: str
    created: bool


def _default_email(username: str) -> str:
    # BaseUser.email is unique and not null: every account needs its own value. `.invalid`
    # (RFC 2606) can never be a real mailbox.
    return username if "@" in username else f"{username}@staff.invalid"


def _check(username: str, password: str, email: str) -> None:
    if not username.strip() or username != username.strip():
        raise StaffError("the username must not be empty or start/end with spaces")
    if len(username) > 100:
        raise StaffError("the username must be at most 100 characters")
    if "@" not in email or len(email) > 255:
        raise StaffError("the email must be an address of at most 255 characters")
    try:
        BaseUser._validate_password(password)
    except ValueError as exc:
        raise StaffError(str(exc)) from None


async def upsert_staff(username: str, password: str, email: str | None = None) -> StaffAccount:
    """Create the staff account `username`, or reset its password; either way it ends up
    active, admin and superuser. A reset ends the account's open admin sessions."""
    email = (email or "").strip() or None
    _check(username, password, email or _default_email(username))
    async with DB.transaction():
        account = await _upsert(username, password, email)
    return account  # noqa: RET504 - once committed


async def _upsert(username: str, password: str, email: str | None) -> StaffAccount:
    row = (
        await BaseUser.select(BaseUser.id, BaseUser.email)
        .where(BaseUser.username == username)
        .first()
    )
    new_email = email or (_default_email(username) if row is None else None)
    if new_email is not None and await _email_taken(new_email, row["id"] if row else None):
        raise StaffError(f"another staff account already uses the email {new_email!r}")
    if row is None:
        user = await BaseUser.create_user(
            username=username,
            password=password,
            email=new_email,
            active=True,
            admin=True,
            superuser=True,
        )
        return StaffAccount(id=user.id, username=username, email=user.email, created=True)
    values: dict[Any, Any] = {
        BaseUser.password: BaseUser.hash_password(password),
        BaseUser.active: True,
        BaseUser.admin: True,
        BaseUser.superuser: True,
    }
    if new_email is not None:
        values[BaseUser.email] = new_email
    await BaseUser.update(values).where(BaseUser.id == row["id"])
    await end_staff_sessions(row["id"])
    return StaffAccount(
        id=row["id"], username=username, email=new_email or row["email"], created=False
    )


async def _email_taken(email: str, own_id: int | None) -> bool:
    """Compared in the one normal form of emails (the staff table's own unique index is exact:
    `Ops@Acme.test` and `ops@acme.test` would both pass it). Staff accounts are few."""
    key = email_key(email)
    others = await BaseUser.select(BaseUser.id, BaseUser.email)
    return any(email_key(o["email"]) == key for o in others if o["id"] != own_id)


async def end_staff_sessions(user_id: int) -> None:
    await SessionsBase.delete().where(SessionsBase.user_id == user_id)
