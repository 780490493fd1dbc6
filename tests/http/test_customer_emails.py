"""Customers' emails compare in the one normal form users' do (`email_key`: NFKC + case
folding), whichever path writes them: the API, a CSV import and the back office all refuse
a second customer with the same address, however it is spelt, and all tell apart two
addresses the normal form tells apart (`İ` is not `i`, as at the login). An address that reads
as another (a look-alike domain, an invisible or direction character) is refused by all three."""

from __future__ import annotations

import httpx
import pytest

from src.domain.sql import fetch_one
from src.domain.users.email import email_key
from src.http.admin.edge import readable_refusal
from tests.factories import make_customer
from tests.http.test_admin import TABLES, csrf, staff  # noqa: F401 - the staff fixture

DOTTED = "user@nextma\u0130l.com"  # a capital I with a dot: not user@nextmail.com
# (already stored, the same address spelt otherwise)
TWINS = [
    ("Amy@Example.com", "amy@exampLe.com"),
    ("amy@example.com", "\uff21my@\uff45xample.com"),  # full-width A and e
    (DOTTED, "USER@NEXTMA\u0130L.COM"),
]
CSV = {"Content-Type": "text/csv"}
# Outside development the admin runs with production=True; here Piccolo warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")


async def _key_of(email: str) -> str | None:
    row = await fetch_one("SELECT email_key FROM customers WHERE email = {}", email)
    return None if row is None else str(row["email_key"])


@pytest.mark.parametrize(("stored", "twin"), TWINS)
async def test_the_api_refuses_a_second_spelling(
    api: httpx.AsyncClient, stored: str, twin: str
) -> None:
    first = await api.post("/api/customers", json={"name": "First", "email": stored})
    assert first.status_code == 201, first.text
    assert await _key_of(stored) == email_key(stored)
    second = await api.post("/api/customers", json={"name": "Second", "email": twin})
    assert second.status_code == 409
    assert second.json() == {"detail": "A customer with this email already exists."}
    other = await make_customer(email=f"other-{email_key(stored)}".replace("@", ".x@"))
    patch = await api.patch(f"/api/customers/{other}", json={"email": twin})
    assert patch.status_code == 409, patch.text


async def test_the_dotted_capital_i_is_another_address(api: httpx.AsyncClient) -> None:
    plain = await api.post("/api/customers", json={"name": "Plain", "email": "user@nextmail.com"})
    dotted = await api.post("/api/customers", json={"name": "Dotted", "email": DOTTED})
    assert (plain.status_code, dotted.status_code) == (201, 201), dotted.text
    assert await _key_of(DOTTED) != await _key_of("user@nextmail.com")


async def test_an_email_change_rekeys_the_customer(api: httpx.AsyncClient) -> None:
    customer = await make_customer(email="before@example.com")
    changed = await api.patch(f"/api/customers/{customer}", json={"email": "After@Example.com"})
    assert changed.status_code == 200, changed.text
    assert await _key_of("After@Example.com") == "after@example.com"
    taken = await api.post("/api/customers", json={"name": "X", "email": "AFTER@example.com"})
    assert taken.status_code == 409
    freed = await api.post("/api/customers", json={"name": "Y", "email": "Before@example.com"})
    assert freed.status_code == 201, freed.text


@pytest.mark.parametrize(("stored", "twin"), TWINS)
async def test_an_import_refuses_a_second_spelling(
    api: httpx.AsyncClient, stored: str, twin: str
) -> None:
    await make_customer(email=stored)
    body = f"name,email\nAgain,{twin}\n".encode()
    response = await api.post("/api/imports/customers", content=body, headers=CSV)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert (error["line"], error["column"]) == (2, "email")
    assert error["message"] == "A customer with this email already exists."


@pytest.mark.parametrize(("stored", "twin"), TWINS)
async def test_an_import_finds_two_spellings_in_one_file(
    api: httpx.AsyncClient, stored: str, twin: str
) -> None:
    body = f"name,email\nOne,{stored}\nTwo,{twin}\n".encode()
    response = await api.post("/api/imports/customers", content=body, headers=CSV)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert (error["line"], error["column"]) == (3, "email")
    assert error["message"] == "The same email as line 2 (emails are unique)."
    assert await _key_of(stored) is None


