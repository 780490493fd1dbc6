"""Read one AWS Secrets Manager secret (a JSON object of settings) at start-up, stdlib only.

On Lambda the deployment stores SECRET_KEY and DATABASE_URL in a Secrets Manager secret and
gives the function only its ARN (APP_SECRETS_ARN), so the values are in no environment
variable and can be rotated without a code change: a new value reaches every container that
starts after it was written (docs/deploy.md, "Secrets").

One signed HTTPS request (AWS Signature Version 4) through the VPC's Secrets Manager
endpoint: no boto3 (importing it would cost a cold start ~0.2 s) and no Lambda extension.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

_SERVICE = "secretsmanager"


class SecretsError(Exception):
    """The secret could not be read; the message names the secret, never its value."""


@dataclass(frozen=True)
class AwsCredentials:
    access_key: str
    secret_key: str
    session_token: str | None = None


def _sign(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signed_request(
    *,
    endpoint: str,
    region: str,
    credentials: AwsCredentials,
    target: str,
    body: bytes,
    now: dt.datetime | None = None,
) -> urllib.request.Request:
    """A POST of the AWS JSON protocol, signed with SigV4 for Secrets Manager."""
    if urlsplit(endpoint).scheme not in ("https", "http"):
        raise SecretsError(f"the Secrets Manager endpoint must be an http(s) URL: {endpoint!r}")
    moment = now or dt.datetime.now(dt.UTC)
    amz_date = moment.strftime("%Y%m%dT%H%M%SZ")
    day = moment.strftime("%Y%m%d")
    host = urlsplit(endpoint).netloc
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": host,
        "x-amz-date": amz_date,
        "x-amz-target": target,
    }
    if credentials.session_token:
        headers["x-amz-security-token"] = credentials.session_token
    signed_names = ";".join(sorted(headers))
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            "".join(f"{name}:{headers[name]}\n" for name in sorted(headers)),
            signed_names,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{_SERVICE}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _sign(("AWS4" + credentials.secret_key).encode(), day)
    for part in (region, _SERVICE, "aws4_request"):
        key = _sign(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed_names}, Signature={signature}"
    )
    return urllib.request.Request(endpoint, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above


def read_secret_json(
    secret_id: str,
    *,
    region: str,
    credentials: AwsCredentials,
    endpoint: str | None = None,
    timeout: float = 5.0,
) -> dict[str, str]:
    """The secret's SecretString, parsed as a JSON object of strings."""
    url = endpoint or f"https://{_SERVICE}.{region}.amazonaws.com"
    request = signed_request(
        endpoint=url,
        region=region,
        credentials=credentials,
        target="secretsmanager.GetSecretValue",
        body=json.dumps({"SecretId": secret_id}).encode(),
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - checked
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection
        raise SecretsError(f"could not read secret {secret_id}: HTTP {error.code}") from None
    except OSError as error:  # URLError, timeouts
        raise SecretsError(f"could not read secret {secret_id}: {error}") from None
    except ValueError:
        raise SecretsError(f"secret {secret_id}: the answer is not JSON") from None
    try:
        values = json.loads(answer["SecretString"])
    except (KeyError, TypeError, ValueError):
        raise SecretsError(f"secret {secret_id} does not hold a JSON object") from None
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise SecretsError(f"secret {secret_id} must be a JSON object of strings")
    return {str(k): v for k, v in values.items()}
