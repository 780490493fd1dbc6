"""Rules the database enforces (see the migrations), for code that checks them first to answer
with a readable message, and the rules of values the API accepts."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import unquote, urlsplit

# Control characters (C0, DEL, C1): in no address, name or search.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"
# The bidirectional embeddings, overrides and isolates, which make "\u202eevil.exe" read as
# "exe.live" wherever it is shown.
DIRECTION_CHARACTERS = r"\u202a-\u202e\u2066-\u2069"
# Characters that show as nothing (soft hyphen, zero-width space and joiners, direction marks,
# word joiner, BOM): "rab\u200bbit.com" reads as rabbit.com.
INVISIBLE_CHARACTERS = r"\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
# No spaces and no control, direction or invisible characters anywhere in an email address, and
# a domain of non-empty labels (no "..", no final dot: "a@b.com." is a second spelling of
# "a@b.com").
_NOT_IN_EMAILS = rf"@\s{CONTROL_CHARACTERS}{DIRECTION_CHARACTERS}{INVISIBLE_CHARACTERS}"
EMAIL_PATTERN = rf"^[^{_NOT_IN_EMAILS}]+@(?:[^.{_NOT_IN_EMAILS}]+\.)+[^.{_NOT_IN_EMAILS}]+$"
NO_NUL_PATTERN = r"^[^\x00]*$"  # text columns cannot hold NUL characters
# Characters no name may hold: control characters (C0, DEL, C1: a NUL the database refuses, a
# line break that splits a statement's or a CSV's line, a bell) and the direction characters.
# (Zero-width joiners stay: emoji such as 👩‍💻 are made with them.)
NOT_IN_NAMES = rf"{CONTROL_CHARACTERS}{DIRECTION_CHARACTERS}"
# A name: at least one visible character, none of the above.
NAME_PATTERN = rf"^[^{NOT_IN_NAMES}]*[^\s{NOT_IN_NAMES}][^{NOT_IN_NAMES}]*$"
NAME_RULE = "not only spaces, on one line, without control or text-direction characters"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # revenue.month, YYYY-MM
MAX_INT4 = 2**31 - 1  # the largest value of an integer column (amounts, revenue)

MIXED_SCRIPTS = (
    "This address mixes alphabets in its domain (such as a Cyrillic letter among Latin ones),"
    " as look-alike addresses do: please type it again."
)
# Alphabets with letters that look alike (Latin a, Cyrillic a and Greek alpha; o and omicron).
LOOK_ALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}


def email_problem(email: str) -> str | None:
    """A domain label mixing Latin, Cyrillic and Greek letters ("rabbit" with a Cyrillic a) is
    refused: it reads as another, real domain. A label in one alphabet, accents included
    ("bücher", "пример"), is an ordinary international domain; full-width letters count as the
    plain ones (they compare equal, see users.email.email_key)."""
    domain = unicodedata.normalize("NFKC", email.rpartition("@")[2])
    for label in domain.split("."):
        scripts = {unicodedata.name(c, "?").split()[0] for c in label if c.isalpha()}
        if len(scripts & LOOK_ALIKE_SCRIPTS) > 1:
            return MIXED_SCRIPTS
    return None


# A picture of a customer is a path on this site (`/customers/amy-burns.png`): one leading slash
# (`//host` and `/\host` are other sites to a browser), then plain URL path characters only — no
# backslash, space, control character or quote that a browser might read differently.
SAME_SITE_IMAGE_PATTERN = r"^/[A-Za-z0-9._~%+-][A-Za-z0-9._~%+/-]*$"
_SAME_SITE_IMAGE = re.compile(SAME_SITE_IMAGE_PATTERN)
_URL_PATH = re.compile(r"^[A-Za-z0-9._~%+/-]*$")
IMAGE_URL_RULE = "a path on this site such as /customers/amy-burns.png"


def _dot_segments(value: str) -> bool:
    """A "." or ".." path segment (also spelt %2e): the address names another place than it
    reads as (/customers/../../etc/passwd)."""
    path = urlsplit(value).path if value.startswith("https://") else value
    return any(part in (".", "..") for part in unquote(path).split("/"))


def image_url_problem(value: str, allowed_hosts: tuple[str, ...] = ()) -> str | None:
    """Why `value` is not an acceptable customer picture, or None when it is.

    Accepted: a same-site path, or `https://HOST/path` for a HOST in `allowed_hosts` (exactly,
    case-insensitively; no user name, no port unless listed). Everything else — other sites,
    protocol-relative `//host`, `/\\host`, `javascript:`, `data:` — is refused."""
    rule = IMAGE_URL_RULE
    if _dot_segments(value):
        return f"imageUrl must be {rule}, without . or .. in it."
    if _SAME_SITE_IMAGE.fullmatch(value):
        return None
    if allowed_hosts:
        rule += f" or an https:// address on {', '.join(allowed_hosts)}"
    if allowed_hosts and value.startswith("https://"):
        parts = urlsplit(value)
        hosts = {h.lower() for h in allowed_hosts}
        if (
            parts.scheme == "https"
            and "@" not in parts.netloc
            and parts.netloc.lower() in hosts
            and _URL_PATH.fullmatch(parts.path)
            and not parts.query
            and not parts.fragment
        ):
            return None
    return f"imageUrl must be {rule}."


# Invoice dates: a business range, also a CHECK on invoices.date (migration 2026-11-28T11:00).
# Outside it a date is a typing mistake, and the date search stays a fixed, small calendar.
FIRST_INVOICE_DATE = dt.date(1970, 1, 1)
LAST_INVOICE_DATE = dt.date(2099, 12, 31)
INVOICE_DATE_RULE = (
    f"Enter a date between {FIRST_INVOICE_DATE.isoformat()} and {LAST_INVOICE_DATE.isoformat()}."
)


# Payment terms where none are given: the database's default (its insert trigger) and that of
# writes outside the API (imports, seeds). The API's own default is PAYMENT_TERMS_DAYS (settings).
DEFAULT_TERMS = 30


def due_after(date: dt.date, days: int) -> dt.date:
    """The due date of payment terms of `days` from `date`: at most the range's last day, never
    before the date (the database's default, migration 2026-12-01T09:00, does the same)."""
    return max(date, min(date + dt.timedelta(days=days), LAST_INVOICE_DATE))


def invoice_date_ok(date: dt.date) -> bool:
    return FIRST_INVOICE_DATE <= date <= LAST_INVOICE_DATE
