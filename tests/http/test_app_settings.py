"""create_app(settings) serves with the settings it is given, not the process environment's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from src.http.app import create_app
from src.settings import get_settings


async def test_the_dashboard_comes_from_the_apps_own_build_folder(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Other build</title>")
    app = create_app(replace(get_settings(), frontend_dist=tmp_path), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for path in ("/", "/dashboard/invoices"):
            page = await client.get(path)
            assert page.status_code == 200
            assert "<title>Other build</title>" in page.text
