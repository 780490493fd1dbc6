"""Unpaid money due before a day, from the kept totals (the overview and `status=overdue`).

`invoice_open_due` keeps the unpaid invoices and money per due date, `invoice_open_due_months`
the same per month of due date (migrations 2026-11-28T15:00 and 2026-11-29T09:00): what is due
before a day is the months before its month plus its month's days before it, a few hundred rows
whatever the span of due dates."""

from __future__ import annotations

import datetime as dt

from piccolo.querystring import QueryString

from src.domain.sql import q


def due_before(day: dt.date) -> QueryString:
    """One row: `n` unpaid invoices holding `cents` due before `day`."""
    month = day.replace(day=1)
    return q(
        """
    SELECT coalesce(sum(x.n), 0) AS n, coalesce(sum(x.cents), 0) AS cents FROM (
      SELECT open_count AS n, balance_cents AS cents FROM invoice_open_due_months
       WHERE month < {}
      UNION ALL
      SELECT open_count, balance_cents FROM invoice_open_due
       WHERE due_date >= {} AND due_date < {}) x""",
        month,
        month,
        day,
    )
