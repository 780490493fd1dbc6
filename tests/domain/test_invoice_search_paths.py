"""Every query path of the invoice search against a brute-force oracle of PRODUCT.md §3
(tests/domain/invoice_oracle.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from src.domain.invoices import finder, parts
from src.domain.invoices.repository import InvoiceRepository
from src.domain.sql import fetch, fetch_one
from tests.domain.invoice_oracle import oracle as _oracle

QUERIES = ["0", "-0", "5-1", "06", "2023-06", "2022", "1", "12", "a", "e", "pa", "p", "d",
           "157", "15795", "157.95", "$157.95", "lee", "ROB", "@", ".com", "zz", "%", "_", "\\",
           "8,945"]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
async def test_every_path_matches_the_rules(db: None, query: str) -> None:
    expected = await _oracle(query)
    page = await InvoiceRepository().search(query, 1, 100)
    assert [str(i.id) for i in page.items] == expected
    assert page.total == len(expected) and not page.total_is_capped


@pytest.mark.parametrize("query", ["lee", "e", "0", "157"])
async def test_many_matching_customers_become_a_subquery(
    db: None, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "CUSTOMER_ID_LIST", 0)
    page = await InvoiceRepository().search(query, 1, 100)
    assert [str(i.id) for i in page.items] == await _oracle(query)


@pytest.mark.parametrize("query", ["2023-06", "2", "-1", "0"])
async def test_many_matching_days_become_a_subquery(
    db: None, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "DAY_LIST", 0)
    page = await InvoiceRepository().search(query, 1, 100)
    assert [str(i.id) for i in page.items] == await _oracle(query)


@pytest.mark.parametrize("query", ["e", "a", "1", "de", "pa", "dec", "2023", "lee"])
async def test_walks_that_look_up_each_row_match_the_rules(
    db: None, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listed and a tiny cap: every page is a walk testing each row's customer and day.
    for name in ("CUSTOMER_ID_LIST", "DAY_LIST"):
        monkeypatch.setattr(parts, name, 0)
    monkeypatch.setattr(finder, "COUNT_CAP", 2)
    expected = await _oracle(query)
    seen = []
    for number in range(1, 4):
        seen += [str(i.id) for i in (await InvoiceRepository().search(query, number, 3)).items]
    assert seen == expected[:9]


@pytest.mark.parametrize("query", ["157", "15795", "157.95", "95", "lee", "2023-06", "0"])
async def test_kept_pages_collected_far_down_match_the_rules(
    db: None, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No walk: every page of a kept total is collected (cents digits alone: by listed amounts).
    monkeypatch.setattr(finder, "WALK_ROWS", -1)
    listed: list[str] = []
    real = finder.listed_amounts
    monkeypatch.setattr(finder, "listed_amounts", lambda f: listed.append(f.text) or real(f))
    expected = await _oracle(query)
    seen = []
    for number in range(1, 4):
        seen += [str(i.id) for i in (await InvoiceRepository().search(query, number, 2)).items]
    assert seen == expected[:6]
    assert (query in listed) == (query in ("157", "15795"))  # "95": too short to be kept


async def test_broad_totals_are_capped_and_pages_still_right(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finder, "COUNT_CAP", 3)
    # "2" is its dates, its cents digits and customers' emails: counted, up to the cap.
    expected = await _oracle("2")
    page = await InvoiceRepository().search("2", 1, 6)
    assert page.total_is_capped and page.total == 3
    assert [str(i.id) for i in page.items] == expected[:6]
    second = await InvoiceRepository().search("2", 2, 6)
    assert [str(i.id) for i in second.items] == expected[6:12]
    # Status totals and a date's total come from kept counts: exact beyond the cap.
    paid = await InvoiceRepository().search("paid", 1, 6)
    assert paid.total == 8 and not paid.total_is_capped
    year = await InvoiceRepository().search("2023", 1, 6)
    assert year.total == len(await _oracle("2023")) > 3 and not year.total_is_capped


async def test_status_counts_follow_every_write(db: None) -> None:
    repo = InvoiceRepository()
    first = (await repo.search("lee", 1, 6)).items[0]
    created = await repo.create(first.customer_id, 777, "paid", dt.date(2024, 1, 2))
    await repo.update(created.id, {"status": "pending", "amount": 778})
    await repo.delete(first.id)
    await fetch("DELETE FROM customers WHERE email = 'amy@burns.com'")
    row = await fetch_one(
        "SELECT s.paid_count = (SELECT count(*) FROM invoices WHERE status = 'paid')"
        " AND s.pending_count = (SELECT count(*) FROM invoices WHERE status = 'pending')"
        " AS same FROM invoice_summary s"
    )
    assert row == {"same": True}
    assert (await repo.search("pending", 1, 6)).total == await _count("pending")
    assert (await repo.search("paid", 1, 6)).total == await _count("paid")


async def _count(status: str) -> int:
    row = await fetch_one("SELECT count(*) AS n FROM invoices WHERE status = {}", status)
    assert row is not None
    return int(row["n"])


def test_a_walk_hashes_customers_only_when_fewer_than_its_rows() -> None:
    """Customers are hashed when a walk reads more rows than half the matching customers: `a`
    matches nearly every customer (hashing a million took seconds at 10M: a 503), `lee` a few
    percent; without kept counts the sample's share tells how many match."""

    def seen(customer_total: int | None, hits: int | None) -> parts.Probe:
        return parts.Probe(
            invoice_count=10_000_000, customer_count=1_000_000, status_total=0,
            customer_total=customer_total, days=[], cents_total=0,
            sample_hits=hits, sample_size=None if hits is None else 20_000,
        )  # fmt: skip

    everyone, lee = seen(None, 19_800), seen(None, 480)
    assert finder._hashed(everyone, 1_212) == (False, True)  # page 200 of `a`
    assert not finder._hashed(everyone, 400_000)[0] and finder._hashed(everyone, 500_000)[0]
    assert finder._hashed(lee, 13_000)[0] and not finder._hashed(lee, 11_000)[0]  # 24,000
    kept = seen(2_000, None)  # 2,000 invoices of about 200 customers
    assert finder._hashed(kept, 101)[0] and not finder._hashed(kept, 99)[0]
