"""The history of invoices and customers (read from the audit trail), and the middleware that
tells the trail who is making a request's changes."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.middleware import ASGIMiddleware
from litestar.params import FromPath
from litestar.types import ASGIApp, Receive, Scope, Send

from src.domain.audit.actor import Actor, acting_as
from src.domain.audit.repository import AuditRepository, HistoryPage
from src.domain.customers.repository import NOT_FOUND as CUSTOMER_NOT_FOUND
from src.domain.invoices.repository import NOT_FOUND as INVOICE_NOT_FOUND
from src.http.openapi import API_SECURITY, errors
from src.http.params import PageNumber, PageSize, parse_id


def actor_for(scope: Scope) -> Actor | None:
    """The actor of an authenticated request: an API key when it came with one, else the user."""
    auth: Any = scope.get("auth")
    key_actor = getattr(auth, "actor", None)
    if isinstance(key_actor, Actor):
        return key_actor
    user: Any = scope.get("user")
    if user is None:
        return None
    return Actor(kind="user", id=str(user.id), name=str(user.name))


class ActorMiddleware(ASGIMiddleware):
    """Runs after authentication: the request's writes are recorded as its user's (or key's)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        actor = actor_for(scope)
        if actor is None:
            await next_app(scope, receive, send)
            return
        with acting_as(actor):
            await next_app(scope, receive, send)


KEPT_AFTER_DELETE = (
    "The history stays readable after the {row} is deleted: its newest entry says who deleted it"
    " and when. 404 only for an id that was never recorded."
)


class HistoryController(Controller):
    tags = ["history"]
    security = API_SECURITY

    @get(
        "/invoices/{invoice_id:str}/history",
        summary="An invoice's recorded changes, newest first",
        description=KEPT_AFTER_DELETE.format(row="invoice"),
        responses=errors(404),
    )
    async def invoice_history(
        self, invoice_id: FromPath[str], page: PageNumber = 1, page_size: PageSize = 10
    ) -> HistoryPage:
        uid = parse_id(invoice_id, INVOICE_NOT_FOUND)
        return await AuditRepository().history("invoices", uid, page, page_size, INVOICE_NOT_FOUND)

    @get(
        "/customers/{customer_id:str}/history",
        summary="A customer's recorded changes, newest first",
        description=KEPT_AFTER_DELETE.format(row="customer"),
        responses=errors(404),
    )
    async def customer_history(
        self, customer_id: FromPath[str], page: PageNumber = 1, page_size: PageSize = 10
    ) -> HistoryPage:
        uid = parse_id(customer_id, CUSTOMER_NOT_FOUND)
        return await AuditRepository().history(
            "customers", uid, page, page_size, CUSTOMER_NOT_FOUND
        )
