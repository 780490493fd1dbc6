"""The deploy pipeline's own scripts: the smoke test against a real server, the alarm watch,
and the rollback against a stand-in for the AWS CLI (AWS is the one thing replaced)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support import create_database, drop_database, serve

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "deploy" / "smoke.py"
ROLLBACK = ROOT / "scripts" / "rollback.sh"


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


watch_alarms = _load(ROOT / "deploy" / "watch_alarms.py")


# ---- smoke test --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database_url = create_database("acme_smoke")
    log = tmp_path_factory.mktemp("smoke") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            yield url
    finally:
        drop_database(database_url)


def _smoke(url: str, email: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SMOKE_EMAIL": email, "SMOKE_PASSWORD": password}
    return subprocess.run(
        [sys.executable, str(SMOKE), url, "--ready-timeout", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smoke_test_passes_against_a_running_app(server: str) -> None:
    result = _smoke(server, "user@nextmail.com", "123456")
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("/health", "/ready", "logs in", "/api/dashboard", "OpenAPI"):
        assert step in result.stdout
    assert "123456" not in result.stdout


def test_smoke_test_fails_on_a_wrong_password_without_printing_it(server: str) -> None:
    result = _smoke(server, "user@nextmail.com", "wrong-password-Ω")
    assert result.returncode == 1
    assert "FAIL login as the smoke account: HTTP 401" in result.stdout
    assert "wrong-password" not in result.stdout


@pytest.fixture
def static_site_only() -> Iterator[str]:
    """What production answered before: every path falls through to index.html (HTTP 200)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            body = b"<!doctype html><html><body>dashboard</body></html>"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_smoke_test_catches_health_answered_by_the_static_site(static_site_only: str) -> None:
    result = _smoke(static_site_only, "user@nextmail.com", "123456")
    assert result.returncode == 1
    assert "FAIL /health: answered 'text/html', not JSON" in result.stdout


# ---- alarm watch -------------------------------------------------------------------------


def _alarm(name: str, state: str, when: dt.datetime) -> dict[str, Any]:
    return {
        "AlarmName": name,
        "StateValue": state,
        "StateReason": "Threshold crossed" if state == "ALARM" else "",
        "StateUpdatedTimestamp": when.isoformat(),
    }


def test_an_alarm_firing_during_the_watch_fails_it_at_once() -> None:
    start = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)
    calls: list[int] = []

    def describe(names: Any) -> list[dict[str, Any]]:
        calls.append(1)
        state = "ALARM" if len(calls) >= 3 else "OK"
        return [
            _alarm("error-rate", state, start + dt.timedelta(minutes=1)),
            _alarm("p95", "OK", start),
        ]

    fired = watch_alarms.watch(
        ["error-rate", "p95"],
        minutes=10,
        interval=30,
        describe=describe,
        sleep=lambda s: None,
        now=lambda: start,
    )
    assert fired == ["error-rate: Threshold crossed"]
    assert len(calls) == 3  # stopped at the first firing, not after ten minutes


def test_an_alarm_already_firing_before_the_deploy_is_not_blamed_on_it() -> None:
    start = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)
    calls: list[int] = []

    def describe(names: Any) -> list[dict[str, Any]]:
        calls.append(1)
        return [_alarm("db-connections", "ALARM", start - dt.timedelta(hours=2))]

    fired = watch_alarms.watch(
        ["db-connections"],
        minutes=2,
        interval=30,
        describe=describe,
        sleep=lambda s: None,
        now=lambda: start,
    )
    assert fired == []
    assert len(calls) == 5  # bounded: 2 minutes / 30 s + 1


# ---- rollback ----------------------------------------------------------------------------

FAKE_AWS = r"""#!/usr/bin/env python3
import json, os, sys
args = sys.argv[1:]
state = json.load(open(os.environ["FAKE_AWS_STATE"]))
with open(os.environ["FAKE_AWS_LOG"], "a") as log:
    log.write(" ".join(args) + "\n")
def arg(name):
    return args[args.index(name) + 1]
cmd = args[:2]
if cmd == ["lambda", "get-alias"]:
    print(state["alias"])
elif cmd == ["lambda", "list-versions-by-function"]:
    print("\t".join(["$LATEST"] + state["versions"]))
elif cmd == ["lambda", "list-functions"]:
    print(state.get("function", "None"))
elif cmd == ["s3api", "list-object-versions"]:
    newest = max(v[1] for v in state["index_versions"])
    print(json.dumps({"Versions": [
        {"Key": "index.html", "VersionId": v, "LastModified": t, "IsLatest": t == newest}
        for v, t in state["index_versions"]
    ] + [{"Key": "index.html.bak", "VersionId": "x", "LastModified": "2030", "IsLatest": True}]}))
elif cmd[1] in ("update-alias", "copy-object", "create-invalidation"):
    print("ok")
else:
    sys.exit(f"fake aws: unexpected {args}")
"""


