"""Cheap hostile requests at the HTTP edge: each is a 4xx in the API's error shape, never a 500
or a traceback (issue 11 point 5 and the same class elsewhere)."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.factories import make_customer

NOT_JSON = "Send a JSON object (Content-Type: application/json)."
UNREADABLE = (
    "The body is not JSON this API can read: check its quotes, commas and brackets,"
    " and that it is UTF-8."
)


def _no_trace(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def _body_error(response: httpx.Response, message: str = UNREADABLE) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {
        "detail": "Invalid request.",
        "errors": [{"field": "body", "message": message}],
    }


JSON = {"content-type": "application/json"}
NESTED = b"[" * 30_000 + b"]" * 30_000
DEEP_OBJECT = b'{"a":' * 9_000 + b"1" + b"}" * 9_000
BAD_UTF8 = b'{"email": "user@nextmail.com\xff\xfe", "password": "123456"}'


@pytest.mark.parametrize(
    ("body", "message"),
    [(NESTED, UNREADABLE), (DEEP_OBJECT, UNREADABLE), (BAD_UTF8, UNREADABLE),
     (b"\xff", UNREADABLE), (b"{", UNREADABLE), (b"{'a': 1}", UNREADABLE),
     (b"null", NOT_JSON), (b"[]", NOT_JSON), (b'"text"', NOT_JSON)],
)  # fmt: skip
async def test_undecodable_login_bodies_are_400s_without_a_session(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, body: bytes, message: str
) -> None:
    _body_error(await client.post("/api/auth/login", content=body, headers=JSON), message)
    _no_trace(caplog)


@pytest.mark.parametrize("body", [NESTED, BAD_UTF8, b'{"amount": ' + b"[" * 50_000])
async def test_undecodable_write_bodies_are_400s(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    customer = await make_customer()
    _body_error(await api.post("/api/invoices", content=body, headers=JSON))
    _body_error(await api.patch(f"/api/customers/{customer}", content=body, headers=JSON))
    _no_trace(caplog)


async def test_an_empty_body_is_a_400_naming_the_body(api: httpx.AsyncClient) -> None:
    _body_error(await api.post("/api/customers", content=b"", headers=JSON), NOT_JSON)


@pytest.mark.parametrize(
    "path", ["/%00", "/a%00b.png", "/static/swagger/%00", "/schema/%00", "/admin/%00", "/%0Ax"]
)
async def test_control_characters_in_a_path_are_a_json_404(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    _no_trace(caplog)


async def test_an_oversized_if_match_is_a_400_naming_the_header(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    customer = await make_customer()
    for tag in ('"ffffffffffffffffffff"', '"1", "2"', "", "W/", '"xyz"'):
        response = await api.patch(
            f"/api/customers/{customer}", json={"name": "X"}, headers={"If-Match": tag}
        )
        assert response.status_code == 400, (tag, response.text)
        [error] = response.json()["errors"]
        assert error["field"] == "If-Match"
        assert "ETag" in error["message"]
    # Well-formed but past the year 9999: just not the current version.
    response = await api.patch(
        f"/api/customers/{customer}",
        json={"name": "X"},
        headers={"If-Match": '"ffffffffffffffff"'},
    )
    assert response.status_code == 412
    _no_trace(caplog)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"page": 10**30}, "page", "page must be a whole number from 1 to 10000000."),
        ({"page": "1.5"}, "page", "page must be a whole number from 1 to 10000000."),
        ({"page": -(2**70)}, "page", "page must be a whole number from 1 to 10000000."),
        ({"pageSize": 0}, "pageSize", "pageSize must be a whole number from 1 to 100."),
        ({"pageSize": "NaN"}, "pageSize", "pageSize must be a whole number from 1 to 100."),
        ({"query": "x" * 201}, "query", "query must be at most 200 characters."),
    ],
)
async def test_query_parameters_at_extremes_are_named_as_sent(
    api: httpx.AsyncClient, params: dict[str, object], field: str, message: str
) -> None:
    for path in ("/api/invoices", "/api/customers"):
        response = await api.get(path, params=params)
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": field, "message": message}]
    limit = await api.get("/api/customers/options", params={"limit": 10**20})
    assert limit.json()["errors"] == [
        {"field": "limit", "message": "limit must be a whole number from 1 to 50."}
    ]


# A NUL or another control character is refused by name (tests/http/test_query_params.py).
@pytest.mark.parametrize(
    "query", ["%ED%A0%80", "%FF%FE", "%F0%9F%98%80" * 200, "%E2%80%AE", "%2500"]
)
async def test_odd_search_text_is_searched_not_a_500(api: httpx.AsyncClient, query: str) -> None:
    for path in ("/api/invoices", "/api/customers", "/api/customers/options"):
        response = await api.get(f"{path}?query={query}")
        assert response.status_code == 200, (path, response.text)


@pytest.mark.parametrize(
    "raw_id", ["9" * 40, "-1", "0x10", "%00", "1e309", "00000000-0000-0000-0000-0000000000000"]
)
async def test_odd_path_ids_are_404s(api: httpx.AsyncClient, raw_id: str) -> None:
    for path in ("/api/invoices/", "/api/customers/"):
        response = await api.get(path + raw_id)
        assert response.status_code == 404, (path + raw_id, response.text)
