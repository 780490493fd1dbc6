"""Reading an uploaded CSV into records with their line numbers, turning every way a file can
be broken (not UTF-8, a broken quote, a wrong number of values, an empty line, a byte-order mark
inside the data) into a row error instead of an exception."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

BOM = "\ufeff"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the header of the failing value; "" for the whole line
    message: str


# Problems kept in memory (all are counted): a file of a million bad lines stays a few MB.
KEPT_PROBLEMS = 10_000


@dataclass
class Problems:
    kept: list[RowError] = field(default_factory=list)
    count: int = 0
    lines: set[int] = field(default_factory=set)

    def add(self, error: RowError) -> None:
        self.count += 1
        self.lines.add(error.line)
        if len(self.kept) < KEPT_PROBLEMS:
            self.kept.append(error)

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Record:
    line: int
    values: dict[str, str]


@dataclass
class CsvReader:
    """Yields records keyed by header; every problem is added to `errors` (and reading goes on
    wherever the rest of the file can still be understood)."""

    chunks: Iterable[bytes]
    known: tuple[str, ...]  # the columns a file may have, in export order
    required: tuple[str, ...]
    errors: Problems = field(default_factory=Problems)
    bytes_read: int = 0
    header: tuple[str, ...] = ()

    def _lines(self) -> Iterator[str]:
        """Physical lines, decoded; a line that is not UTF-8 is an error (read as best we can)."""
        number = 0
        rest = b""
        for chunk in self.chunks:
            self.bytes_read += len(chunk)
            rest += chunk
            *whole, rest = rest.split(b"\n")
            for raw in whole:
                number += 1
                yield self._decode(raw + b"\n", number)
        if rest:
            yield self._decode(rest, number + 1)

    def _decode(self, raw: bytes, number: int) -> str:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start]
            self.errors.add(
                RowError(
                    number,
                    "",
                    f"This line is not UTF-8 text (byte 0x{bad:02X} at position {exc.start + 1})."
                    " Save the file as CSV UTF-8 and try again.",
                )
            )
            text = raw.decode("utf-8", errors="replace")
        if number == 1 and text.startswith(BOM):
            # Spreadsheets save "CSV UTF-8" with a byte-order mark first: it is not data.
            text = text[1:]
        return text

    def records(self) -> Iterator[Record]:
        reader = csv.reader(self._lines(), strict=True)
        try:
            names = next(reader, None)
        except csv.Error as exc:
            self.errors.add(RowError(1, "", f"The header line is broken CSV ({exc})."))
            return
        if names is None:
            self.errors.add(RowError(1, "", f"The file is empty. {self._expected()}"))
            return
        if not self._read_header(names):
            return
        width = len(self.header)
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.errors.add(
                    RowError(
                        line,
                        "",
                        f"Broken CSV from this line on ({exc}): check its quotes, a value with a"
                        " comma, quote or line break must be in double quotes, and a quote inside"
                        ' it doubled (""). The rest of the file was not read.',
                    )
                )
                return
            if not values or (values == [""] and width > 1):
                self.errors.add(RowError(line, "", "Empty line: remove it."))
                continue
            if len(values) != width:
                self.errors.add(
                    RowError(
                        line,
                        "",
                        f"Expected {width} values ({', '.join(self.header)}), found {len(values)}."
                        " A value with a comma must be in double quotes.",
                    )
                )
                continue
            yield Record(line, dict(zip(self.header, values, strict=True)))

    def _expected(self) -> str:
        return f"The first line must name the columns: {', '.join(self.known)}."

    def _read_header(self, names: list[str]) -> bool:
        header = tuple(n.strip().lower().replace(" ", "_") for n in names)
        errors: list[RowError] = []
        for name in header:
            if name not in self.known:
                shown = name if len(name) <= 40 else name[:40] + "…"
                errors.append(RowError(1, shown, f"Unknown column {shown!r}. {self._expected()}"))
        for name in {n for n in header if header.count(n) > 1}:
            errors.append(RowError(1, name, f"The column {name!r} appears more than once."))
        for name in self.required:
            if name not in header:
                errors.append(RowError(1, name, f"Missing column {name!r}. {self._expected()}"))
        for error in errors:
            self.errors.add(error)
        self.header = header
        return not errors
