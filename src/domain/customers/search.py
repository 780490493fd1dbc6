"""The customer text match, shared by the customers list, the picker and the invoice search.

A customer matches when the text is in the name or the email, ignoring case. The database keeps
`search_key` = lower(name) || U+001F || lower(email) (a generated column with a trigram index),
so the test is one LIKE on one indexed column. ILIKE lower-cases both sides the same way, so this
is the same rule; U+001F cannot be typed into a search box, so no match spans name and email.
"""

from __future__ import annotations


def customer_match(alias: str = "") -> str:
    """SQL true when the customer matches a `contains_pattern` bound to its one `{}`."""
    column = f"{alias}.search_key" if alias else "search_key"
    return f"{column} LIKE lower({{}}) ESCAPE '\\'"
