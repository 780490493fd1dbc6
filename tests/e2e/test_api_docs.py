"""/schema renders the OpenAPI 3.1 document offline; its "Try it out" works with a bearer token."""

from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD

METHODS = {"get", "post", "put", "patch", "delete"}


def _document(server: str) -> dict[str, dict[str, dict[str, object]]]:
    with urllib.request.urlopen(f"{server}/schema/openapi.json") as response:  # noqa: S310 - local URL
        return json.load(response)["paths"]  # type: ignore[no-any-return]


def test_docs_list_every_operation_with_its_summary(page: Page, server: str) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((server, "data:")) else None,
    )
    page.goto("/schema")
    expect(page.get_by_text("Unable to render this definition")).to_have_count(0)
    expect(page.locator(".opblock").first).to_be_visible()
    operations = 0
    for path, methods in _document(server).items():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            block = page.locator(f".opblock-{method}").filter(
                has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
            )
            expect(block).to_have_count(1)
            expect(block.locator(".opblock-summary-description")).to_have_text(
                str(operation["summary"])
            )
            operations += 1
    assert operations >= 19
    expect(page.locator(".opblock")).to_have_count(operations)
    assert outside == [], f"the docs page reached outside this site: {outside}"


def test_try_it_out_with_a_bearer_token_answers_200(page: Page) -> None:
    token = page.request.post(
        "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    ).json()["token"]
    # Only the token authenticates: the login above must not leave a session cookie behind.
    page.context.clear_cookies()
    page.goto("/schema")
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".modal-ux")
    bearer = dialog.locator(".auth-container").filter(has_text="bearer")
    bearer.locator("input").fill(token)
    bearer.get_by_role("button", name="Apply credentials").click()
    expect(bearer).to_contain_text("Authorized")
    dialog.locator("button.close-modal").click()

    block = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/dashboard"]')
    )
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: r.url.endswith("/api/dashboard")) as answer:
        block.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert answer.value.request.headers["authorization"] == f"Bearer {token}"
    expect(block.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    expect(block.locator(".live-responses-table")).to_contain_text("invoiceCount")
