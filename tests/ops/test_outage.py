"""The database goes away mid-run and comes back: the app answers 503 quickly, then recovers
without a restart. Uses an embedded PostgreSQL server that the test stops and starts."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from src.db import embedded_server
from tests.support import report, serve


@pytest.fixture
def own_database() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="acme-outage-"))
    folder.chmod(0o755)
    yield folder
    server = embedded_server(folder)
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def test_outage_gives_quick_503s_and_the_app_recovers_alone(
    own_database: Path, tmp_path: Path
) -> None:
    server = embedded_server(own_database)
    dsn = str(server.get_uri())
    with (
        serve(dsn, tmp_path / "server.log") as (url, _),
        httpx.Client(base_url=url, timeout=15) as http,
    ):
        demo = {"email": "user@nextmail.com", "password": "123456"}
        token = http.post("/api/auth/login", json=demo).json()["token"]
        http.cookies.clear()  # a login with a session cookie would end that session
        # A second session, not used before the outage: checking it needs the database.
        unused = http.post("/api/auth/login", json=demo).json()["token"]
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {token}"
        assert http.get("/api/dashboard").status_code == 200

        server.cleanup()  # the database stops
        started = time.monotonic()
        for path, bearer in (
            ("/api/dashboard", token),
            ("/api/invoices", token),
            ("/api/customers", token),
            ("/api/auth/me", unused),
        ):
            response = http.get(path, headers={"Authorization": f"Bearer {bearer}"})
            assert response.status_code == 503, (path, response.text)
            assert response.json() == {"detail": "Service temporarily unavailable."}
        ready = http.get("/ready")
        assert ready.status_code == 503
        assert http.get("/health").status_code == 200
        slowest = time.monotonic() - started
        assert slowest < 10, f"503s took {slowest:.1f} s"

        restarted = time.monotonic()
        server = embedded_server(own_database)  # the database comes back
        while http.get("/ready").status_code != 200:
            assert time.monotonic() - restarted < 30, "the app did not recover"
            time.sleep(0.05)
        recovery = time.monotonic() - restarted
        dashboard = http.get("/api/dashboard")
        assert dashboard.status_code == 200
        assert dashboard.json()["cards"]["invoiceCount"] == 13
        report(
            f"outage: 6 answers while the database was down in {slowest * 1000:.0f} ms;"
            f" ready again {recovery:.2f} s after the database restarted (no app restart)"
        )
