"""CSV uploads of customers and invoices (`text/csv`; `?dryRun=true` only checks them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, post
from litestar.exceptions import HTTPException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import QueryParameter
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)

from src.domain.csvio.imports import ImportErrorOut, ImportReport, Kind, import_csv
from src.domain.errors import TooLargeError
from src.http.openapi import ErrorOut, errors

# Bigger files go through the command line, which streams them from disk.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
TOO_LARGE = (
    "The file is larger than 5 MB. Import it from the command line instead:"
    " make import ARGS='{kind} FILE'."
)

# The dashboard sends text/csv whatever type the browser gave the picked file (often "" or
# application/vnd.ms-excel for .csv). A cross-site HTML form cannot send text/csv without a
# preflight, and a JSON or form body read as CSV only gives confusing row errors.
CSV_TYPE = "text/csv"
ONLY_CSV = "Send the file as CSV (Content-Type: text/csv)."

DryRun = Annotated[
    bool,
    QueryParameter(name="dryRun", description="Only check the rows; write nothing"),
]


@dataclass
class CsvUpload(Operation):
    """The operation as documented: its body is the CSV file itself (read by the handler)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={CSV_TYPE: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))},
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
        415: ResponseSpec(
            data_container=ErrorOut,
            description="The body is not text/csv",
            generate_examples=False,
        ),
    }


def _import_route(kind: Kind, summary: str) -> HTTPRouteHandler:
    """`POST /imports/{kind}`: the CSV body checked, then written (all rows or none)."""

    async def handler(
        self: Controller, request: Request[Any, Any, Any], dry_run: DryRun = False
    ) -> ImportReport:
        if request.content_type[0] != CSV_TYPE:
            raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=ONLY_CSV)
        try:
            body = await request.body()
        except HTTPException as exc:
            if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
                raise TooLargeError(TOO_LARGE.format(kind=kind)) from None
            raise
        return await import_csv(kind, [body], dry_run)

    # The operation id is built from the name: ApiImportsInvoicesImportInvoices.
    handler.__name__ = handler.__qualname__ = f"import_{kind}"
    return post(
        f"/{kind}",
        status_code=HTTP_200_OK,
        summary=summary,
        operation_class=CsvUpload,
        responses=_responses(),
    )(handler)


class ImportController(Controller):
    path = "/imports"
    tags = ["imports"]
    request_max_body_size = MAX_IMPORT_BYTES

    import_customers = _import_route(
        "customers", "Import customers from CSV (name, email); all rows or none"
    )
    import_invoices = _import_route(
        "invoices",
        "Import invoices from CSV (date, customer_email, amount, status); all or none",
    )
