"""The one normal form of an email address, for every comparison of emails.

Login lookup, the users' and the customers' uniqueness (their `email_key` columns and unique
indexes), the login throttle's key, the staff accounts' uniqueness, CSV imports (duplicates in a
file, an invoice's customer by email) and the back office's checks all compare `email_key(...)`.
It is computed here, in Python, and stored: PostgreSQL's `lower()` depends on the server's
locale and disagrees with Python on characters such as U+0130 (İ), so the database never
re-derives it.
"""

from __future__ import annotations

import unicodedata


def email_key(email: str) -> str:
    """NFKC, then Unicode case folding, then NFKC again (folding can un-normalise a string);
    surrounding white space does not count. Full-width and compatibility forms compare equal
    to their plain forms; `İ` folds to `i̇` (i + combining dot), which is not `i`."""
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)
