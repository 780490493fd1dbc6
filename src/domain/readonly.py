"""Columns that only the database writes, declared on the Piccolo tables all the same."""

from __future__ import annotations

from piccolo.columns import Column
from piccolo.table import Table


def kept_by_database(table: type[Table], *columns: Column) -> None:
    """Declare columns that only the database writes (generated columns, trigger-kept counts).

    They stay on the class, so `tables.py` reads as the schema and queries can name them, but
    Piccolo leaves them out of its column lists: its INSERT or UPDATE of a row never writes them
    (a generated column refuses any value), the back office's forms do not offer them, and
    `piccolo migrations new --auto` does not see them (the SQL migrations create them)."""
    meta = table._meta
    for kept in (meta.columns, meta.default_columns, meta.non_default_columns):
        # By identity: a Column's `==` builds a WHERE clause.
        kept[:] = [c for c in kept if all(c is not column for column in columns)]
