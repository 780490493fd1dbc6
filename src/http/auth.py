"""Sessions over cookie or bearer token, CSRF for cookie-authenticated writes, and /api/auth."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.params import JSONBody
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_204_NO_CONTENT,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)

from src.domain.users.repository import SESSION_LIFETIME, UserOut, UserRepository, csrf_token_for
from src.domain.users.service import LoginService
from src.http.body import read_body
from src.http.openapi import errors
from src.settings import Settings

SESSION_COOKIE = "acme_session"
CSRF_COOKIE = "acme_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Only /api is behind this middleware; the login itself needs no session.
AUTH_EXCLUDE = r"^/api/auth/login$"


class Credentials(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=255)]
    password: Annotated[str, msgspec.Meta(min_length=6, max_length=1024)]

    __messages__ = {
        "email": "Please enter a valid email address.",
        "password": "Please enter a password of at least 6 characters.",
    }


class LoginOut(msgspec.Struct, rename="camel"):
    user: UserOut
    token: str


class Auth(msgspec.Struct, frozen=True):
    token: str
    via_cookie: bool


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


class SessionMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = _bearer(connection)
        via_cookie = token is None
        if token is None:
            token = connection.cookies.get(SESSION_COOKIE)
        if not token:
            raise NotAuthorizedException()
        user = await UserRepository().user_for_token(token)
        if user is None:
            raise NotAuthorizedException()
        if via_cookie and connection.scope.get("method", "GET") not in SAFE_METHODS:
            sent = connection.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent, csrf_token_for(token)):
                raise PermissionDeniedException("Missing or invalid CSRF token.")
        return AuthenticationResult(user=user, auth=Auth(token=token, via_cookie=via_cookie))


def require_json(request: Request[Any, Any, Any]) -> None:
    """A cross-site HTML form can send text/plain or form data without a preflight, never
    application/json: refusing the rest stops a forged login into the attacker's account."""
    if request.content_type[0] != "application/json":
        raise HTTPException(
            status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail="Send the credentials as JSON (Content-Type: application/json).",
        )


def app_settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _cookies(secure: bool, token: str, csrf: str, max_age: int) -> list[Cookie]:
    return [
        Cookie(
            key=SESSION_COOKIE,
            value=token,
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        ),
        # Readable by the page's own script, which echoes it in X-CSRF-Token.
        Cookie(
            key=CSRF_COOKIE,
            value=csrf,
            max_age=max_age,
            httponly=False,
            samesite="strict",
            secure=secure,
            path="/",
        ),
    ]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/login",
        responses=errors(415, 429, common=(400, 413, 503)),
        status_code=HTTP_200_OK,
        opt={"body_model": Credentials},
        summary="Log in; returns a bearer token and sets the session cookie",
    )
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[Credentials]
    ) -> Response[LoginOut]:
        require_json(request)
        body = await read_body(request, Credentials)
        settings = app_settings(request)
        done = await LoginService(settings.secret_key).login(
            body.email,
            body.password,
            request.client.host if request.client else "",
            request.cookies.get(SESSION_COOKIE),
        )
        max_age = int(SESSION_LIFETIME.total_seconds())
        session = done.session
        return Response(
            LoginOut(user=done.user, token=session.token),
            cookies=_cookies(settings.secure_cookies, session.token, session.csrf_token, max_age),
            headers={"Cache-Control": "no-store"},
        )

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="End the session", responses=errors())
    async def logout(self, request: Request[UserOut, Auth, Any]) -> Response[None]:
        await UserRepository().end_session(request.auth.token)
        return Response(
            None,
            status_code=HTTP_204_NO_CONTENT,
            cookies=_cookies(app_settings(request).secure_cookies, "", "", 0),
        )

    @get("/me", summary="The logged-in user", responses=errors())
    async def me(self, request: Request[UserOut, Auth, Any]) -> UserOut:
        return request.user
