from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from src.domain.invoices.search import parse_query
from src.domain.sql import escape_like, fetch_one


async def test_like_escaping_matches_only_the_literal_text(db: None) -> None:
    for text in ["%", "_", "\\", "a%b_c\\d", "100%", "%_%"]:
        row = await fetch_one(
            "SELECT {} LIKE {} ESCAPE '\\' AS same, 'xyz' LIKE {} ESCAPE '\\' AS other",
            text,
            f"%{escape_like(text)}%",
            f"%{escape_like(text)}%",
        )
        assert row == {"same": True, "other": False}, text


@given(st.text(max_size=30))
def test_escaped_pattern_has_no_bare_wildcards(text: str) -> None:
    escaped = escape_like(text)
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in "\\%_"
            i += 2
            continue
        assert escaped[i] not in "%_"
        i += 1


def test_query_parts() -> None:
    q = parse_query("  Paid ")
    assert q.statuses == ("paid",) and q.cents_pattern is None and q.dollar_cents is None
    assert parse_query("pa").statuses == ("paid",)
    assert parse_query("p").statuses == ("pending", "paid")
    assert parse_query("157").cents_pattern == "%157%" and parse_query("157").dollar_cents == 15700
    assert parse_query("157.95").dollar_cents == 15795
    assert parse_query("2022-03").date_pattern == "%2022-03%"
    assert parse_query("").everything