async def test_an_import_keys_its_customers_and_tells_the_dotted_i_apart(
    api: httpx.AsyncClient,
) -> None:
    await make_customer(email="user@nextmail.com")
    body = f"name,email\nDotted,{DOTTED}\n".encode()
    response = await api.post("/api/imports/customers", content=body, headers=CSV)
    assert response.status_code == 200, response.text
    assert await _key_of(DOTTED) == email_key(DOTTED)
    # Invoices find their customer by any spelling of the address.
    invoices = "date,customer_email,amount,status\n2024-01-02,USER@NEXTMA\u0130L.COM,5,paid\n"
    done = await api.post("/api/imports/invoices", content=invoices.encode(), headers=CSV)
    assert done.status_code == 200, done.text
    row = await fetch_one(
        "SELECT c.email FROM invoices i JOIN customers c ON c.id = i.customer_id"
        " WHERE i.amount = 500 AND i.date = '2024-01-02'"
    )
    assert row == {"email": DOTTED}


@pytest.mark.parametrize(("stored", "twin"), TWINS)
async def test_the_back_office_refuses_a_second_spelling(
    staff: httpx.AsyncClient,  # noqa: F811 - the fixture
    stored: str,
    twin: str,
) -> None:
    await make_customer(email=stored)
    defaults = (await staff.get(f"{TABLES}/customers/new/")).json()
    new = {**defaults, "name": "Twin", "email": twin}
    response = await staff.post(f"{TABLES}/customers/", json=new, headers=csrf(staff))
    assert response.status_code == 422, response.text
    assert "already used" in response.json()["detail"][0]["msg"]
    assert await _key_of(twin) is None


async def test_the_back_office_keys_every_write_whatever_staff_send(
    staff: httpx.AsyncClient,  # noqa: F811 - the fixture
) -> None:
    # As the add form does: the table's defaults, then what staff typed.
    defaults = (await staff.get(f"{TABLES}/customers/new/")).json()
    new = {**defaults, "name": "Dotted", "email": DOTTED, "email_key": "forged@example.com"}
    created = await staff.post(f"{TABLES}/customers/", json=new, headers=csrf(staff))
    assert created.status_code == 201, created.text
    assert await _key_of(DOTTED) == email_key(DOTTED)
    row = await fetch_one("SELECT id FROM customers WHERE email = {}", DOTTED)
    assert row is not None
    url = f"{TABLES}/customers/{row['id']}/"
    patched = await staff.patch(url, json={"email": "Amy@Example.com"}, headers=csrf(staff))
    assert patched.status_code == 200, patched.text
    assert await _key_of("Amy@Example.com") == "amy@example.com"
    put = {"name": "Dotted", "email": "Put@Example.com", "image_url": None, "email_key": "x"}
    replaced = await staff.put(url, json=put, headers=csrf(staff))
    assert replaced.status_code == 204, replaced.text
    assert await _key_of("Put@Example.com") == "put@example.com"


def test_a_refusal_by_the_unique_key_reads_well() -> None:
    """What staff see when a race slips a twin past the form's check to the database."""
    raw = 'duplicate key value violates unique constraint "customers_email_key_key"'
    assert readable_refusal(raw) == (
        "That email is already used by another customer"
        " (emails are compared ignoring case and look-alike forms)."
    )


LOOK_ALIKE = "evil@r\u0430bbit.com"  # a Cyrillic a among the Latin letters of rabbit.com
MIXED = (
    "This address mixes alphabets in its domain (such as a Cyrillic letter among Latin ones),"
    " as look-alike addresses do: please type it again."
)


@pytest.mark.parametrize("email", ["evil@rabbit.com.", "a@b..com", "a@.b.com"])
async def test_a_second_spelling_of_a_domain_is_not_an_address(
    api: httpx.AsyncClient, email: str
) -> None:
    created = await api.post("/api/customers", json={"name": "Dot", "email": email})
    assert created.status_code == 400
    assert created.json()["errors"][0]["field"] == "email"


