"""The one place where errors become HTTP answers. No stack trace or SQL text ever leaves here."""

from __future__ import annotations

import logging
from typing import Any

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

from src.db import DATABASE_DOWN, STATEMENT_TIMEOUT
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
from src.http.body import INVALID, NOT_JSON
from src.http.params import MESSAGES as PARAM_MESSAGES

log = logging.getLogger("src.http.errors")

UNAVAILABLE = "Service temporarily unavailable."
TOO_SLOW = "The request took too long and was stopped. Try again in a moment."
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
    """Litestar's own checks of query, path and header parameters (bodies are decoded by
    src.http.body): each field named as the client sent it, with a human message."""
    errors: list[FieldError] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "")
        if item.get("source") == "body" or key in ("", "data"):
            errors.append(FieldError("body", NOT_JSON))  # no body at all
            continue
        field = _sent_name(request, key)
        errors.append(FieldError(field, PARAM_MESSAGES.get(field, f"{field} is not valid.")))
    if not errors:
        errors.append(FieldError("body", NOT_JSON))
    return _json(HTTP_400_BAD_REQUEST, _validation_body(ValidationError(errors, INVALID)))


def _sent_name(request: Request[Any, Any, Any], key: str) -> str:
    """The name a parameter has on the wire (`query`, `pageSize`, `If-Match`), not in Python."""
    handler = request.route_handler
    # The handler's own parameters, then its dependencies' (an export reads the list's `query`
    # through a dependency whose Python name cannot be `query`, a name the framework reserves).
    signatures = [handler.parsed_fn_signature] + [
        provider.parsed_fn_signature
        for provider in handler.resolve_dependencies().values()
        if hasattr(provider, "parsed_fn_signature")
    ]
    parameter = next((s.parameters[key] for s in signatures if key in s.parameters), None)
    kwarg = parameter.kwarg_definition if parameter else None
    for attribute in ("name", "query", "header", "cookie"):
        if sent := getattr(kwarg, attribute, None):
            return str(sent)
    return _camel(key)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


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
    if isinstance(exc, STATEMENT_TIMEOUT):
        log.warning("database time limit reached: %s %s", request.method, request.url.path)
        return _json(HTTP_503_SERVICE_UNAVAILABLE, {"detail": TOO_SLOW}, {"Retry-After": "5"})
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
