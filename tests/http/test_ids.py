"""An id in an address is the canonical form the API writes or it names nothing: look-alikes
(a fullwidth or Arabic-Indic digit, braces, a URN, misplaced hyphens) are 404s and never reach
the row they resemble."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_customer, make_invoice


def look_alikes(canonical: str) -> list[str]:
    """Spellings that read as `canonical` (most of them uuid.UUID takes for it); never itself."""
    plain = canonical.replace("-", "")
    return [
        chr(ord(canonical[0]) + 0xFEE0) + canonical[1:],  # its fullwidth first digit or letter
        canonical[:-1] + "\u0661",  # ARABIC-INDIC DIGIT ONE
        "{" + canonical + "}",
        "urn:uuid:" + canonical,
        f"{plain[:4]}-{plain[4:8]}-{plain[8:12]}-{plain[12:20]}-{plain[20:]}",
        canonical + "%0A",  # a new line after it
        "%20" + canonical,  # a space before it
    ]


@pytest.mark.parametrize("route", ["/api/invoices/{}", "/api/invoices/{}/history"])
async def test_an_invoice_is_reached_by_its_canonical_id_only(
    api: httpx.AsyncClient, route: str
) -> None:
    canonical = str(await make_invoice())
    assert (await api.get(route.format(canonical))).status_code == 200
    assert (await api.get(route.format(canonical.upper()))).status_code == 200
    for other in look_alikes(canonical):
        answer = await api.get(route.format(other))
        assert answer.status_code == 404, other
        assert answer.json()["detail"] in ("Invoice not found.", "Not found."), other


async def test_deleting_by_a_look_alike_id_deletes_nothing(api: httpx.AsyncClient) -> None:
    customer = await make_customer()
    invoice = str(await make_invoice(customer))
    for other in look_alikes(invoice):
        assert (await api.delete(f"/api/invoices/{other}")).status_code == 404, other
        assert (await api.delete(f"/api/customers/{other}")).status_code == 404, other
    assert (await api.get(f"/api/invoices/{invoice}")).status_code == 200
    assert (await api.get(f"/api/customers/{customer}")).status_code == 200
    for other in look_alikes(str(customer)):
        assert (await api.delete(f"/api/customers/{other}")).status_code == 404, other
        assert (await api.get(f"/api/customers/{other}/invoices")).status_code == 404, other
    assert (await api.get(f"/api/customers/{customer}")).status_code == 200
