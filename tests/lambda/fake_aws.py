"""A stand-in for AWS Secrets Manager's GetSecretValue on 127.0.0.1 (AWS itself is the one
thing the tests replace). It checks what a real endpoint checks first: the SigV4 header
shape, the target, the session token, the secret id; and it counts the reads."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCESS_KEY = "ASIAFAKEACCESSKEY123"
SESSION_TOKEN = "fake-session-token"


@dataclass
class FakeSecretsManager:
    secrets: dict[str, dict[str, str]]
    url: str = ""
    reads: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


@contextmanager
def fake_secrets_manager(secrets: dict[str, dict[str, str]]) -> Iterator[FakeSecretsManager]:
    state = FakeSecretsManager(secrets)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _answer(self, status: int, doc: dict[str, Any]) -> None:
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("content-type", "application/x-amz-json-1.1")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            auth = self.headers.get("authorization", "")
            problems = []
            if not auth.startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/"):
                problems.append("credential")
            if "/secretsmanager/aws4_request" not in auth or "Signature=" not in auth:
                problems.append("scope")
            if self.headers.get("x-amz-target") != "secretsmanager.GetSecretValue":
                problems.append("target")
            if self.headers.get("x-amz-security-token") != SESSION_TOKEN:
                problems.append("token")
            if problems:
                state.refusals.append(",".join(problems))
                self._answer(403, {"__type": "UnrecognizedClientException"})
                return
            secret_id = json.loads(body)["SecretId"]
            state.reads.append(secret_id)
            if secret_id not in state.secrets:
                self._answer(400, {"__type": "ResourceNotFoundException"})
                return
            value = json.dumps(state.secrets[secret_id])
            self._answer(200, {"ARN": secret_id, "Name": "app", "SecretString": value})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
