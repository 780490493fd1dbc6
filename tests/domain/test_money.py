from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from src.domain.money import format_cents, parse_dollars


@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_cents_to_dollars_and_back_is_exact(cents: int) -> None:
    assert parse_dollars(format_cents(cents)) == cents
    assert parse_dollars(format_cents(cents).replace(",", "")) == cents


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_dollar_text_is_exact(dollars: int, cents: int) -> None:
    assert parse_dollars(f"{dollars}.{cents:02d}") == dollars * 100 + cents


def test_known_values() -> None:
    assert parse_dollars("157.95") == 15795  # 157.95 * 100 is 15794.999... as a float
    assert parse_dollars("$1,006.26") == 100626
    assert parse_dollars("12") == 1200
    assert parse_dollars("0.5") == 50
    assert parse_dollars(".05") == 5
    for bad in ["", "abc", "1.234", "1,00.00", "--1", "1e3", "$", "."]:
        assert parse_dollars(bad) is None, bad
    assert format_cents(123456789) == "$1,234,567.89"
    assert format_cents(5) == "$0.05"