@pytest.fixture
def fake_aws(tmp_path: Path) -> dict[str, Any]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(FAKE_AWS)
    (bin_dir / "aws").chmod(0o755)
    state = {
        "alias": "42",
        "versions": ["1", "39", "41", "42", "43"],
        "index_versions": [
            ["v-old", "2026-11-20T10:00:00.000Z"],
            ["v-prev", "2026-11-25T10:00:00.000Z"],
            ["v-now", "2026-11-26T03:05:00.000Z"],
        ],
    }
    (tmp_path / "state.json").write_text(json.dumps(state))
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "api": "acme-dashboard-production-ApiFunction-abc123",
                "webBucket": "acme-dashboard-production-webassets-xyz",
                "distribution": "E2EXAMPLE",
            }
        )
    )
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "FAKE_AWS_STATE": str(tmp_path / "state.json"),
        "FAKE_AWS_LOG": str(tmp_path / "aws.log"),
        "OUTPUTS": str(outputs),
    }
    return {"env": env, "log": tmp_path / "aws.log"}


def _rollback(fake: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROLLBACK), *args], env=fake["env"], capture_output=True, text=True, timeout=60
    )


def _calls(fake: dict[str, Any]) -> list[str]:
    log: Path = fake["log"]
    return log.read_text().splitlines() if log.exists() else []


def test_rollback_moves_the_alias_and_the_page_to_the_previous_release(
    fake_aws: dict[str, Any],
) -> None:
    result = _rollback(fake_aws, "production")
    assert result.returncode == 0, result.stderr
    assert "live 42 -> 41" in result.stdout
    calls = _calls(fake_aws)
    assert any(c.startswith("lambda update-alias") and "--function-version 41" in c for c in calls)
    copy = next(c for c in calls if c.startswith("s3api copy-object"))
    assert "index.html?versionId=v-prev" in copy and "--metadata-directive COPY" in copy
    assert any(c.startswith("cloudfront create-invalidation") for c in calls)


def test_rollback_to_recorded_versions_and_the_record_itself(fake_aws: dict[str, Any]) -> None:
    record = _rollback(fake_aws, "production", "--record")
    assert record.stdout.split() == ["API_VERSION=42", "WEB_VERSION=v-now"]
    result = _rollback(fake_aws, "production", "--api-version", "39", "--web-version", "v-old")
    assert result.returncode == 0, result.stderr
    calls = _calls(fake_aws)
    assert any("--function-version 39" in c for c in calls)
    assert any("versionId=v-old" in c for c in calls)


def test_rollback_of_the_page_to_what_was_current_when_the_deploy_started(
    fake_aws: dict[str, Any],
) -> None:
    # The pipeline's case: the deploy began at 03:00 and wrote v-now at 03:05.
    result = _rollback(
        fake_aws, "production", "--api-version", "41", "--web-before", "2026-11-26T03:00:00Z"
    )
    assert result.returncode == 0, result.stderr
    assert "index.html v-now -> v-prev" in result.stdout
    assert any("versionId=v-prev" in c for c in _calls(fake_aws))


def test_rollback_dry_run_changes_nothing(fake_aws: dict[str, Any]) -> None:
    result = _rollback(fake_aws, "production", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout
    changing = ("update-alias", "copy-object", "create-invalidation")
    assert not [c for c in _calls(fake_aws) if any(word in c for word in changing)]


def test_rollback_refuses_another_stages_function(fake_aws: dict[str, Any]) -> None:
    result = _rollback(fake_aws, "staging")
    assert result.returncode == 1
    assert "is not a function of stage staging" in result.stderr
    assert not [c for c in _calls(fake_aws) if "update-alias" in c]
