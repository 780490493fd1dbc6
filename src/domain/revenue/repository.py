from __future__ import annotations

import msgspec

from src.domain.sql import fetch

MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class RevenueMonth(msgspec.Struct, rename="camel", frozen=True):
    month: str
    label: str
    revenue: int


class RevenueRepository:
    async def last_months(self, count: int = 12) -> list[RevenueMonth]:
        rows = await fetch("SELECT month, revenue FROM revenue ORDER BY month DESC LIMIT {}", count)
        return [
            RevenueMonth(
                month=row["month"],
                label=MONTH_LABELS[int(row["month"][5:7]) - 1],
                revenue=row["revenue"],
            )
            for row in reversed(rows)
        ]
