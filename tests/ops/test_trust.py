"""Whose address the login limits count, the admin limit across processes, and what a
production start does with an empty database: real server processes on their own databases."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support import ROOT, create_database, drop_database, report, run_script, serve

LOGIN = "/api/auth/login"
DEMO = {"email": "user@nextmail.com", "password": "123456"}
PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "p" * 40, "ALLOWED_HOSTS": "127.0.0.1"}


@pytest.fixture
def database() -> Iterator[str]:
    url = create_database("acme_trust")
    yield url
    drop_database(url)


def _wrong(client: httpx.Client, forwarded_for: str) -> int:
    body = {"email": DEMO["email"], "password": "wrong-guess"}
    return client.post(LOGIN, json=body, headers={"X-Forwarded-For": forwarded_for}).status_code


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(
    database: str, tmp_path: Path
) -> None:
    with serve(database, tmp_path / "server.log") as (url, _), httpx.Client(base_url=url) as c:
        statuses = [_wrong(c, f"198.51.100.{n}") for n in range(11)]
        assert statuses == [401] * 10 + [429]
        right = c.post(LOGIN, json=DEMO, headers={"X-Forwarded-For": "203.0.113.99"})
        assert right.status_code == 429


def test_a_configured_proxy_is_believed(database: str, tmp_path: Path) -> None:
    env = {"TRUSTED_PROXIES": "127.0.0.1/32"}
    with (
        serve(database, tmp_path / "server.log", **env) as (url, _),
        httpx.Client(base_url=url) as c,
    ):
        statuses = [_wrong(c, "198.51.100.1") for _ in range(11)]
        assert statuses[-1] == 429
        # Another viewer behind the same proxy has its own count.
        assert _wrong(c, "198.51.100.2") == 401


def test_the_admin_login_limit_holds_across_processes(database: str, tmp_path: Path) -> None:
    from src.http.admin.edge import ADMIN_LOGIN_LIMIT

    # Processes of one deployment share SECRET_KEY (the throttle keys are HMACs under it).
    shared = {"SECRET_KEY": "s" * 40}
    with (
        serve(database, tmp_path / "one.log", **shared) as (one, _),
        serve(database, tmp_path / "two.log", **shared) as (two, _),
    ):

        def attempts(url: str) -> list[int]:
            with httpx.Client(base_url=url, timeout=30) as client:
                client.get("/admin/")
                headers = {"X-CSRFToken": client.cookies["csrftoken"]}
                body = {"username": "nobody", "password": "wrong-password"}
                return [
                    client.post("/admin/public/login/", json=body, headers=headers).status_code
                    for _ in range(15)
                ]

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(attempts, [one, two]))
    statuses = Counter(results[0] + results[1])
    assert statuses[401] <= ADMIN_LOGIN_LIMIT, statuses
    assert statuses[429] >= 30 - ADMIN_LOGIN_LIMIT, statuses
    report(f"admin logins over two processes, 2 x 15 attempts: {dict(statuses)}")


def test_production_leaves_an_empty_database_empty_and_prints_no_password(
    database: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with serve(database, log, **PRODUCTION) as (url, _), httpx.Client(base_url=url) as c:
        assert c.post(LOGIN, json=DEMO).status_code == 401
        assert c.get("/api/invoices", headers={"Authorization": "Bearer x"}).status_code == 401
    output = log.read_text()
    assert "123456" not in output and "Demo login" not in output
    assert "demo data seeded" not in output


LAMBDA_SCRIPT = """
import json, sys, types
from src.http import lambda_handler
import importlib
url_event = importlib.import_module("tests.lambda.test_emulator").url_event

def login(headers, via_cloudfront=True):
    event = url_event(
        "POST", "/api/auth/login", via_cloudfront=via_cloudfront,
        body=json.dumps({"email": "user@nextmail.com", "password": "wrong-guess"}),
        headers={"content-type": "application/json", **headers},
    )
    context = types.SimpleNamespace(aws_request_id="test")
    return lambda_handler.handler(event, context)["statusCode"]

viewer = {"cloudfront-viewer-address": "198.51.100.7:50123"}
out = {
    "same_viewer": [login(viewer) for _ in range(11)],
    "other_viewer": login({"cloudfront-viewer-address": "[2001:db8::7]:443"}),
    "forged_without_secret": login(viewer, via_cloudfront=False),
    "forged_wrong_secret": login({**viewer, "x-origin-verify": "guess"}),
}
print("RESULT " + json.dumps(out))
"""


def test_lambda_takes_the_viewer_address_only_from_cloudfront(database: str) -> None:
    emulator = importlib.import_module("tests.lambda.test_emulator")
    env = {
        **os.environ,
        **PRODUCTION,
        "ALLOWED_HOSTS": emulator.PUBLIC_HOST,
        "DATABASE_URL": database,
        "ORIGIN_VERIFY_SECRET": emulator.ORIGIN_SECRET,
    }
    env.pop("AWS_LAMBDA_FUNCTION_NAME", None)
    subprocess.run(
        [sys.executable, "-m", "src.ops.cli", "migrate"], cwd=ROOT, env=env, check=True, timeout=120
    )
    out = run_script(LAMBDA_SCRIPT, env, timeout=120)
    # No demo user in production: every login is a wrong one, counted per viewer.
    assert out["same_viewer"] == [401] * 10 + [429]
    assert out["other_viewer"] == 401
    assert out["forged_without_secret"] == 403
    assert out["forged_wrong_secret"] == 403
