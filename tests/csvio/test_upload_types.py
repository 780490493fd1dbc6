"""Uploads say what they are: an import is text/csv and a picture an image type the thumbnailer
reads; anything else is a 415 that says what to send, and nothing is read or written."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from src.domain.sql import fetch_one
from tests.csvio.test_customer_pages import picture, uploads  # noqa: F401 - the fixture

SMALL_PNG = picture("PNG", (40, 40))
BALAZS = "13d07535-c59e-4157-a011-f8d2ef4e0cbb"
CUSTOMERS = b"name,email\nTyped Right,typed@right.test\n"
INVOICES = b"date,customer_email,amount,status\n2024-01-02,lee@robinson.com,10.00,pending\n"
WRONG_TYPES = [
    None,
    "application/json",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/vnd.ms-excel",
]


def _headers(content_type: str | None) -> dict[str, str]:
    return {} if content_type is None else {"Content-Type": content_type}


async def _counts() -> tuple[int, int]:
    row = await fetch_one(
        "SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM invoices) AS i"
    )
    assert row is not None
    return int(row["c"]), int(row["i"])


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize("content_type", WRONG_TYPES)
@pytest.mark.parametrize(
    ("kind", "body"),
    [("customers", CUSTOMERS), ("invoices", INVOICES)],
    ids=["customers", "invoices"],
)
async def test_import_of_another_type_is_415_and_writes_nothing(
    api: httpx.AsyncClient, kind: str, body: bytes, content_type: str | None, dry_run: bool
) -> None:
    before = await _counts()
    # httpx would add no Content-Type for raw bytes: the None case sends none at all.
    response = await api.post(
        f"/api/imports/{kind}",
        content=body,
        headers=_headers(content_type),
        params={"dryRun": "true"} if dry_run else {},
    )
    assert response.status_code == 415, response.text
    assert response.json() == {"detail": "Send the file as CSV (Content-Type: text/csv)."}
    assert await _counts() == before


@pytest.mark.parametrize("content_type", ["text/csv", "TEXT/CSV", "text/csv; charset=utf-8"])
async def test_import_as_text_csv_in_any_spelling_is_read(
    api: httpx.AsyncClient, content_type: str
) -> None:
    response = await api.post(
        "/api/imports/customers",
        content=CUSTOMERS,
        headers={"Content-Type": content_type},
        params={"dryRun": "true"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["detail"] == "1 customer ready to import."


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/octet-stream",
        "image/gif",
        "multipart/form-data; boundary=x",
    ],
)
async def test_avatar_of_another_type_is_415_and_keeps_the_picture(
    uploads: tuple[httpx.AsyncClient, Path],  # noqa: F811 - the fixture
    content_type: str | None,
) -> None:
    api, folder = uploads
    response = await api.put(
        f"/api/customers/{BALAZS}/avatar", content=SMALL_PNG, headers=_headers(content_type)
    )
    assert response.status_code == 415, response.text
    assert response.json() == {
        "detail": "Send the picture as PNG, JPEG or WebP"
        " (Content-Type: image/png, image/jpeg or image/webp)."
    }
    after = (await api.get(f"/api/customers/{BALAZS}")).json()
    assert after["imageUrl"] == "/customers/balazs-orban.png"
    assert not (folder / "uploads" / "avatars").exists()


@pytest.mark.parametrize("content_type", ["image/png", "IMAGE/PNG", "image/png; q=1"])
async def test_avatar_as_an_image_type_in_any_spelling_is_read(
    uploads: tuple[httpx.AsyncClient, Path],  # noqa: F811 - the fixture
    content_type: str,
) -> None:
    api, _ = uploads
    response = await api.put(
        f"/api/customers/{BALAZS}/avatar", content=SMALL_PNG, headers={"Content-Type": content_type}
    )
    assert response.status_code == 200, response.text
    assert response.json()["imageUrl"].startswith("/api/avatars/")


async def test_openapi_documents_the_415s(api: httpx.AsyncClient) -> None:
    paths = (await api.get("/schema/openapi.json")).json()["paths"]
    for kind in ("customers", "invoices"):
        operation = paths[f"/api/imports/{kind}"]["post"]
        assert list(operation["requestBody"]["content"]) == ["text/csv"]
        assert "text/csv" in operation["responses"]["415"]["description"]
    avatar = paths["/api/customers/{customer_id}/avatar"]["put"]
    assert sorted(avatar["requestBody"]["content"]) == ["image/jpeg", "image/png", "image/webp"]
    assert "image/png" in avatar["responses"]["415"]["description"]


async def test_a_too_large_picture_is_the_documented_400(
    uploads: tuple[httpx.AsyncClient, Path],  # noqa: F811 - the fixture
) -> None:
    api, _ = uploads
    paths = (await api.get("/schema/openapi.json")).json()["paths"]
    documented = paths["/api/customers/{customer_id}/avatar"]["put"]["responses"]
    assert "413" not in documented and "400" in documented
    response = await api.put(
        f"/api/customers/{BALAZS}/avatar",
        content=b"\x89PNG" + b"\x00" * (1024 * 1024 + 1),
        headers={"Content-Type": "image/png"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "avatar", "message": "Please choose an image of at most 1 MB."}
    ]
