"""Dashboard users and their server-side sessions."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from src.domain.recent import Recent
from src.domain.sql import atomic, fetch, fetch_one
from src.domain.users.email import email_key
from src.domain.users.passwords import hash_password, needs_rehash, verify_password

SESSION_LIFETIME = timedelta(days=30)
# A session found in the database is taken as valid for this long in the same process, so a
# burst of requests (search as you type, a page's parallel calls) costs one lookup, not one each.
# Logout and password resets end it here at once; a session ended by another process (another
# server or Lambda instance) stops working there within this time.
SESSION_RECHECK_SECONDS = 1.0


class UserOut(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    name: str
    email: str


class NewSession(msgspec.Struct, frozen=True):
    token: str
    csrf_token: str
    expires_at: datetime


def token_id(token: str) -> str:
    """Sessions are stored by the SHA-256 of their token, never by the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(token: str) -> str:
    """A CSRF token only the holder of the (HttpOnly) session token can know."""
    return hashlib.sha256(b"csrf:" + token.encode()).hexdigest()[:43]


class UserRepository:
    async def authenticate(self, email: str, password: str) -> UserOut | None:
        row = await fetch_one(
            "SELECT id, name, email, password FROM users WHERE email_key = {}", email_key(email)
        )
        # Verify against a dummy hash when the email is unknown: the same answer in the same time.
        # argon2 works for tens of milliseconds: off the event loop, so other requests go on.
        stored = row["password"] if row else None
        if not await asyncio.to_thread(verify_password, stored, password) or row is None:
            return None
        if needs_rehash(row["password"]):
            rehashed = await asyncio.to_thread(hash_password, password)
            await fetch("UPDATE users SET password = {} WHERE id = {}", rehashed, row["id"])
        return UserOut(id=row["id"], name=row["name"], email=row["email"])

    async def create_session(self, user_id: UUID) -> NewSession:
        token = secrets.token_urlsafe(32)
        expires_at = datetime.now(UTC) + SESSION_LIFETIME
        # The user's expired sessions go at each login, so the table does not grow forever.
        await fetch(
            "WITH expired AS (DELETE FROM user_sessions WHERE user_id = {} AND expires_at <= now())"
            " INSERT INTO user_sessions (id, user_id, created_at, expires_at)"
            " VALUES ({}, {}, now(), {})",
            user_id,
            token_id(token),
            user_id,
            expires_at,
        )
        return NewSession(token=token, csrf_token=csrf_token_for(token), expires_at=expires_at)

    async def user_for_token(self, token: str) -> UserOut | None:
        key = token_id(token)
        user = _recent.get(key)
        if user is not None:
            return user
        row = await fetch_one(
            "SELECT u.id, u.name, u.email, s.expires_at FROM user_sessions s"
            " JOIN users u ON u.id = s.user_id WHERE s.id = {} AND s.expires_at > now()",
            key,
        )
        if row is None:
            return None
        user = UserOut(id=row["id"], name=row["name"], email=row["email"])
        _recent.put(key, user, row["expires_at"])
        return user

    async def end_session(self, token: str) -> None:
        key = token_id(token)
        _recent.forget(key)
        await fetch("DELETE FROM user_sessions WHERE id = {}", key)

    async def reset_password(self, email: str, password: str) -> str | None:
        """Set a password (argon2id) and end the user's sessions; the email, or None if unknown.

        The database ends the sessions itself (a trigger on any change of `password`) and
        refuses anything but an argon2id hash (a CHECK), whatever path writes it."""
        hashed = await asyncio.to_thread(hash_password, password)
        async with atomic():
            row = await fetch_one(
                "UPDATE users SET password = {} WHERE email_key = {} RETURNING id, email",
                hashed,
                email_key(email),
            )
        if row is None:
            return None
        forget_user_sessions(row["id"])
        return str(row["email"])

    async def create_user(self, name: str, email: str, password: str) -> UserOut:
        hashed = await asyncio.to_thread(hash_password, password)
        row = await fetch_one(
            "INSERT INTO users (id, name, email, email_key, password, created_at)"
            " VALUES ({}, {}, {}, {}, {}, now()) RETURNING id, name, email",
            uuid.uuid4(),
            name,
            email.strip(),
            email_key(email),
            hashed,
        )
        assert row is not None
        return UserOut(id=row["id"], name=row["name"], email=row["email"])


def forget_user_sessions(user_id: UUID) -> None:
    """Stop trusting this process's recently checked sessions of a user (after the database
    ended them, e.g. on a password change), instead of within SESSION_RECHECK_SECONDS."""
    _recent.forget_where(lambda user: user.id == user_id)


_recent: Recent[UserOut] = Recent(SESSION_RECHECK_SECONDS)
