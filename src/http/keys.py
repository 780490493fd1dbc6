"""API keys: managed by a logged-in user at /api/keys, presented by scripts as
`Authorization: Bearer acme_…`. What a key may do is decided here, before any handler runs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import AuthenticationResult
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from src.domain.audit.actor import Actor
from src.domain.errors import AuthenticationError, TooManyAttemptsError
from src.domain.keys.repository import (
    NOT_FOUND,
    RATE_LIMIT,
    ApiKeyOut,
    ApiKeyRepository,
    KeyHolder,
    NewApiKey,
)
from src.domain.rules import NAME_PATTERN, NAME_RULE
from src.domain.users.repository import UserOut
from src.http.openapi import API_SECURITY, errors
from src.http.params import parse_id

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
INVALID_KEY = "Invalid, expired or revoked API key."
READ_ONLY = (
    "This API key has the read scope: it may only read (GET). "
    "Use a key with the write scope to make changes."
)
NO_KEY_MANAGEMENT = (
    "API keys cannot manage API keys: log in to the dashboard to create or revoke them."
)
NO_ACCOUNT_CHANGES = "API keys cannot log out or change a password."
TOO_MANY_REQUESTS = "Too many requests for this API key. Please slow down."


class KeyAuth(msgspec.Struct, frozen=True):
    """`request.auth` of a request made with an API key (sessions have `Auth`)."""

    key_id: str
    key_name: str
    scope: str
    actor: Actor


def _refusal(scope: str, method: str, path: str) -> str | None:
    """Why a key of `scope` may not make this request, or None when it may."""
    if path == "/api/keys" or path.startswith("/api/keys/"):
        return NO_KEY_MANAGEMENT
    if path.startswith("/api/auth/") and method not in READ_METHODS:
        return NO_ACCOUNT_CHANGES
    if scope != "write" and method not in READ_METHODS:
        return READ_ONLY
    return None


async def authenticate_key(
    connection: ASGIConnection[Any, Any, Any, Any], secret: str
) -> AuthenticationResult:
    holder = await ApiKeyRepository().holder(secret)
    if holder is None:
        raise AuthenticationError(INVALID_KEY)  # said as it is: 401 with this detail
    wait = RATE_LIMIT.take(holder.key_id, connection.app.state.settings.api_key_rate_limit)
    if wait:
        raise TooManyAttemptsError(TOO_MANY_REQUESTS, retry_after=wait)
    method = str(connection.scope.get("method", "GET"))
    refusal = _refusal(holder.scope, method, connection.url.path)
    if refusal is not None:
        raise PermissionDeniedException(refusal)
    return AuthenticationResult(user=holder.user, auth=_auth(holder))


def _auth(holder: KeyHolder) -> KeyAuth:
    actor = Actor(kind="apiKey", id=str(holder.key_id), name=holder.actor_name)
    return KeyAuth(
        key_id=str(holder.key_id), key_name=holder.key_name, scope=holder.scope, actor=actor
    )


class KeyCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=NAME_PATTERN)]
    scope: Literal["read", "write"]
    # Optional: without it the key works until revoked.
    expires_at: dt.datetime | None = None

    __messages__ = {
        "name": f"Please enter a name for the key of 1 to 100 characters, {NAME_RULE}.",
        "scope": "Choose read (GET only) or write.",
        "expiresAt": "Enter the expiry as a date and time, e.g. 2027-01-31T00:00:00Z.",
    }


class KeyController(Controller):
    path = "/keys"
    tags = ["api keys"]
    security = API_SECURITY

    @get("/", summary="Your API keys (never their secrets)", responses=errors())
    async def list_keys(self, request: Request[UserOut, Any, Any]) -> list[ApiKeyOut]:
        return await ApiKeyRepository().list(request.user.id)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an API key; its secret is in this answer only",
        responses=errors(409),
    )
    async def create_key(
        self, request: Request[UserOut, Any, Any], data: JSONBody[KeyCreate]
    ) -> Response[NewApiKey]:
        created = await ApiKeyRepository().create(
            request.user.id, data.name, data.scope, data.expires_at
        )
        return Response(
            created, status_code=HTTP_201_CREATED, headers={"Cache-Control": "no-store"}
        )

    @delete(
        "/{key_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Revoke an API key (at once)",
        responses=errors(404, no_content=True),
    )
    async def revoke_key(
        self, request: Request[UserOut, Any, Any], key_id: FromPath[str]
    ) -> Response[None]:
        await ApiKeyRepository().revoke(request.user.id, parse_id(key_id, NOT_FOUND))
        return Response(None, status_code=HTTP_204_NO_CONTENT)
