"""CSV imports of customers and invoices: every row is checked (in the file and against the
database) and either all rows are written in one transaction or none.

Rows are read and checked in batches as the file streams in, so a file of any size goes
through in flat memory (the CLI streams from disk; the API reads at most 5 MB). Batches are
written with COPY as they pass, and the transaction is rolled back if any row fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

from src.db import DB
from src.domain.csvio.columns import CUSTOMER_COLUMNS, INVOICE_COLUMNS
from src.domain.csvio.paid import invoice_id, part_payment, write_payments
from src.domain.csvio.reader import CsvReader, Problems, Record
from src.domain.csvio.row_checks import RowChecks, shown
from src.domain.customers.repository import EMAIL_TAKEN
from src.domain.errors import ConflictError, RowsRejectedError
from src.domain.sql import ForeignKeyViolation, UniqueViolation, atomic
from src.domain.users.email import email_key

Kind = Literal["customers", "invoices"]
BATCH_ROWS = 5_000
# A batch's COPY fires the tables' triggers row by row: on a busy machine it can outlast the
# connection's command_timeout (10 s, for single queries). In a request the pool's
# statement_timeout still bounds it.
COPY_TIMEOUT = 600.0
# The answer lists this many failing rows at most (and counts them all).
MAX_LISTED_ERRORS = 1_000
# A rule the database enforces (CHECK customers_email_format), tested by the database itself.
_EMAIL_CHECK = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Progress = Callable[[int], None]


class ImportErrorOut(msgspec.Struct, rename="camel", frozen=True):
    message: str
    # The column again, under the name every other 400 answer uses for it (or the query
    # parameter, such as `dryRun`, when the request itself is refused: then no line or column).
    field: str
    line: int | None = None
    column: str | None = None


class ImportReport(msgspec.Struct, rename="camel", frozen=True):
    detail: str
    kind: str
    dry_run: bool
    rows: int  # data rows in the file
    imported: int  # rows written (0 for a dry run or when any row fails)
    error_count: int
    errors: list[ImportErrorOut]


REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("name", "email"),
    "invoices": ("date", "customer_email", "amount", "status"),
}
KNOWN: dict[str, tuple[str, ...]] = {
    "customers": tuple(c.header for c in CUSTOMER_COLUMNS),
    "invoices": tuple(c.header for c in INVOICE_COLUMNS),
}


class _Rollback(Exception):
    pass


@dataclass
class _Importer:
    kind: Kind
    write: bool
    reader: CsvReader
    rows: int = 0
    written: int = 0
    batch: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    seen_emails: dict[str, int] = field(default_factory=dict)  # email_key -> first line
    payments: list[tuple[Any, ...]] = field(default_factory=list)  # the batch's part payments

    def __post_init__(self) -> None:
        self.checks = RowChecks(self.kind, self.reader.errors)

    @property
    def errors(self) -> Problems:
        return self.reader.errors

    def fail(self, line: int, column: str, message: str) -> None:
        self.checks.fail(line, column, message)

    async def add(self, record: Record, connection: Any) -> None:
        self.rows += 1
        values = self.checks.check(record)
        if values is not None:
            self.batch.append((record.line, values))
        if len(self.batch) >= BATCH_ROWS:
            await self.flush(connection)

    async def flush(self, connection: Any) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        columns: tuple[str, ...]
        if self.kind == "customers":
            records = await self._customer_records(batch, connection)
            # id, created_at and updated_at come from the columns' defaults.
            table, columns = "customers", ("name", "email", "email_key")
        else:
            records = await self._invoice_records(batch, connection)
            table = "invoices"
            columns = ("id", "customer_id", "amount", "status", "date")
        payments, self.payments = self.payments, []
        if self.write and not self.errors:
            await connection.copy_records_to_table(
                table, records=records, columns=columns, timeout=COPY_TIMEOUT
            )
            await write_payments(connection, payments, COPY_TIMEOUT)
            self.written += len(records)

    async def _customer_records(
        self, batch: list[tuple[int, dict[str, Any]]], connection: Any
    ) -> list[tuple[Any, ...]]:
        # Emails compare by their email_key, in the file and against the table's unique key.
        keys = [email_key(values["email"]) for _, values in batch]
        found = await connection.fetch(
            "SELECT e ~ $3 AS valid,"
            " EXISTS (SELECT 1 FROM customers c WHERE c.email_key = k) AS taken"
            " FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(e, k, n) ORDER BY n",
            [values["email"] for _, values in batch],
            keys,
            _EMAIL_CHECK,
        )
        records = []
        for (line, values), key, row in zip(batch, keys, found, strict=True):
            if not row["valid"]:
                self.fail(line, "email", f"{shown(values['email'])} is not a valid email address.")
            elif key in self.seen_emails:
                first = self.seen_emails[key]
                self.fail(line, "email", f"The same email as line {first} (emails are unique).")
            elif row["taken"]:
                self.fail(line, "email", EMAIL_TAKEN)
            else:
                self.seen_emails[key] = line
                records.append((values["name"], values["email"], key))
        return records

    async def _invoice_records(
        self, batch: list[tuple[int, dict[str, Any]]], connection: Any
    ) -> list[tuple[Any, ...]]:
        # FOR KEY SHARE: a customer found here cannot be deleted before the import commits.
        found = await connection.fetch(
            "SELECT c.id FROM unnest($1::text[]) WITH ORDINALITY AS t(e, n)"
            " LEFT JOIN LATERAL (SELECT id FROM customers WHERE email_key = t.e"
            "                    FOR KEY SHARE) c ON TRUE ORDER BY t.n",
            [email_key(values["email"]) for _, values in batch],
        )
        records = []
        for (line, values), row in zip(batch, found, strict=True):
            if row["id"] is None:
                self.fail(
                    line,
                    "customer_email",
                    f"No customer has the email {shown(values['email'])}:"
                    " import or create the customer first.",
                )
                continue
            invoice = invoice_id()
            records.append((invoice, row["id"], values["amount"], values["status"], values["date"]))
            if payment := part_payment(invoice, values):
                self.payments.append(payment)
        return records


def _report(importer: _Importer, dry_run: bool) -> ImportReport:
    problems = importer.errors
    errors = sorted(problems.kept, key=lambda e: e.line)
    noun = importer.kind if importer.rows != 1 else importer.kind[:-1]
    if problems:
        failing = len(problems.lines)
        detail = (
            f"{failing:,} line{'s' if failing != 1 else ''} of the file failed; nothing was"
            f" imported. Fix {'them' if failing != 1 else 'it'} and try again."
        )
    elif dry_run:
        detail = f"{importer.rows:,} {noun} ready to import."
    else:
        detail = f"Imported {importer.written:,} {noun}."
    return ImportReport(
        detail=detail,
        kind=importer.kind,
        dry_run=dry_run,
        rows=importer.rows,
        imported=0 if problems or dry_run else importer.written,
        error_count=problems.count,
        errors=[
            ImportErrorOut(line=e.line, column=e.column, message=e.message, field=e.column)
            for e in errors[:MAX_LISTED_ERRORS]
        ],
    )


async def import_csv(
    kind: Kind, chunks: Iterable[bytes], dry_run: bool, progress: Progress | None = None
) -> ImportReport:
    """Check every row of the CSV in `chunks` and, unless `dry_run`, write them all in one
    transaction; RowsRejectedError (with the report) when any row fails."""
    reader = CsvReader(chunks, KNOWN[kind], REQUIRED[kind])
    importer = _Importer(kind, write=not dry_run, reader=reader)
    try:
        async with atomic():
            transaction = DB.current_transaction.get()
            assert transaction is not None
            connection = transaction.connection
            done = 0
            for record in reader.records():
                await importer.add(record, connection)
                if progress and reader.bytes_read != done and not importer.batch:
                    progress(reader.bytes_read - done)
                    done = reader.bytes_read
            await importer.flush(connection)
            if progress and reader.bytes_read != done:
                progress(reader.bytes_read - done)
            if dry_run or importer.errors:
                raise _Rollback
    except _Rollback:
        pass
    except UniqueViolation:
        raise ConflictError(
            "Someone added a customer with one of these emails while the file was imported;"
            " nothing was imported. Run the import again to see which rows."
        ) from None
    except ForeignKeyViolation:
        raise ConflictError(
            "A customer of this file was deleted while it was imported; nothing was imported."
            " Run the import again to see which rows."
        ) from None
    report = _report(importer, dry_run)
    if report.error_count:
        raise RowsRejectedError(report.detail, report)
    return report
