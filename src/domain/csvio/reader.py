"""Reading an uploaded CSV into records with their line numbers, turning every way a file can
be broken (not UTF-8, a broken quote, a wrong number of values, an empty line, a byte-order mark
inside the data) into a row error instead of an exception."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

BOM = "\ufeff"
QUOTES = (
    "check its quotes. A value with a comma, quote or line break must be in double quotes,"
    ' and a quote inside it doubled ("").'
)


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
        """Physical lines, decoded; a line that is not UTF-8 is an error (read as best we can).

        Lines end with LF or CRLF, or, in a file whose first line ends with a lone CR (older Mac
        spreadsheets save CSV so), with CR: those become LF, as universal newlines would."""
        number = 0
        rest = b""
        newline: bytes | None = None
        for chunk in self.chunks:
            self.bytes_read += len(chunk)
            rest += chunk
            newline = newline or _newline(rest, final=False)
            if newline is None:
                continue
            *whole, rest = rest.split(newline)
            for raw in whole:
                number += 1
                yield self._decode(raw + b"\n", number)
        newline = newline or _newline(rest, final=True) or b"\n"
        *whole, rest = rest.split(newline)
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
            self.errors.add(RowError(1, "", _explain(exc)))
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
                        f"{_explain(exc)} The rest of the file was not read.",
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


def _newline(data: bytes, final: bool) -> bytes | None:
    """How the file's lines end, from its first line break: LF (also CRLF) or a lone CR; None
    while `data` cannot tell yet (no line break, or a CR that may be followed by an LF)."""
    lf, cr = data.find(b"\n"), data.find(b"\r")
    if cr == -1 or -1 < lf < cr:
        return b"\n" if lf != -1 or final else None
    if cr + 1 < len(data) or final:
        return b"\n" if data[cr + 1 : cr + 2] == b"\n" else b"\r"
    return None


def _explain(exc: csv.Error) -> str:
    """What the csv module's error means for the person who saved the file (its own wording,
    written for programmers, never reaches them)."""
    text = str(exc)
    if text.startswith("field larger than field limit"):
        return (
            f"A value on this line is longer than {csv.field_size_limit():,} characters. If it"
            " should not be, a double quote before it is never closed."
        )
    if text.startswith("new-line character seen in unquoted field"):
        return (
            "This line has a lone CR (carriage return) where lines of this file end with LF or"
            " CRLF: lines must all end the same way. Save the file as CSV again."
        )
    if text == "unexpected end of data":
        return (
            "Broken CSV: a double quote opened on this line is never closed. A quote inside a"
            ' value must be doubled ("").'
        )
    if text.endswith("expected after '\"'"):
        return (
            "Broken CSV: a closing double quote must be followed by a comma or the end of the"
            ' line. A quote inside a value must be doubled ("").'
        )
    return f"Broken CSV from this line on: {QUOTES}"
