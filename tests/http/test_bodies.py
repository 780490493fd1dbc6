"""One declaration per request body (`data: JSONBody[Model]`): strict, every failing field in
one 400, human messages naming the field as sent, and the document states the same rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import httpx
import msgspec
import pytest
from litestar import Litestar, post
from litestar.params import JSONBody

from src.http.app import create_app
from src.settings import get_settings
from tests.factories import make_customer, make_invoice

# Where only the shape of the path matters (OPTIONS): any id.
SOME_ID = "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa"
TYPE_RULE = (
    "Please enter the amount as a whole number of cents (1050 is $10.50), more than 0 and at"
    " most 2147483647 ($21,474,836.47)."
)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (99999999999, "Please enter an amount of at most $21,474,836.47."),
        (2**31, "Please enter an amount of at most $21,474,836.47."),
        (1.234, TYPE_RULE),
        (12.5, TYPE_RULE),
        ("abc", TYPE_RULE),
        ("1050", TYPE_RULE),
        (True, TYPE_RULE),
        (None, TYPE_RULE),
        ([1], TYPE_RULE),
        (0, "Please enter an amount greater than $0."),
        (-5, "Please enter an amount greater than $0."),
    ],
)
async def test_each_bad_amount_is_told_the_rule_it_breaks(
    api: httpx.AsyncClient, amount: object, message: str
) -> None:
    invoice = await make_invoice()
    body = {"customerId": str(await make_customer()), "amount": amount, "status": "paid"}
    payment = {"amount": amount, "method": "cash"}
    for response in (
        await api.post("/api/invoices", json=body),
        await api.patch(f"/api/invoices/{invoice}", json={"amount": amount}),
        # A payment's amount follows the same rule, in the same words.
        await api.post(f"/api/invoices/{invoice}/payments", json=payment),
    ):
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "amount", "message": message}]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (None, "Please enter the note as text, or leave it out."),
        (5, "Please enter the note as text, or leave it out."),
        ("x" * 501, "Please keep the note to 500 characters."),
    ],
)
async def test_a_bad_payment_note_is_told_what_is_wrong(
    api: httpx.AsyncClient, note: object, message: str
) -> None:
    invoice = await make_invoice()
    response = await api.post(
        f"/api/invoices/{invoice}/payments", json={"amount": 5, "method": "cash", "note": note}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "note", "message": message}]
    assert (await api.get(f"/api/invoices/{invoice}/payments")).json() == []


async def test_a_whole_number_written_as_a_float_is_that_number(api: httpx.AsyncClient) -> None:
    customer = str(await make_customer())
    created = await api.post(
        "/api/invoices", json={"customerId": customer, "amount": 1050.0, "status": "paid"}
    )
    assert created.status_code == 201
    assert created.json()["amount"] == 1050


async def test_every_failing_field_at_once_with_unknown_ones_named(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/customers",
        json={"name": "   ", "email": "no-at-sign", "imageUrl": "//evil.example", "extra": 1},
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {
        "extra",
        "name",
        "email",
        "imageUrl",
    }
    assert all(
        "`" not in e["message"] and "$." not in e["message"] for e in response.json()["errors"]
    )


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example/x.png",
        "/\\evil.example/x.png",
        "/\\\\evil.example",
        "https://evil.example/x.png",
        "http://evil.example/x.png",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:image/png;base64,AAAA",
        " /customers/x.png",
        "/customers/x.png\n",
        "/customers/x y.png",
        "/customers/\x00.png",
        "customers/x.png",
        "/",
        "/../../etc/passwd",
        "/customers/./x.png",
        "/customers/%2e%2e/x.png",
        "/customers/..",
    ],
)
async def test_image_urls_of_other_sites_are_refused_with_a_field_message(
    api: httpx.AsyncClient, url: str
) -> None:
    customer = await make_customer()
    for response in (
        await api.post("/api/customers", json={"name": "N", "email": "n@x.io", "imageUrl": url}),
        await api.patch(f"/api/customers/{customer}", json={"imageUrl": url}),
    ):
        assert response.status_code == 400, url
        [error] = response.json()["errors"]
        assert error["field"] == "imageUrl"
        assert "a path on this site" in error["message"]


async def test_same_site_image_paths_and_null_are_accepted(api: httpx.AsyncClient) -> None:
    customer = await make_customer()
    for url in ("/customers/amy-burns.png", "/customers/new%20one.png", "/c/a..b.png", None):
        response = await api.patch(f"/api/customers/{customer}", json={"imageUrl": url})
        assert response.status_code == 200, response.text
        assert response.json()["imageUrl"] == url


async def test_https_images_only_from_the_listed_hosts(db: None) -> None:
    settings = replace(get_settings(), image_hosts=("cdn.acme.example",))
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        login = await http.post(
            "/api/auth/login", json={"email": "user@nextmail.com", "password": "123456"}
        )
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {login.json()['token']}"
        path = f"/api/customers/{await make_customer()}"
        ok = await http.patch(path, json={"imageUrl": "https://CDN.acme.example/a/b.png"})
        assert ok.status_code == 200, ok.text
        for bad in (
            "https://cdn.acme.example.evil.example/a.png",
            "https://user@cdn.acme.example/a.png",
            "https://cdn.acme.example:8443/a.png",
            "http://cdn.acme.example/a.png",
            "https://cdn.acme.example/a.png?x=1",
            "https://cdn.acme.example\\@evil.example/a.png",
        ):
            refused = await http.patch(path, json={"imageUrl": bad})
            assert refused.status_code == 400, bad
            assert "cdn.acme.example" in refused.json()["errors"][0]["message"]


class Gadget(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    gadget_name: Annotated[str, msgspec.Meta(min_length=2)]
    count: Annotated[int, msgspec.Meta(ge=1)]


@post("/api/gadgets", security=[])
async def create_gadget(data: JSONBody[Gadget]) -> dict[str, int]:
    return {"count": data.count}


@pytest.fixture(scope="module")
def app_with_a_new_endpoint() -> Litestar:
    app = create_app(manage_database=False)
    app.register(create_gadget)
    return app


async def test_a_new_endpoint_using_data_gets_strict_validation_by_itself(
    app_with_a_new_endpoint: Litestar, db: None
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_with_a_new_endpoint), base_url="http://t"
    ) as http:
        login = await http.post(
            "/api/auth/login", json={"email": "user@nextmail.com", "password": "123456"}
        )
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {login.json()['token']}"
        # Litestar's own decoding would accept "3" for 3; the strict decoder lists both fields.
        lax = await http.post("/api/gadgets", json={"gadgetName": "x", "count": "3"})
        assert lax.status_code == 400
        assert [e["field"] for e in lax.json()["errors"]] == ["gadgetName", "count"]
        _ = await http.post("/api/gadgets", content=b"[" * 5000, headers={"content-type": "x"})
        fine = await http.post("/api/gadgets", json={"gadgetName": "xy", "count": 3})
        assert fine.status_code == 201 and fine.json() == {"count": 3}
        document = (await http.get("/schema/openapi.json")).json()
    body = document["paths"]["/api/gadgets"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Gadget"}
    gadget = document["components"]["schemas"]["Gadget"]
    assert gadget["additionalProperties"] is False
    assert gadget["properties"]["count"]["minimum"] == 1


async def test_the_document_states_what_the_api_enforces(client: httpx.AsyncClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    schemas, paths = document["components"]["schemas"], document["paths"]
    amount = schemas["InvoiceCreate"]["properties"]["amount"]
    assert (amount["minimum"], amount["maximum"]) == (1, 2**31 - 1)
    for name in ("InvoiceCreate", "InvoicePatch", "CustomerCreate", "CustomerPatch"):
        assert schemas[name]["additionalProperties"] is False
    if_match = next(
        p for p in paths["/api/invoices/{invoice_id}"]["patch"]["parameters"] if p["in"] == "header"
    )
    assert if_match["schema"]["type"] == "string" and if_match["schema"]["pattern"]
    for path in ("/api/invoices/{invoice_id}", "/api/customers/{customer_id}"):
        assert paths[path]["delete"]["responses"]["204"].get("content") is None
    assert paths["/api/auth/logout"]["post"]["responses"]["204"].get("content") is None
    assert "401" in paths["/api/auth/login"]["post"]["responses"]
    assert "security" not in document
    for path in ("/health", "/ready", "/api/auth/login"):
        assert not next(iter(paths[path].values())).get("security")
    assert paths["/api/dashboard"]["get"]["security"] == [
        {"bearer": []},
        {"cookie": []},
        {"apiKey": []},
    ]
    assert "examples" not in str(schemas["ErrorOut"]) + str(schemas["ValidationErrorOut"])


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/invoices", "GET, OPTIONS, POST"),
        ("/api/customers", "GET, OPTIONS, POST"),
        (f"/api/invoices/{SOME_ID}", "DELETE, GET, OPTIONS, PATCH, PUT"),
        (f"/api/customers/{SOME_ID}", "DELETE, GET, OPTIONS, PATCH, PUT"),
    ],
)
async def test_options_lists_every_method_of_the_path(
    api: httpx.AsyncClient, path: str, allow: str
) -> None:
    response = await api.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allow


@pytest.mark.parametrize("email", ["ada@x.io\n", "ada@x.io\r\n", "ad\x85a@x.io", "ada@x\x1b.io"])
async def test_an_email_with_a_line_break_or_control_character_is_refused(
    api: httpx.AsyncClient, email: str
) -> None:
    response = await api.post("/api/customers", json={"name": "Ada", "email": email})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["email"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_every_write_takes_json_only(api: httpx.AsyncClient, content_type: str) -> None:
    customer = await make_customer()
    body = f'{{"customerId": "{customer}", "amount": 100, "status": "paid"}}'
    headers = {"content-type": content_type} if content_type else {}
    for response in (
        await api.post("/api/invoices", content=body, headers=headers),
        await api.patch(f"/api/customers/{customer}", content='{"name": "X"}', headers=headers),
    ):
        assert response.status_code == 415
        assert "application/json" in response.json()["detail"]
