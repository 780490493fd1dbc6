"""Reading the audit trail (one row's history, in words a person reads) and pruning it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

import msgspec

from src.domain.errors import NotFoundError
from src.domain.money import format_cents
from src.domain.pagination import offset, total_pages
from src.domain.sql import fetch, fetch_one


class ActorOut(msgspec.Struct, rename="camel", frozen=True):
    kind: str
    id: str | None
    name: str


class FieldChange(msgspec.Struct, rename="camel", frozen=True):
    field: str
    label: str
    # As the screens show them: "$12.50", "Paid", "Nov 26, 2026", a customer's name. None for a
    # secret (the password) and for the side that did not exist (before a create).
    before: str | None
    after: str | None
    # "changed the amount from $12.50 to $15.00", "changed the password"
    text: str


class HistoryEntry(msgspec.Struct, rename="camel", frozen=True):
    id: int
    at: dt.datetime
    actor: ActorOut
    action: str
    # What the actor did, to follow their name: "changed the amount from $12.50 to $15.00".
    summary: str
    changes: list[FieldChange]


class HistoryPage(msgspec.Struct, rename="camel", frozen=True):
    items: list[HistoryEntry]
    page: int
    page_size: int
    total: int
    total_pages: int


Formatter = Callable[[Any, dict[str, str]], str]


def _text(value: Any, _: dict[str, str]) -> str:
    return "none" if value is None or value == "" else str(value)


def _money(value: Any, _: dict[str, str]) -> str:
    return format_cents(int(value)) if isinstance(value, int) else _text(value, _)


def _status(value: Any, _: dict[str, str]) -> str:
    return str(value).capitalize() if value else "none"


def _date(value: Any, _: dict[str, str]) -> str:
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return _text(value, _)
    return f"{day:%b} {day.day}, {day.year}"


def _customer(value: Any, names: dict[str, str]) -> str:
    return names.get(str(value), "a deleted customer") if value else "none"


# Per table: column -> (API field name, label, formatter). Columns not listed are shown as text.
_FIELDS: dict[str, dict[str, tuple[str, str, Formatter]]] = {
    "invoices": {
        "customer_id": ("customerId", "customer", _customer),
        "amount": ("amount", "amount", _money),
        "status": ("status", "status", _status),
        "date": ("date", "date", _date),
        "due_date": ("dueDate", "due date", _date),
        "amount_paid": ("amountPaid", "amount paid", _money),
    },
    "customers": {
        "name": ("name", "name", _text),
        "email": ("email", "email", _text),
        "image_url": ("imageUrl", "picture", _text),
    },
    "payments": {
        "amount": ("amount", "amount", _money),
        "date": ("date", "date", _date),
        "method": ("method", "method", _text),
        "note": ("note", "note", _text),
        "void_reason": ("voidReason", "void reason", _text),
    },
    "users": {
        "name": ("name", "name", _text),
        "email": ("email", "email", _text),
        "password": ("password", "password", _text),
    },
}
_NOUN = {"invoices": "invoice", "customers": "customer", "users": "user", "payments": "payment"}


def per_field(changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The stored shape ({"before": {...}, "after": {...}, "changed": [secret columns]}) as one
    entry per field: {"amount": {"before": 1250, "after": 1500}, "password": {"changed": True}}."""
    before = changes.get("before") or {}
    after = changes.get("after") or {}
    fields: dict[str, dict[str, Any]] = {
        column: {"before": before.get(column), "after": after.get(column)}
        for column in [*before, *(c for c in after if c not in before)]
    }
    for column in changes.get("changed") or []:
        fields[column] = {"changed": True}
    return fields


def _camel(column: str) -> str:
    head, *rest = column.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _change(table: str, column: str, change: dict[str, Any], names: dict[str, str]) -> FieldChange:
    field, label, fmt = _FIELDS.get(table, {}).get(column, (_camel(column), column, _text))
    label = label.replace("_", " ")
    if "before" not in change:  # a secret: only that it changed
        return FieldChange(field, label, None, None, f"changed the {label}")
    before, after = change.get("before"), change.get("after")
    return FieldChange(
        field=field,
        label=label,
        before=fmt(before, names),
        after=fmt(after, names),
        text=f"changed the {label} from {fmt(before, names)} to {fmt(after, names)}",
    )


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _summary(table: str, action: str, changes: list[FieldChange]) -> str:
    noun = _NOUN.get(table, "row")
    if action == "created":
        return f"created the {noun}"
    if action == "deleted":
        return f"deleted the {noun}"
    texts = [c.text for c in changes]
    # "changed the amount from $1.00 to $2.00 and the status from Pending to Paid"
    return _join(texts[:1] + [t.removeprefix("changed ") for t in texts[1:]])


async def _customer_names(rows: list[dict[str, Any]]) -> dict[str, str]:
    ids: set[UUID] = set()
    for row in rows:
        change = row["changes"].get("customer_id") or {}
        for side in ("before", "after"):
            with contextlib.suppress(ValueError):
                ids.add(UUID(str(change.get(side))))
    if not ids:
        return {}
    found = await fetch("SELECT id, name FROM customers WHERE id = ANY({})", list(ids))
    return {str(r["id"]): r["name"] for r in found}


class AuditRepository:
    async def history(
        self, table: str, row_id: UUID, page: int, page_size: int, not_found: str
    ) -> HistoryPage:
        """A row's recorded changes, newest first. NotFoundError when the row neither exists
        nor ever did. `table` is the caller's constant, never user input."""
        key = str(row_id)
        rows = await fetch(
            "SELECT id, at, actor_kind, actor_id, actor_name, action, changes,"
            " count(*) OVER () AS total FROM audit_log"
            " WHERE table_name = {} AND row_id = {} ORDER BY id DESC LIMIT {} OFFSET {}",
            table,
            key,
            page_size,
            offset(page, page_size),
        )
        if rows:
            total = int(rows[0]["total"])
        else:
            counted = await fetch_one(
                "SELECT count(*) AS n FROM audit_log WHERE table_name = {} AND row_id = {}",
                table,
                key,
            )
            total = int(counted["n"]) if counted else 0
            exists = await fetch_one(f"SELECT 1 AS found FROM {table} WHERE id = {{}}", row_id)
            if total == 0 and exists is None:
                raise NotFoundError(not_found)
        for row in rows:
            row["changes"] = per_field(msgspec.json.decode(row["changes"]))
        names = await _customer_names(rows) if table == "invoices" else {}
        items = []
        for row in rows:
            # In the order the screens show the fields (jsonb keeps its own order).
            rank = {c: i for i, c in enumerate(_FIELDS.get(table, {}))}
            columns = sorted(row["changes"], key=lambda c: (rank.get(c, len(rank)), c))
            changes = [_change(table, c, row["changes"][c], names) for c in columns]
            if row["action"] != "updated":
                changes = [c for c in changes if c.label != "password"]
            items.append(
                HistoryEntry(
                    id=row["id"],
                    at=row["at"],
                    actor=ActorOut(row["actor_kind"], row["actor_id"], row["actor_name"]),
                    action=row["action"],
                    summary=_summary(table, row["action"], changes),
                    changes=changes,
                )
            )
        return HistoryPage(
            items=items,
            page=page,
            page_size=page_size,
            total=total,
            total_pages=total_pages(total, page_size),
        )

    async def prune(self, keep_days: int) -> int:
        """Remove entries older than `keep_days` days (the only way entries ever go)."""
        row = await fetch_one(
            "SELECT audit_prune(now() - make_interval(days => {})) AS removed", keep_days
        )
        return int(row["removed"]) if row else 0
