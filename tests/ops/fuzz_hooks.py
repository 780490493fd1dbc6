"""Schemathesis hooks for the fuzz run (loaded by the CLI through SCHEMATHESIS_HOOKS).

Every request carries a bearer token of the demo user. When the run itself logs that session
out (POST /api/auth/logout is fuzzed like any other operation), the next request logs in again
instead of going on with a dead token.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis

DEMO = {"email": "user@nextmail.com", "password": "123456"}
LOGOUT = "/api/auth/logout"
_token: dict[str, str] = {}


def _login() -> str:
    response = httpx.post(f"{os.environ['FUZZ_BASE_URL']}/api/auth/login", json=DEMO, timeout=30)
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


@schemathesis.auth(refresh_interval=None)
class DemoSession:
    def get(self, case: Any, ctx: Any) -> str:
        if "token" not in _token:
            _token["token"] = _login()
        return _token["token"]

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    if case.operation.path == LOGOUT and response.status_code == 204:
        _token.clear()  # that session has ended: log in again for the next request
