"""Runs last: the logs of the whole test session hold no password, token, cookie or hash."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import SERVER_LOGS

ROOT = Path(__file__).resolve().parents[1]
SECRETS = [
    re.compile(r"\$argon2id?\$"),  # a password hash
    re.compile(r"acme_session=[A-Za-z0-9_-]{16}"),  # a session cookie
    re.compile(r"acme_csrf=[A-Za-z0-9_-]{16}"),
    re.compile(r"(?i)bearer\s+[A-Za-z0-9_-]{16}"),  # a bearer token
    re.compile(r"acme_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),  # an API key's secret, anywhere
    re.compile(r"(?i)\"token\"\s*:\s*\"[A-Za-z0-9_-]{16}"),
    re.compile(r"(?i)\"?password\"?\s*[:=]\s*\"?(?!\[redacted\])[^\s\"]{3}"),
    re.compile(r"123456\"|'123456'|password=123456"),  # the demo password in a body
]


def _logs() -> list[Path]:
    session_log = ROOT / "test-results" / "pytest.log"
    return [p for p in [session_log, *SERVER_LOGS] if p.exists()]


def test_no_secret_in_any_log() -> None:
    logs = _logs()
    assert logs, "no log was written"
    leaks = [
        f"{path.name}: {match.group(0)[:40]}"
        for path in logs
        for pattern in SECRETS
        for match in pattern.finditer(path.read_text(errors="replace"))
    ]
    assert leaks == []


def test_the_check_would_see_a_leak() -> None:
    for sample in [
        'login {"email": "a@b.co", "password": "hunter22"}',
        "Authorization: Bearer abcdefghijklmnopqrstu",
        "Set-Cookie: acme_session=abcdefghijklmnopqrstu",
        "key acme_" + "x" * 43,
    ]:
        assert any(p.search(sample) for p in SECRETS), sample
