"""CSV downloads of the invoices and customers lists (the same search as the list screens)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter
from litestar.response import Stream

from src.domain.csvio.columns import CUSTOMER_COLUMNS, INVOICE_COLUMNS
from src.domain.csvio.export import collect, customers_sql, file_name, invoices_sql, stream_csv
from src.http.auth import app_settings
from src.http.openapi import errors
from src.http.params import Query

CSV = "text/csv"  # Litestar adds "; charset=utf-8"
# AWS Lambda answers at most 6 MB, and Mangum sends an answer only once it is complete: there
# an export is built in memory up to this size, and a bigger one is refused with a message.
LAMBDA_EXPORT_LIMIT = 5 * 1024 * 1024
TOO_LARGE = (
    "This export is larger than 5 MB, more than the hosted API can send in one answer."
    " Narrow the search (for example by status or by customer), or export from a machine with"
    " database access: make export ARGS='{kind} FILE'."
)

Status = Annotated[
    Literal["pending", "paid"] | None,
    QueryParameter(name="status", required=False, description="Only invoices with this status"),
]


def _csv_response(kind: str) -> dict[int, ResponseSpec]:
    return {
        200: ResponseSpec(
            data_container=str,
            media_type="text/csv",
            description=f"The {kind} as CSV (UTF-8, header row, streamed)",
        ),
        **errors(),
    }


class ExportController(Controller):
    path = "/exports"
    tags = ["exports"]

    @get(
        "/invoices.csv",
        summary="Every invoice matching the list's search, newest first, as CSV",
        responses=_csv_response("invoices"),
        opt={"no_compression": True},
    )
    async def export_invoices(
        self, request: Request[Any, Any, Any], search: Query = "", status: Status = None
    ) -> Response[Any]:
        sql = await invoices_sql(search, status)
        return await _download(request, "invoices", stream_csv(INVOICE_COLUMNS, sql))

    @get(
        "/customers.csv",
        summary="Every customer matching the list's search, by name, with totals, as CSV",
        responses=_csv_response("customers"),
        opt={"no_compression": True},
    )
    async def export_customers(
        self, request: Request[Any, Any, Any], search: Query = ""
    ) -> Response[Any]:
        chunks = stream_csv(CUSTOMER_COLUMNS, customers_sql(search))
        return await _download(request, "customers", chunks)


async def _download(
    request: Request[Any, Any, Any],
    kind: str,
    chunks: AsyncIterator[bytes],
) -> Response[Any]:
    settings = app_settings(request)
    today = dt.datetime.now(settings.zone).date()
    headers = {"Content-Disposition": f'attachment; filename="{file_name(kind, today)}"'}
    if settings.lambda_function:
        body = await collect(chunks, LAMBDA_EXPORT_LIMIT, TOO_LARGE.format(kind=kind))
        return Response(body, media_type=CSV, headers=headers)
    return Stream(chunks, media_type=CSV, headers=headers)
