"""CSV downloads of the invoices and customers lists (the same search as the list screens)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Stream
from piccolo.querystring import QueryString

from src.domain.csvio.columns import CUSTOMER_COLUMNS, INVOICE_COLUMNS, Column
from src.domain.csvio.export import collect, customers_sql, file_name, invoices_sql, stream_csv
from src.http.auth import app_settings
from src.http.openapi import errors
from src.http.params import Query, StatusFilter

CSV = "text/csv"  # Litestar adds "; charset=utf-8"
# AWS Lambda answers at most 6 MB, and Mangum sends an answer only once it is complete: there
# an export is built in memory up to this size, and a bigger one is refused with a message.
# The size is the body as Lambda counts it: JSON-encoded in the runtime's answer (see
# lambda_size), so the headers and the envelope fit in the last MB.
LAMBDA_EXPORT_LIMIT = 5 * 1024 * 1024
# JSON writes these as two characters (\" \\ \b \f \n \r \t), the rest of the control
# characters as six (\u0001); the runtime keeps every other byte as it is (ensure_ascii=False).
_SHORT_ESCAPES = b'"\\\b\f\n\r\t'
_LONG_ESCAPES = bytes(c for c in range(32) if c not in _SHORT_ESCAPES)
TOO_LARGE = (
    "This export is larger than 5 MB, more than the hosted API can send in one answer."
    " Narrow the search (for example by status or by customer), or export from a machine with"
    " database access: make export ARGS='{kind} FILE'."
)


def _csv_response(kind: str) -> dict[int, ResponseSpec]:
    return {
        200: ResponseSpec(
            data_container=str,
            media_type="text/csv",
            description=f"The {kind} as CSV (UTF-8, header row, streamed)",
        ),
        **errors(),
    }


@dataclass(frozen=True)
class _Export:
    kind: str
    summary: str
    columns: tuple[Column, ...]
    # The rows' SQL from the list's own query parameters (which the OpenAPI document shows).
    rows: Callable[..., Awaitable[QueryString]]


async def _invoice_rows(search: Query = "", status: StatusFilter = None) -> QueryString:
    return await invoices_sql(search, status)


async def _customer_rows(search: Query = "") -> QueryString:
    return customers_sql(search)


def _export_route(export: _Export) -> HTTPRouteHandler:
    """`GET /exports/{kind}.csv`: the export of one kind, streamed (or capped on Lambda)."""

    async def handler(
        self: Controller, request: Request[Any, Any, Any], rows: NamedDependency[QueryString]
    ) -> Response[Any]:
        return await _download(request, export.kind, stream_csv(export.columns, rows))

    # The operation id is built from the name: ApiExportsInvoicesCsvExportInvoices.
    handler.__name__ = handler.__qualname__ = f"export_{export.kind}"
    return get(
        f"/{export.kind}.csv",
        summary=export.summary,
        responses=_csv_response(export.kind),
        opt={"no_compression": True},
        dependencies={"rows": Provide(export.rows)},
    )(handler)


class ExportController(Controller):
    path = "/exports"
    tags = ["exports"]

    export_invoices = _export_route(
        _Export(
            "invoices",
            "Every invoice matching the list's search, newest first, as CSV",
            INVOICE_COLUMNS,
            _invoice_rows,
        )
    )
    export_customers = _export_route(
        _Export(
            "customers",
            "Every customer matching the list's search, by name, with totals, as CSV",
            CUSTOMER_COLUMNS,
            _customer_rows,
        )
    )


def lambda_size(chunk: bytes) -> int:
    """The bytes `chunk` takes in the JSON answer the Lambda runtime sends (a CSV's line ends
    and quotes count twice)."""
    short = sum(chunk.count(c) for c in _SHORT_ESCAPES)
    long = len(chunk) - len(chunk.translate(None, _LONG_ESCAPES))
    return len(chunk) + short + 5 * long


async def _download(
    request: Request[Any, Any, Any],
    kind: str,
    chunks: AsyncIterator[bytes],
) -> Response[Any]:
    settings = app_settings(request)
    today = dt.datetime.now(settings.zone).date()
    headers = {"Content-Disposition": f'attachment; filename="{file_name(kind, today)}"'}
    if settings.lambda_function:
        message = TOO_LARGE.format(kind=kind)
        body = await collect(chunks, LAMBDA_EXPORT_LIMIT, message, lambda_size)
        return Response(body, media_type=CSV, headers=headers)
    return Stream(chunks, media_type=CSV, headers=headers)