CYRILLIC_DOMAIN = "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444"  # an example domain, .rf


@pytest.mark.parametrize(
    "email",
    ["k@b\u00fccher.de", f"k@{CYRILLIC_DOMAIN}", "k@xn--bcher-kva.de", "k.o@sub.example.co"],
)
async def test_an_international_domain_in_one_alphabet_is_an_address(
    api: httpx.AsyncClient, email: str
) -> None:
    created = await api.post("/api/customers", json={"name": "Intl", "email": email})
    assert created.status_code == 201, created.text
    assert created.json()["email"] == email


# Characters that show as nothing, or turn the text around: the address reads as another one.
UNSEEN = [
    "evil@rab\u200bbit.com",  # zero-width space
    "evil@rabbit\u00ad.com",  # soft hyphen
    "evil@rab\u200dbit.com",  # zero-width joiner
    "ev\u2060il@rabbit.com",  # word joiner
    "evil@\ufeffrabbit.com",  # byte-order mark
    "e@x\u202emoc.evil",  # right-to-left override: shows as e@xlive.com
    "e@x\u2067.com",  # right-to-left isolate
    "e\u200f@rabbit.com",  # right-to-left mark
]


LOOK_ALIKES = [LOOK_ALIKE, "a@\u03b1bc.gr", "evil@rabbit.c\u043em"]
NOT_AN_ADDRESS = "is not a valid email address."


@pytest.mark.parametrize(
    ("email", "message"), [(e, MIXED) for e in LOOK_ALIKES] + [(e, None) for e in UNSEEN]
)
async def test_an_address_that_reads_as_another_is_refused_everywhere(
    api: httpx.AsyncClient,
    staff: httpx.AsyncClient,  # noqa: F811 - the fixture
    email: str,
    message: str | None,
) -> None:
    """By the API (a new customer and a changed email), the back office and an import; a
    look-alike domain is told why, an unseen character as an address that is not valid."""
    created = await api.post("/api/customers", json={"name": "Look", "email": email})
    assert created.status_code == 400, created.text
    (error,) = created.json()["errors"]
    assert error["field"] == "email" and message in (None, error["message"])
    customer = await make_customer()
    changed = await api.patch(f"/api/customers/{customer}", json={"email": email})
    assert changed.status_code == 400 and changed.json()["errors"] == [error]
    defaults = (await staff.get(f"{TABLES}/customers/new/")).json()
    new = {**defaults, "name": "Look", "email": email}
    office = await staff.post(f"{TABLES}/customers/", json=new, headers=csrf(staff))
    assert office.status_code == 422, office.text
    assert message in (None, office.json()["detail"][0]["msg"])
    body = f"name,email\nLook,{email}\n".encode()
    imported = await api.post("/api/imports/customers", content=body, headers=CSV)
    assert imported.status_code == 400, imported.text
    (row,) = imported.json()["errors"]
    assert (row["line"], row["column"]) == (2, "email")
    assert row["message"] == message if message else row["message"].endswith(NOT_AN_ADDRESS)
    assert await _key_of(email) is None


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry", "real"])
async def test_an_import_refuses_a_look_alike_domain_and_imports_nothing(
    api: httpx.AsyncClient, dry_run: bool
) -> None:
    body = f"name,email\nFine,fine@rabbit.com\nLook,{LOOK_ALIKE}\nDot,dot@rabbit.com.\n".encode()
    params = {"dryRun": "true"} if dry_run else {}
    response = await api.post("/api/imports/customers", content=body, headers=CSV, params=params)
    assert response.status_code == 400, response.text
    errors = response.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(3, "email"), (4, "email")]
    assert errors[0]["message"] == MIXED
    assert errors[1]["message"] == f"'dot@rabbit.com.' {NOT_AN_ADDRESS}"
    assert await _key_of("fine@rabbit.com") is None
