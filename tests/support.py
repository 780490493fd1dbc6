"""Test infrastructure: a PostgreSQL server (DATABASE_URL or embedded) and fresh databases."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from src.db import start_embedded
from src.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
_server_url: str | None = None
# Every server log written during the session, for the no-secrets-in-logs check.
SERVER_LOGS: list[Path] = []


def server_url() -> str:
    """The URL of a server to make test databases on: DATABASE_URL's, else an embedded one."""
    global _server_url
    if _server_url is None:
        url = os.environ.get("DATABASE_URL")
        if not url:
            folder = Path(tempfile.gettempdir()) / "acme-test-postgres"
            url = start_embedded(replace(get_settings(), data_dir=folder))
        _server_url = url
    return _server_url


def with_database(url: str, name: str) -> str:
    if url.startswith("postgresql://") and "?host=" in url:
        # unix-socket DSN (embedded): postgresql://user@/db?host=/path
        head, _, query = url.partition("?")
        base = head.rsplit("/", 1)[0]
        return f"{base}/{name}?{query}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(with_database(server_url(), "postgres"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_database(prefix: str = "acme_test") -> str:
    """Create an empty database with a unique name on the test server; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return with_database(server_url(), name)


def drop_database(url: str) -> None:
    name = url.split("?")[0].rsplit("/", 1)[-1]
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run_script(script: str, env: dict[str, str], timeout: float = 180) -> dict[str, Any]:
    """Runs `python -c script` in the project root with `env` (a process of its own: settings,
    engine and imports as a fresh start makes them) and returns the JSON object it printed on a
    line starting with `RESULT `."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not become healthy in {timeout} s")


@contextmanager
def serve(
    database_url: str, log: Path, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real server process (`python -m src.ops.cli serve`) on a free port: (url, process)."""
    port = free_port()
    environment = {
        **os.environ,
        "APP_ENV": "test",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": database_url,
        **env,
    }
    url = f"http://127.0.0.1:{port}"
    SERVER_LOGS.append(log)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "src.ops.cli", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_health(url, process, log)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


FIGURES: list[str] = []


def report(line: str) -> None:
    """A measured figure, printed in pytest's closing summary (and so in CI's output)."""
    FIGURES.append(line)


T = TypeVar("T")


def off_loop(function: Callable[..., T], *args: Any) -> T:
    """Run `function` in another thread: Playwright's sync API keeps an event loop running in
    the test thread, and asyncio.run (used by create_database) needs a thread without one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str:
    """Debian's Chromium (or CHROMIUM_PATH): browsers are never downloaded."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    raise RuntimeError("Chromium not found: install Debian's `chromium` or set CHROMIUM_PATH")
