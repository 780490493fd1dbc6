"""The built dashboard's files: text files go out gzipped (once per build, not per request)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import httpx

from src.http.app import create_app
from src.settings import get_settings


def _client(dist: Path) -> httpx.AsyncClient:
    app = create_app(replace(get_settings(), frontend_dist=dist), manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_a_bundle_goes_out_gzipped_and_follows_a_rebuild(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Build</title>")
    bundle = tmp_path / "assets" / "index-abc.js"
    bundle.parent.mkdir()
    bundle.write_text("console.log('first build');\n" * 100)
    async with _client(tmp_path) as client:
        first = await client.get("/assets/index-abc.js", headers={"Accept-Encoding": "gzip"})
        assert first.status_code == 200
        assert first.headers["content-encoding"] == "gzip"
        assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert first.text == bundle.read_text()

        bundle.write_text("console.log('second build, longer');\n" * 100)
        os.utime(bundle, (1, 1))  # a different modification time, whatever the clock's resolution
        second = await client.get("/assets/index-abc.js", headers={"Accept-Encoding": "gzip"})
        assert second.text == bundle.read_text()

        plain = await client.get("/assets/index-abc.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.text == bundle.read_text()


async def test_names_the_file_system_refuses_are_screens_or_404s_never_5xx(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Build</title>")
    long = "x" * 5000  # one part far past the file system's 255 bytes
    async with _client(tmp_path) as client:
        screen = await client.get(f"/dashboard/invoices/{long}")
        assert screen.status_code == 200
        assert "<title>Build</title>" in screen.text  # the dashboard answers it (its own 404)
        missing = await client.get(f"/assets/{long}.js")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Not found."}
        nested = await client.get(f"/{'y' * 300}/{'z' * 300}/file.css")
        assert nested.status_code == 404


async def test_a_screen_address_answers_the_dashboard_as_html_never_cached(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Build</title>")
    async with _client(tmp_path) as client:
        for address in ("/", "/dashboard/invoices", "/login?callbackUrl=%2Fdashboard"):
            screen = await client.get(address)
            assert screen.status_code == 200
            # One charset: a repeated parameter is a malformed header some clients refuse.
            assert screen.headers["content-type"] == "text/html; charset=utf-8"
            assert screen.headers["cache-control"] == "no-cache"
            assert screen.text == "<!doctype html><title>Build</title>"
