from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from src.domain.invoices.repository import (
    CHANGED,
    NOT_FOUND,
    InvoiceOut,
    InvoicePage,
    InvoiceRepository,
)
from src.http.auth import app_settings
from src.http.body import read_body
from src.http.etag import parse_if_match, with_etag
from src.http.idempotency import IDEMPOTENT
from src.http.invoices.dto import InvoiceCreate, InvoicePatch, InvoiceUpdate
from src.http.openapi import errors
from src.http.params import IfMatch, PageNumber, PageSize, Query, StatusFilter, parse_id
from src.observability import metric


class InvoiceController(Controller):
    path = "/invoices"
    tags = ["invoices"]

    @get("/", summary="Search invoices, newest first", responses=errors())
    async def list_invoices(
        self,
        search: Query = "",
        page: PageNumber = 1,
        page_size: PageSize = 6,
        status: StatusFilter = None,
    ) -> InvoicePage:
        return await InvoiceRepository().search(search, page, page_size, status)

    @get("/{invoice_id:str}", summary="One invoice (with an ETag)", responses=errors(404))
    async def get_invoice(self, invoice_id: FromPath[str]) -> Response[InvoiceOut]:
        return with_etag(await InvoiceRepository().get(parse_id(invoice_id, NOT_FOUND)))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        opt={"body_model": InvoiceCreate},
        middleware=[IDEMPOTENT],
        summary="Create an invoice dated today (honours Idempotency-Key)",
        responses=errors(422),
    )
    async def create_invoice(
        self, request: Request[Any, Any, Any], data: JSONBody[InvoiceCreate]
    ) -> Response[InvoiceOut]:
        body = await read_body(request, InvoiceCreate)
        settings = app_settings(request)
        today = dt.datetime.now(settings.zone).date()
        due = body.due_date or today + dt.timedelta(days=settings.payment_terms_days)
        invoice = await InvoiceRepository().create(
            body.customer_id, body.amount, body.status, today, due
        )
        metric("Invoice.Created", 1)
        metric("Invoice.AmountCents", body.amount)  # the business dashboard's amounts
        return with_etag(invoice, HTTP_201_CREATED)

    @put(
        "/{invoice_id:str}",
        opt={"body_model": InvoiceUpdate},
        summary="Replace customer, amount and status (the date is kept)",
        responses=errors(404, 412),
    )
    async def replace_invoice(
        self,
        request: Request[Any, Any, Any],
        invoice_id: FromPath[str],
        data: JSONBody[InvoiceUpdate],
        if_match: IfMatch = None,
    ) -> Response[InvoiceOut]:
        return await self._update(request, invoice_id, InvoiceUpdate, if_match)

    @patch(
        "/{invoice_id:str}",
        opt={"body_model": InvoicePatch, "partial": True},
        summary="Change any of customer, amount, status, date",
        responses=errors(404, 412),
    )
    async def patch_invoice(
        self,
        request: Request[Any, Any, Any],
        invoice_id: FromPath[str],
        data: JSONBody[InvoicePatch],
        if_match: IfMatch = None,
    ) -> Response[InvoiceOut]:
        return await self._update(request, invoice_id, InvoicePatch, if_match, partial=True)

    async def _update(
        self,
        request: Request[Any, Any, Any],
        invoice_id: FromPath[str],
        model: type[InvoiceUpdate] | type[InvoicePatch],
        if_match: str | None,
        partial: bool = False,
    ) -> Response[InvoiceOut]:
        uid = parse_id(invoice_id, NOT_FOUND)
        body = await read_body(request, model, partial=partial)
        changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
        expected = parse_if_match(if_match, CHANGED)
        return with_etag(await InvoiceRepository().update(uid, changes, expected))

    @delete(
        "/{invoice_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete an invoice",
        responses=errors(404),
    )
    async def delete_invoice(self, invoice_id: FromPath[str]) -> Response[None]:
        await InvoiceRepository().delete(parse_id(invoice_id, NOT_FOUND))
        return Response(None, status_code=HTTP_204_NO_CONTENT)
