"""What the customer search box means (PRODUCT.md §3), as data; the SQL is in repository.py.

A customer matches when the text is in the name or the email, ignoring case. The database keeps
`search_key` = lower(name) || U+001F || lower(email) (a generated column with a trigram index),
so the test is one LIKE on one indexed column. ILIKE lower-cases both sides the same way, so this
is the same rule; U+001F cannot be typed into a search box, so no match spans name and email.
"""

from __future__ import annotations

from dataclasses import dataclass

from src.domain.sql import contains_pattern, search_text

# Trigram indexes serve substrings of three characters or more; shorter ones read customers
# one by one, so their totals stop counting sooner.
TRIGRAM = 3


@dataclass(frozen=True)
class CustomerQuery:
    text: str  # the query without surrounding blanks; "" matches every customer
    pattern: str  # a LIKE pattern: the text anywhere, its wildcards taken literally

    @property
    def everything(self) -> bool:
        return self.text == ""

    @property
    def short(self) -> bool:
        return len(self.text) < TRIGRAM


def parse_customer_query(query: str) -> CustomerQuery:
    text = search_text(query)
    return CustomerQuery(text=text, pattern=contains_pattern(text))
