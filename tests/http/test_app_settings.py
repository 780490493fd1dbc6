"""create_app(settings) serves with the settings it is given, not the process environment's."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import asyncpg
import httpx

from src.http.app import create_app
from src.settings import get_settings
from tests.support import ROOT, create_database, drop_database, run_script


async def test_the_dashboard_comes_from_the_apps_own_build_folder(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Other build</title>")
    app = create_app(replace(get_settings(), frontend_dist=tmp_path), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for path in ("/", "/dashboard/invoices"):
            page = await client.get(path)
            assert page.status_code == 200
            assert "<title>Other build</title>" in page.text


SERVE_OTHER = """
import asyncio, json, os
from litestar.testing import AsyncTestClient
from piccolo.engine import engine_finder
from src.http.app import create_app
from src.settings import load_settings

async def main():
    settings = load_settings({"APP_ENV": "test", "DATABASE_URL": os.environ["OTHER_DATABASE_URL"]})
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        # A Piccolo query finds the engine through piccolo_conf.py: it keeps the app's database.
        engine_finder()
        login = await client.post(
            "/api/auth/login", json={"email": "user@nextmail.com", "password": "123456"}
        )
        headers = {"Authorization": "Bearer " + login.json()["token"]}
        found = await client.get("/api/customers", params={"query": "Only Elsewhere"},
                                 headers=headers)
        demo = await client.get("/api/customers", params={"query": "Evil Rabbit"},
                                headers=headers)
    print("RESULT " + json.dumps({
        "login": login.status_code,
        "found": [c["name"] for c in found.json()["items"]],
        "demo": [c["name"] for c in demo.json()["items"]],
    }))

asyncio.run(main())
"""


def test_the_app_serves_the_database_of_its_own_settings(migrated: str) -> None:
    """The environment names the test session's database, and is not even valid settings
    (production without SECRET_KEY): the app, given settings built after every import that name
    another database, imports, starts and serves that other database's rows."""
    other = create_database("acme_other_app")
    try:
        env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": other}
        seeded = subprocess.run(
            [sys.executable, "-m", "src.ops.cli", "seed"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        asyncio.run(_add_customer(other, "Only Elsewhere", "only@elsewhere.example"))
        env = {**os.environ, "APP_ENV": "production", "DATABASE_URL": migrated}
        env.pop("SECRET_KEY", None)
        out = run_script(SERVE_OTHER, {**env, "OTHER_DATABASE_URL": other})
    finally:
        drop_database(other)
    assert out == {"login": 200, "found": ["Only Elsewhere"], "demo": ["Evil Rabbit"]}


async def _add_customer(url: str, name: str, email: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO customers (name, email, email_key) VALUES ($1, $2, $3)", name, email, email
        )
    finally:
        await conn.close()
