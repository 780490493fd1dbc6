"""Dashboard users and their server-side sessions."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from src.domain.sql import atomic, fetch, fetch_one
from src.domain.users.passwords import hash_password, needs_rehash, verify_password

SESSION_LIFETIME = timedelta(days=30)


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
            "SELECT id, name, email, password FROM users WHERE lower(email) = lower({})", email
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
        row = await fetch_one(
            "SELECT u.id, u.name, u.email FROM user_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.id = {} AND s.expires_at > now()",
            token_id(token),
        )
        return UserOut(**row) if row else None

    async def end_session(self, token: str) -> None:
        await fetch("DELETE FROM user_sessions WHERE id = {}", token_id(token))

    async def reset_password(self, email: str, password: str) -> str | None:
        """Set a password (argon2id) and end the user's sessions; the email, or None if unknown."""
        hashed = await asyncio.to_thread(hash_password, password)
        async with atomic():
            row = await fetch_one(
                "UPDATE users SET password = {} WHERE lower(email) = lower({}) RETURNING id, email",
                hashed,
                email.strip(),
            )
            if row is None:
                return None
            await fetch("DELETE FROM user_sessions WHERE user_id = {}", row["id"])
        return str(row["email"])
