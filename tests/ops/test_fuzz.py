"""A bounded fuzz run of every operation in the OpenAPI document against a real server.

Schemathesis generates requests from the document (authenticated with a bearer token) and checks
each answer: never a server error, always the documented shape.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.support import create_database, drop_database, report, serve

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
COUNTS: dict[str, int] = {}
FAILURES: list[str] = []


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database_url = create_database("acme_fuzz")
    log = tmp_path_factory.mktemp("fuzz") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            login = httpx.post(
                f"{url}/api/auth/login",
                json={"email": "user@nextmail.com", "password": "123456"},
            )
            yield url, login.json()["token"]
    finally:
        drop_database(database_url)
        report(
            f"fuzz: {sum(COUNTS.values())} requests over {len(COUNTS)} operations"
            f" (up to {EXAMPLES} examples each); failures: {FAILURES or 'none'}"
        )


def _fuzz(operation: Any, key: str, url: str, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=url, headers=headers)
        COUNTS[key] = COUNTS.get(key, 0) + 1
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


def test_every_operation_never_errors_and_matches_the_schema(
    fuzz_server: tuple[str, str],
) -> None:
    url, token = fuzz_server
    schema = schemathesis.openapi.from_url(f"{url}/schema/openapi.json")
    headers = {"Authorization": f"Bearer {token}"}
    failures = FAILURES
    for result in schema.get_all_operations():
        operation = result.ok()
        key = f"{operation.method.upper()} {operation.path}"
        if operation.path == "/api/auth/logout":
            continue  # it would end the run's own session

        try:
            _fuzz(operation, key, url, headers)
        except Exception as error:
            failures.append(f"{key}: {str(error)[:600]}")
    assert not failures, "\n\n".join(failures)
    assert len(COUNTS) >= 15
