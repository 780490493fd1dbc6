"""The SST config against the app it deploys: what only reading both side by side can check.

`make sst-check` type-checks the config against SST's component types; this checks that its
values are the app's: the security headers CloudFront adds to the static site, the paths it
sends to the function, the metrics the alarms and dashboards read (a misspelt name is an
alarm that never fires), and the asset rules that keep an open tab working across a deploy.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from src.http.security import DASHBOARD_CSP, security_headers
from src.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
CONFIG = (ROOT / "deploy" / "sst" / "sst.config.ts").read_text()


def _ts_string(name: str) -> str:
    """A string constant of SECURITY_HEADERS (possibly `"..." +` concatenated)."""
    match = re.search(rf"{name}:\s*((?:\s*\"[^\"]*\"\s*\+?)+)", CONFIG)
    assert match, name
    return "".join(re.findall(r"\"([^\"]*)\"", match.group(1)))


def _app_headers(path: str) -> dict[str, str]:
    settings = load_settings(
        {"APP_ENV": "production", "SECRET_KEY": "s" * 40, "ALLOWED_HOSTS": "acme.example.com"}
    )
    hook = security_headers(settings)
    message: dict[str, Any] = {"type": "http.response.start", "status": 200, "headers": []}
    asyncio.run(hook(message, {"path": path}))  # type: ignore[arg-type]
    return {k.decode().lower(): v.decode() for k, v in message["headers"]}


def test_cloudfront_gives_the_static_site_the_apps_security_headers() -> None:
    app = _app_headers("/")
    assert _ts_string("contentSecurityPolicy") == app["content-security-policy"] == DASHBOARD_CSP
    assert _ts_string("frameOptions") == app["x-frame-options"]
    assert _ts_string("referrerPolicy") == app["referrer-policy"]
    assert _ts_string("permissionsPolicy") == app["permissions-policy"]
    assert _ts_string("crossOriginOpenerPolicy") == app["cross-origin-opener-policy"]
    assert app["x-content-type-options"] == "nosniff"
    assert "contentTypeOptions: { override: false }" in CONFIG
    max_age = re.search(r"maxAgeSeconds:\s*(\d+)", CONFIG)
    assert max_age
    assert app["strict-transport-security"] == (f"max-age={max_age.group(1)}; includeSubDomains")
    assert "includeSubdomains: true" in CONFIG
    # The function's own answers keep their (per-area) policy: CloudFront must not override.
    policy = CONFIG[CONFIG.index("new aws.cloudfront.ResponseHeadersPolicy") :]
    policy = policy[: policy.index("});")]
    assert "override: true" not in policy
    assert "responseHeadersPolicyId: headersPolicy.id" in CONFIG


def test_health_readiness_and_the_api_docs_reach_the_function() -> None:
    routes = re.search(r"FUNCTION_ROUTES = \[([^\]]*)\]", CONFIG)
    assert routes
    paths = set(re.findall(r"\"([^\"]+)\"", routes.group(1)))
    assert paths == {"/api", "/admin", "/health", "/ready", "/schema"}
    # The /schema page's own script and styles are in the frontend build (/swagger/), which the
    # static site serves; the page itself comes from the function.
    app_source = (ROOT / "src" / "http" / "app.py").read_text()
    assert 'SWAGGER = "/swagger"' in app_source and 'path="/schema"' in app_source
    assert (ROOT / "frontend" / "dist" / "swagger" / "swagger-ui-bundle.js").is_file()


def test_every_app_metric_the_alarms_and_dashboards_read_is_emitted() -> None:
    read = set(re.findall(r"\"Acme\",\s*\"([A-Za-z.0-9]+)\"", CONFIG))
    read |= set(re.findall(r"namespace: \"Acme\", metricName: \"([A-Za-z.0-9]+)\"", CONFIG))
    read |= set(re.findall(r"namespace: \"Acme\",\s*metricName: \"([A-Za-z.0-9]+)\"", CONFIG, re.S))
    emitted = set()
    for source in (ROOT / "src").rglob("*.py"):
        emitted |= set(re.findall(r"metric\(\s*\"([A-Za-z.0-9]+)\"", source.read_text()))
    assert {"API.5xx", "API.Requests", "User.Login", "Invoice.AmountCents"} <= read
    assert read <= emitted, sorted(read - emitted)


def test_old_assets_stay_and_new_ones_wait_for_the_migrations() -> None:
    assert "purge: false" in CONFIG
    assert "args.versioning = true" in CONFIG
    assert "noncurrentDays: 90" in CONFIG
    assert '{ files: "assets/**", cacheControl: "public,max-age=31536000,immutable" }' in CONFIG
    assert '{ files: "**/*.html", cacheControl: "no-cache" }' in CONFIG
    assert "$resolve([migration.result, live.functionVersion])" in CONFIG
    # The immutable rule is safe only because every file under assets/ has a content hash
    # in its name (Vite's build): a changed file is a new name, never a changed object.
    built = list((ROOT / "frontend" / "dist" / "assets").iterdir())
    assert built, "make frontend first"
    unhashed = [p.name for p in built if not re.search(r"-[A-Za-z0-9_-]{8}\.\w+$", p.name)]
    assert unhashed == []


def test_network_edge_settings() -> None:
    assert "d.isIpv6Enabled = true" in CONFIG
    assert 'include: "all"' in CONFIG  # WAF logging
    assert "rateLimitPerIp: 2000" in CONFIG
    # No `link`: it would grant the Data API and the master secret to the functions.
    assert "link:" not in CONFIG


def test_every_make_target_and_script_the_docs_name_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))
    for doc in ("docs/deploy.md", "README.md"):
        text = (ROOT / doc).read_text()
        named = set(re.findall(r"`make ([a-z][a-z0-9-]*)", text))
        assert named, doc
        assert named <= targets, (doc, sorted(named - targets))
        for script in re.findall(r"\b((?:scripts|deploy)/[\w./-]+\.(?:sh|py|ts))\b", text):
            assert (ROOT / script).exists(), (doc, script)
