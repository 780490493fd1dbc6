"""Smoke test of a deployed stage (the deploy pipeline runs it after every deploy).

    python3 deploy/smoke.py https://dashboard.example.com
    SMOKE_EMAIL=... SMOKE_PASSWORD=... (a dashboard user kept for this; never printed)

Checks what a user and an uptime monitor see: /health answers JSON from the function (not
the static site's index.html), /ready reaches the database (waiting up to --ready-timeout
seconds for a paused staging database to resume), the smoke account logs in, and
GET /api/dashboard answers its figures; the dashboard page carries the security headers and
the OpenAPI document is served. Exit status 0 when all pass, 1 naming the first failure.
Standard library only: it runs on any CI runner with python3.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any

HEADERS_ON_PAGES = [
    "content-security-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
]


class SmokeFailure(Exception):
    pass


def _request(
    url: str,
    *,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - the stage's own URL
        url, data=data, method=method, headers={"user-agent": "acme-smoke/1", **(headers or {})}
    )
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _json(status: int, headers: dict[str, str], raw: bytes, what: str) -> Any:
    media = headers.get("content-type", "").split(";")[0].strip()
    if not (media == "application/json" or media.endswith("+json")):
        raise SmokeFailure(
            f"{what}: answered {headers.get('content-type', 'no content type')!r}, not JSON"
            " (is the path routed to the function?)"
        )
    try:
        return json.loads(raw)
    except ValueError:
        raise SmokeFailure(f"{what}: the body is not JSON") from None


def check(base: str, email: str, password: str, ready_timeout: float) -> list[str]:
    base = base.rstrip("/")
    done: list[str] = []

    status, headers, raw = _request(f"{base}/health")
    if status != 200 or _json(status, headers, raw, "/health").get("status") != "ok":
        raise SmokeFailure(f"/health: HTTP {status}")
    done.append("/health answers ok from the function")

    deadline = time.monotonic() + ready_timeout
    while True:
        status, headers, raw = _request(f"{base}/ready")
        if status == 200 and _json(status, headers, raw, "/ready").get("status") == "ok":
            break
        if time.monotonic() > deadline:
            raise SmokeFailure(f"/ready: HTTP {status} after {ready_timeout:.0f} s")
        time.sleep(5)
    done.append("/ready: the database answers")

    status, headers, raw = _request(
        f"{base}/api/auth/login", method="POST", body={"email": email, "password": password}
    )
    if status != 200:
        raise SmokeFailure(f"login as the smoke account: HTTP {status}")
    token = _json(status, headers, raw, "login").get("token")
    if not token:
        raise SmokeFailure("login: no token in the answer")
    done.append("the smoke account logs in")

    status, headers, raw = _request(
        f"{base}/api/dashboard", headers={"authorization": f"Bearer {token}"}
    )
    cards = _json(status, headers, raw, "/api/dashboard").get("cards") if status == 200 else None
    if not isinstance(cards, dict) or "invoiceCount" not in cards:
        raise SmokeFailure(f"GET /api/dashboard: HTTP {status}, no cards")
    if "no-store" not in headers.get("cache-control", ""):
        raise SmokeFailure("GET /api/dashboard: not marked no-store (a shared cache could keep it)")
    done.append("GET /api/dashboard answers the cards")

    status, headers, raw = _request(f"{base}/")
    if status != 200 or b"<html" not in raw.lower():
        raise SmokeFailure(f"/: HTTP {status}, not the dashboard page")
    wanted = HEADERS_ON_PAGES if base.startswith("https://") else HEADERS_ON_PAGES[:1]
    missing = [name for name in wanted if name not in headers]
    if missing:
        raise SmokeFailure(f"/: missing security headers {', '.join(missing)}")
    done.append("the dashboard page carries the security headers")

    status, headers, raw = _request(f"{base}/schema/openapi.json")
    if status != 200 or "openapi" not in _json(status, headers, raw, "/schema/openapi.json"):
        raise SmokeFailure(f"/schema/openapi.json: HTTP {status}")
    done.append("the OpenAPI document is served")

    _request(
        f"{base}/api/auth/logout", method="POST", headers={"authorization": f"Bearer {token}"}
    )
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the stage's public URL, e.g. https://dashboard.example.com")
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    email, password = os.environ.get("SMOKE_EMAIL", ""), os.environ.get("SMOKE_PASSWORD", "")
    if not email or not password:
        print("smoke: set SMOKE_EMAIL and SMOKE_PASSWORD (the stage's smoke account)")
        return 2
    try:
        for line in check(args.url, email, password, args.ready_timeout):
            print(f"smoke: ok   {line}")
    except (SmokeFailure, OSError) as error:
        print(f"smoke: FAIL {error}")
        return 1
    print(f"smoke: {args.url} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
