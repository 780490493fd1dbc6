"""Domain errors: plain exceptions that the HTTP layer maps to status codes in one place."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base class; the message is safe to show to a user."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    pass


class ConflictError(DomainError):
    pass


class AuthenticationError(DomainError):
    pass


class PreconditionFailedError(DomainError):
    pass


class TooManyAttemptsError(DomainError):
    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationError(DomainError):
    def __init__(self, errors: list[FieldError], detail: str = "Invalid request.") -> None:
        super().__init__(detail)
        self.errors = errors


class TooLargeError(DomainError):
    """More data than can be handled in one request or answer; the message says what to do."""


class RowsRejectedError(DomainError):
    """An import in which some rows fail; `report` lists them (line, column, message)."""

    def __init__(self, detail: str, report: object) -> None:
        super().__init__(detail)
        self.report = report
