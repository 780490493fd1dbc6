"""The login limits under a burst: requests run concurrently on the shared connection pool
(no per-test transaction), so PostgreSQL itself arbitrates between them."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from litestar import Litestar

from src.domain.sql import fetch
from src.domain.users.throttle import LIMIT
from src.http.admin.edge import ADMIN_LOGIN_LIMIT
from src.http.app import create_app
from src.ops.seed import DEMO_USER
from src.settings import get_settings
from tests.support import FIGURES

LOGIN = "/api/auth/login"
BURST = 100


@pytest.fixture(scope="module")
def throttle_only_app() -> Litestar:
    """The app without its per-client bound on requests in flight (which would answer most of
    a burst 429 before the login throttle sees it): the throttle alone is under test here."""
    return create_app(replace(get_settings(), client_max_in_flight=10_000), manage_database=False)


@pytest.fixture
async def pooled(throttle_only_app: Litestar, migrated: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests commit: the burst needs real concurrent transactions."""
    await fetch("DELETE FROM login_attempts")
    transport = httpx.ASGITransport(app=throttle_only_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    await fetch("DELETE FROM login_attempts")
    await fetch("DELETE FROM user_sessions WHERE user_id = {}", DEMO_USER["id"])


async def test_a_burst_of_wrong_guesses_is_evaluated_at_most_limit_times(
    pooled: httpx.AsyncClient,
) -> None:
    async def guess(n: int) -> httpx.Response:
        return await pooled.post(
            LOGIN, json={"email": DEMO_USER["email"], "password": f"wrong-guess-{n}"}
        )

    answers = await asyncio.gather(*(guess(n) for n in range(BURST)))
    statuses = Counter(a.status_code for a in answers)
    # A 401 is an evaluated guess (argon2 ran); a 429 was refused before any verification.
    assert statuses[401] <= LIMIT, statuses
    assert statuses[429] >= BURST - LIMIT, statuses
    assert set(statuses) <= {401, 429}, statuses
    refused = [a for a in answers if a.status_code == 429]
    assert all(0 < int(a.headers["retry-after"]) <= 900 for a in refused)
    assert all("detail" in a.json() for a in refused)
    right = await pooled.post(
        LOGIN, json={"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
    )
    assert right.status_code == 429
    FIGURES.append(f"login burst: {BURST} parallel wrong guesses -> {dict(statuses)}")


async def test_the_right_password_inside_a_burst_gets_in_only_within_the_limit(
    pooled: httpx.AsyncClient,
) -> None:
    bodies = [{"email": DEMO_USER["email"], "password": f"wrong-{n}"} for n in range(BURST)]
    bodies[BURST // 2] = {"email": DEMO_USER["email"], "password": str(DEMO_USER["password"])}
    answers = await asyncio.gather(*(pooled.post(LOGIN, json=b) for b in bodies))
    statuses = Counter(a.status_code for a in answers)
    # Whatever the interleaving, no more than LIMIT passwords were verified in all.
    assert statuses[401] + statuses[200] <= LIMIT, statuses
    right = answers[BURST // 2].status_code
    assert right in (200, 429), statuses


async def test_a_burst_of_admin_logins_is_held_to_the_admin_limit(
    pooled: httpx.AsyncClient,
) -> None:
    page = await pooled.get("/admin/")
    assert page.status_code == 200
    headers = {"X-CSRFToken": pooled.cookies["csrftoken"]}

    async def attempt(n: int) -> httpx.Response:
        return await pooled.post(
            "/admin/public/login/",
            json={"username": "nobody", "password": f"wrong-{n}"},
            headers=headers,
        )

    answers = await asyncio.gather(*(attempt(n) for n in range(BURST)))
    statuses = Counter(a.status_code for a in answers)
    assert statuses[401] <= ADMIN_LOGIN_LIMIT, statuses
    assert statuses[429] >= BURST - ADMIN_LOGIN_LIMIT, statuses
    assert all(int(a.headers["retry-after"]) > 0 for a in answers if a.status_code == 429)
    FIGURES.append(f"admin login burst: {BURST} parallel wrong logins -> {dict(statuses)}")
