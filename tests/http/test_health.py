from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from litestar import Litestar

from src.db import DB, engine_config
from src.settings import get_settings


async def test_health_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}


@pytest.fixture
def database_away(migrated: str) -> Iterator[None]:
    """Point the engine at a port where nothing listens (no pool, no test transaction)."""
    config, pool = DB.config, DB.pool
    DB.pool = None
    DB.config = engine_config(get_settings(), "postgresql://postgres@127.0.0.1:1/none")
    yield
    DB.config, DB.pool = config, pool


async def test_ready_is_503_and_api_is_503_when_the_database_is_away(
    app: Litestar, database_away: None
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
        assert ready.status_code == 503
        api = await client.get("/api/dashboard", headers={"Authorization": "Bearer x" * 3})
        assert api.status_code == 503
        assert api.json() == {"detail": "Service temporarily unavailable."}
