"""The committed API types must match the server's OpenAPI document."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"


def test_committed_api_types_match_the_openapi_document(server: str, tmp_path: Path) -> None:
    with urllib.request.urlopen(f"{server}/schema/openapi.json") as response:  # noqa: S310 - local URL
        document = json.load(response)
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(document))
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [
            str(FRONTEND / "node_modules" / ".bin" / "openapi-typescript"),
            str(source),
            "-o",
            str(generated),
        ],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
    )
    committed = (FRONTEND / "src" / "api" / "schema.d.ts").read_text()
    assert generated.read_text() == committed, (
        "frontend/src/api/schema.d.ts is behind the API: run `make gen-api` and commit the result"
    )
