"""A shorter run of scripts/concurrency.py in CI: concurrent writers lose nothing."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.concurrency import flood, run
from tests.support import create_database, drop_database, report, serve

CLIENTS = int(os.environ.get("CONCURRENCY_CLIENTS", "16"))
SECONDS = float(os.environ.get("CONCURRENCY_SECONDS", "8"))
FLOOD_SECONDS = float(os.environ.get("FLOOD_SECONDS", "4"))


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    database_url = create_database("acme_concurrency")
    log = tmp_path_factory.mktemp("concurrency") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            yield url, database_url, log
    finally:
        drop_database(database_url)


def test_concurrent_writers_keep_every_invariant(busy_server: tuple[str, str, Path]) -> None:
    url, database_url, log = busy_server
    outcome = asyncio.run(run(url, database_url, CLIENTS, SECONDS, log))
    report(f"concurrency: {CLIENTS} clients for {SECONDS:.0f} s: {outcome.summary()}")
    assert outcome.total > CLIENTS * 10
    assert outcome.operations["delete customer"] > 0
    assert outcome.server_errors == []
    assert outcome.transport_errors == []
    assert outcome.cards == outcome.actual
    assert outcome.orphans == 0
    assert outcome.deadlocks == 0
    assert outcome.lifecycle and all(outcome.lifecycle.values()), outcome.lifecycle


def test_one_client_flooding_searches_gets_429s_and_others_are_served(
    busy_server: tuple[str, str, Path],
) -> None:
    url, _, log = busy_server
    flooded = asyncio.run(flood(url, FLOOD_SECONDS, parallel=100))
    report(flooded.summary(100, FLOOD_SECONDS))
    # The flooder is told to slow down (429 + Retry-After), never a 5xx, and gets answers too.
    assert flooded.flood_statuses[429] > 0
    assert flooded.flood_statuses[200] > 0
    assert set(flooded.flood_statuses) <= {200, 429}
    assert flooded.retry_after_missing == 0
    # Every request of the other user was answered normally.
    assert flooded.other_statuses and set(flooded.other_statuses) == {200}
    assert "Traceback" not in log.read_text()
