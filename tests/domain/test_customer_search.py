"""Every query path of the customer search against a brute-force reading of the rule:
the query is a case-insensitive substring of the name or the email; name order; exact totals."""

from __future__ import annotations

import pytest

from src.domain.customers import repository
from src.domain.customers.repository import CustomerRepository
from src.domain.sql import fetch

QUERIES = ["", "a", "an", "ROB", "@", ".com", "oliveira", "zz", "%", "_"]


async def _oracle(query: str) -> list[tuple[str, str]]:
    """(name, id) of every matching customer, in the list's order."""
    text = query.strip().lower()
    rows = await fetch("SELECT id, name, email FROM customers ORDER BY name, id")
    return [
        (r["name"], str(r["id"]))
        for r in rows
        if text in r["name"].lower() or text in r["email"].lower()
    ]


async def _many_customers(count: int) -> None:
    await fetch(
        "INSERT INTO customers (id, name, email, email_key, created_at, updated_at)"
        " SELECT gen_random_uuid(), 'Ann ' || lpad(n::text, 3, '0'), 'ann' || n || '@example.com',"
        " 'ann' || n || '@example.com', now(), now() FROM generate_series(1, {}) n",
        count,
    )


@pytest.mark.parametrize("query", QUERIES)
async def test_every_query_matches_the_rule(db: None, query: str) -> None:
    await _many_customers(9)
    expected = await _oracle(query)
    repo = CustomerRepository()
    seen: list[tuple[str, str]] = []
    for number in range(1, 5):
        page = await repo.search(query, number, 4)
        assert page.total == len(expected) and not page.total_is_capped
        assert page.total_pages == -(-len(expected) // 4)
        seen += [(c.name, str(c.id)) for c in page.items]
    assert seen == expected[:16]


async def test_a_page_past_the_last_still_has_the_total(db: None) -> None:
    page = await CustomerRepository().search("lee", 9, 6)
    assert page.items == [] and page.total == 1 and page.total_pages == 1


async def test_broad_totals_are_capped_and_pages_still_in_name_order(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _many_customers(12)
    monkeypatch.setattr(repository, "COUNT_CAP", 5)
    expected = await _oracle("ann")
    repo = CustomerRepository()
    first, second = await repo.search("ann", 1, 4), await repo.search("ann", 2, 4)
    assert first.total_is_capped and first.total == 5
    assert [(c.name, str(c.id)) for c in first.items + second.items] == expected[:8]
    # The totals of a capped page are each customer's own.
    assert all(c.invoice_count == 0 for c in first.items)
