"""CSV uploads of customers and invoices (`text/csv`; `?dryRun=true` only checks them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, post
from litestar.exceptions import HTTPException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_413_REQUEST_ENTITY_TOO_LARGE

from src.domain.csvio.imports import ImportErrorOut, ImportReport, Kind, import_csv
from src.domain.errors import TooLargeError
from src.http.openapi import ErrorOut, errors

# Bigger files go through the command line, which streams them from disk.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
TOO_LARGE = (
    "The file is larger than 5 MB. Import it from the command line instead:"
    " make import ARGS='{kind} FILE'."
)

DryRun = Annotated[
    bool,
    QueryParameter(name="dryRun", description="Only check the rows; write nothing"),
]


@dataclass
class CsvUpload(Operation):
    """The operation as documented: its body is the CSV file itself (read by the handler)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={"text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))},
            description="UTF-8 CSV with a header row: the same columns as the export",
            required=True,
        )


class ImportRefusedOut(msgspec.Struct, rename="camel", frozen=True):
    """A 400 of an import: the report when rows failed (every field), or, when the request itself
    is refused (a bad `dryRun`), `detail` and `errors` alone, as every other 400."""

    detail: str
    errors: list[ImportErrorOut]
    kind: str | None = None
    dry_run: bool | None = None
    rows: int | None = None
    imported: int | None = None
    error_count: int | None = None


def _responses() -> dict[int, ResponseSpec]:
    return {
        **errors(),
        400: ResponseSpec(
            data_container=ImportRefusedOut,
            description="Rows failed (every failing line, its column and a message); nothing"
            " was written",
        ),
        409: ResponseSpec(
            data_container=ErrorOut,
            description="Another write added one of the file's emails meanwhile; try again",
        ),
        413: ResponseSpec(data_container=ErrorOut, description="The file is over 5 MB"),
    }


class ImportController(Controller):
    path = "/imports"
    tags = ["imports"]
    request_max_body_size = MAX_IMPORT_BYTES

    @post(
        "/customers",
        status_code=HTTP_200_OK,
        summary="Import customers from CSV (name, email); all rows or none",
        operation_class=CsvUpload,
        responses=_responses(),
    )
    async def import_customers(
        self, request: Request[Any, Any, Any], dry_run: DryRun = False
    ) -> ImportReport:
        return await _import(request, "customers", dry_run)

    @post(
        "/invoices",
        status_code=HTTP_200_OK,
        summary="Import invoices from CSV (date, customer_email, amount, status); all or none",
        operation_class=CsvUpload,
        responses=_responses(),
    )
    async def import_invoices(
        self, request: Request[Any, Any, Any], dry_run: DryRun = False
    ) -> ImportReport:
        return await _import(request, "invoices", dry_run)


async def _import(request: Request[Any, Any, Any], kind: Kind, dry_run: bool) -> ImportReport:
    try:
        body = await request.body()
    except HTTPException as exc:
        if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
            raise TooLargeError(TOO_LARGE.format(kind=kind)) from None
        raise
    return await import_csv(kind, [body], dry_run)
