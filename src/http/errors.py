"""The one place where errors become HTTP answers. No stack trace or SQL text ever leaves here."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.exceptions import ValidationException as LitestarValidationError
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_412_PRECONDITION_FAILED,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.utils.scope.state import ScopeState

from src.domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    FieldError,
    NotFoundError,
    PreconditionFailedError,
    RowsRejectedError,
    TooLargeError,
    TooManyAttemptsError,
    ValidationError,
)
from src.http.body import decode
from src.http.params import MESSAGES as PARAM_MESSAGES

log = logging.getLogger("src.http.errors")

UNAVAILABLE = "Service temporarily unavailable."
NOT_AUTHENTICATED = "Not authenticated."
CLIENT_GONE = "client disconnected prematurely"  # Litestar's words when a body never arrives

_STATUS: dict[type[DomainError], int] = {
    NotFoundError: HTTP_404_NOT_FOUND,
    ConflictError: HTTP_409_CONFLICT,
    AuthenticationError: HTTP_401_UNAUTHORIZED,
    PreconditionFailedError: HTTP_412_PRECONDITION_FAILED,
    TooManyAttemptsError: HTTP_429_TOO_MANY_REQUESTS,
    ValidationError: HTTP_400_BAD_REQUEST,
    RowsRejectedError: HTTP_400_BAD_REQUEST,
    TooLargeError: HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}

# Errors that mean the database is away (stopped, restarting, unreachable), not a bug.
DATABASE_DOWN: tuple[type[BaseException], ...] = (
    OSError,
    ConnectionError,
    TimeoutError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.TooManyConnectionsError,
)


def _json(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def _validation_body(error: ValidationError) -> dict[str, Any]:
    return {
        "detail": error.detail,
        "errors": [{"field": e.field, "message": e.message} for e in error.errors],
    }


def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = next(code for kind, code in _STATUS.items() if isinstance(exc, kind))
    if isinstance(exc, ValidationError):
        return _json(status, _validation_body(exc))
    if isinstance(exc, RowsRejectedError):
        # The import's report: every failing line with its column and message.
        return Response(exc.report, status_code=status, media_type=MediaType.JSON)
    headers = (
        {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttemptsError) else None
    )
    return _json(status, {"detail": exc.detail}, headers)


def litestar_validation(
    request: Request[Any, Any, Any], exc: LitestarValidationError
) -> Response[Any]:
    """Litestar's own checks (query, path, body): name each field, and for a body list them all."""
    model = request.route_handler.opt.get("body_model")
    body = ScopeState.from_scope(request.scope).body
    if model is not None and isinstance(body, bytes):
        try:
            decode(body, model, partial=bool(request.route_handler.opt.get("partial")))
        except ValidationError as full:
            return _json(HTTP_400_BAD_REQUEST, _validation_body(full))
    errors: list[FieldError] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            field = _camel(str(item.get("key") or item.get("source") or "body"))
            errors.append(FieldError(field, _field_message(field, str(item.get("message", "")))))
    if not errors:
        errors.append(FieldError("body", "Invalid request."))
    return _json(HTTP_400_BAD_REQUEST, _validation_body(ValidationError(errors)))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _field_message(field: str, fallback: str) -> str:
    return PARAM_MESSAGES.get(field, fallback or "Invalid value.")


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotAuthorizedException):
        return _json(HTTP_401_UNAUTHORIZED, {"detail": NOT_AUTHENTICATED})
    if isinstance(exc, NotFoundException):
        return _json(HTTP_404_NOT_FOUND, {"detail": "Not found."})
    if isinstance(exc, PermissionDeniedException):
        return _json(HTTP_403_FORBIDDEN, {"detail": exc.detail or "Forbidden."})
    status = exc.status_code
    if exc.detail == CLIENT_GONE:
        # The client hung up mid-request: nothing is broken and nobody reads the answer.
        log.info("client disconnected: %s %s", request.method, request.url.path)
        return _json(HTTP_400_BAD_REQUEST, {"detail": "Client disconnected."})
    if status >= 500:
        return internal_error(request, exc)
    return _json(status, {"detail": exc.detail}, dict(exc.headers or {}) or None)


def internal_error(request: Request[Any, Any, Any], exc: BaseException) -> Response[Any]:
    if isinstance(exc, DATABASE_DOWN):
        log.warning(
            "database unavailable: %s %s (%s)", request.method, request.url.path, type(exc).__name__
        )
        return _json(HTTP_503_SERVICE_UNAVAILABLE, {"detail": UNAVAILABLE}, {"Retry-After": "5"})
    # The trace goes to the log (request line only: no headers, cookies or body).
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(HTTP_500_INTERNAL_SERVER_ERROR, {"detail": "Internal server error"})


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error,
    LitestarValidationError: litestar_validation,
    HTTPException: http_error,
    Exception: internal_error,
}
