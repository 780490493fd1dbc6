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
from src.domain.rules import due_after
from src.http.auth import app_settings
from src.http.etag import parse_if_match, with_etag
from src.http.idempotency import IDEMPOTENT
from src.http.invoices.dto import InvoiceCreate, InvoicePatch, InvoiceUpdate
from src.http.openapi import API_SECURITY, errors
from src.http.params import IfMatch, PageNumber, PageSize, Query, StatusFilter, parse_id
from src.observability import metric


class InvoiceController(Controller):
    path = "/invoices"
    tags = ["invoices"]
    security = API_SECURITY

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
        middleware=[IDEMPOTENT],
        summary="Create an invoice dated today (honours Idempotency-Key)",
        responses=errors(415, 422),
    )
    async def create_invoice(
        self, request: Request[Any, Any, Any], data: JSONBody[InvoiceCreate]
    ) -> Response[InvoiceOut]:
        settings = app_settings(request)
        today = dt.datetime.now(settings.zone).date()
        due = data.due_date or due_after(today, settings.payment_terms_days)
        invoice = await InvoiceRepository().create(
            data.customer_id, data.amount, data.status, today, due
        )
        metric("Invoice.Created", 1)
        metric("Invoice.AmountCents", data.amount)  # the business dashboard's amounts
        return with_etag(invoice, HTTP_201_CREATED)

    @put(
        "/{invoice_id:str}",
        summary="Replace customer, amount and status (the date is kept)",
        responses=errors(404, 409, 412, 415),
    )
    async def replace_invoice(
        self, invoice_id: FromPath[str], data: JSONBody[InvoiceUpdate], if_match: IfMatch = None
    ) -> Response[InvoiceOut]:
        return await _update(invoice_id, data, if_match)

    @patch(
        "/{invoice_id:str}",
        summary="Change any of customer, amount, status, date",
        responses=errors(404, 409, 412, 415),
    )
    async def patch_invoice(
        self, invoice_id: FromPath[str], data: JSONBody[InvoicePatch], if_match: IfMatch = None
    ) -> Response[InvoiceOut]:
        return await _update(invoice_id, data, if_match)

    @delete(
        "/{invoice_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete an invoice",
        responses=errors(404, no_content=True),
    )
    async def delete_invoice(self, invoice_id: FromPath[str]) -> Response[None]:
        await InvoiceRepository().delete(parse_id(invoice_id, NOT_FOUND))
        return Response(None, status_code=HTTP_204_NO_CONTENT)


async def _update(
    invoice_id: str, body: InvoiceUpdate | InvoicePatch, if_match: str | None
) -> Response[InvoiceOut]:
    uid = parse_id(invoice_id, NOT_FOUND)
    expected = parse_if_match(if_match, CHANGED)
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    return with_etag(await InvoiceRepository().update(uid, changes, expected))
