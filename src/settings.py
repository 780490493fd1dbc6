"""Application settings: the only module that reads the environment."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_ENVS = frozenset({"development", "test"})
APP_ENVS = DEV_ENVS | {"staging", "production"}
DEFAULT_SECRET = "change-me"  # noqa: S105 - the placeholder that is refused outside development


class SettingsError(Exception):
    """A bad or missing setting; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    app_env: str = "development"
    database_url: str | None = None
    secret_key: str = DEFAULT_SECRET
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = PROJECT_ROOT / ".data"
    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    timezone: str = "UTC"
    # Days from an invoice's date to its due date when the form or API gives none.
    payment_terms_days: int = 30
    allowed_hosts: tuple[str, ...] = ("*",)
    db_pool_min: int = 1
    db_pool_max: int = 10
    db_statement_cache_size: int = 100
    db_command_timeout: float = 10.0
    # Per-request database time budget: a statement running longer is cancelled (503).
    db_statement_timeout_ms: int = 5000
    # Pooled connections idle this long are closed (re-opened on demand).
    db_max_idle_seconds: float = 60.0
    # Requests one client (session token, else address) may have in flight at once; more: 429.
    client_max_in_flight: int = 8
    # Hosts whose https:// pictures customers may use (imageUrl); empty: same-site paths only.
    image_hosts: tuple[str, ...] = ()
    log_level: str = "INFO"
    lambda_function: str | None = None
    # Set in Lambda by the deployment: CloudFront sends it so the function URL cannot bypass WAF.
    origin_verify_secret: str = ""
    # Addresses/networks of reverse proxies whose X-Forwarded-For/-Proto uvicorn believes.
    # Empty (the default): nobody's; the socket address is the client's.
    trusted_proxies: tuple[str, ...] = ()
    # For `python -m src.ops.cli staff` only; there is no default staff account.
    staff_username: str | None = None
    staff_password: str | None = None
    # Uploaded avatars go to this S3 bucket when set (AWS); else under data_dir/uploads.
    upload_bucket: str | None = None
    # The migrator (database owner) creates this login role with DML rights only, for the API
    # to connect as (src/ops/db_roles.py); unset locally, where one role does everything.
    db_app_role: str | None = None
    db_app_password: str | None = None
    # Days of audit trail kept by `python -m src.ops.cli audit-prune`; None keeps everything.
    audit_retention_days: int | None = None
    # Requests per minute one API key may make (per server process).
    api_key_rate_limit: int = 600

    @property
    def is_development(self) -> bool:
        return self.app_env in DEV_ENVS

    @property
    def secure_cookies(self) -> bool:
        return self.app_env != "development" and self.app_env != "test"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _int(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


# What the deployment's Secrets Manager secret (APP_SECRETS_ARN) may set.
SECRET_SETTINGS = frozenset({"SECRET_KEY", "DATABASE_URL", "DB_APP_PASSWORD"})


def _with_aws_secret(env: dict[str, str]) -> dict[str, str]:
    """On AWS: overlay the JSON settings kept in the Secrets Manager secret APP_SECRETS_ARN."""
    secret_id = env.get("APP_SECRETS_ARN", "").strip()
    if not secret_id:
        return env
    from src.aws_secrets import AwsCredentials, SecretsError, read_secret_json

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or ""
    access_key, secret = env.get("AWS_ACCESS_KEY_ID", ""), env.get("AWS_SECRET_ACCESS_KEY", "")
    if not region or not access_key or not secret:
        raise SettingsError("APP_SECRETS_ARN needs AWS_REGION and AWS credentials")
    try:
        values = read_secret_json(
            secret_id,
            region=region,
            credentials=AwsCredentials(access_key, secret, env.get("AWS_SESSION_TOKEN")),
            endpoint=env.get("AWS_ENDPOINT_URL_SECRETS_MANAGER") or None,
        )
    except SecretsError as error:
        raise SettingsError(str(error)) from None
    unknown = sorted(values.keys() - SECRET_SETTINGS)
    if unknown:
        raise SettingsError(f"APP_SECRETS_ARN holds settings it may not set: {', '.join(unknown)}")
    return {**env, **values}


def _seconds(env: dict[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low:g} and {high:g} seconds, got {raw}")
    return value


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from an environment mapping, failing fast with a one-line message."""
    env = _with_aws_secret(dict(os.environ) if env is None else env)
    app_env = env.get("APP_ENV", "development").strip().lower()
    if app_env not in APP_ENVS:
        raise SettingsError(
            f"APP_ENV must be one of {', '.join(sorted(APP_ENVS))}, got {app_env!r}"
        )
    secret_key = env.get("SECRET_KEY", "")
    if app_env in DEV_ENVS:
        # Unset in development: a per-process random key. It keys the login throttle's rows (HMAC),
        # so there the counts last as long as the process; set SECRET_KEY to share them.
        secret_key = secret_key or secrets.token_urlsafe(32)
    elif not secret_key or secret_key == DEFAULT_SECRET or len(secret_key) < 32:
        raise SettingsError(
            "SECRET_KEY must be set to a random value of at least 32 characters outside development"
        )
    timezone = env.get("APP_TIMEZONE", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"APP_TIMEZONE is not a known time zone: {timezone!r}") from None
    hosts = tuple(h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip())
    if not hosts:
        if app_env not in DEV_ENVS:
            raise SettingsError("ALLOWED_HOSTS must list the public host names outside development")
        hosts = ("*",)
    proxies = tuple(p.strip() for p in env.get("TRUSTED_PROXIES", "").split(",") if p.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"TRUSTED_PROXIES must list IP addresses or networks, got {proxy!r}"
            ) from None
    data_dir = Path(env.get("DATA_DIR", str(PROJECT_ROOT / ".data")))
    lambda_function = env.get("AWS_LAMBDA_FUNCTION_NAME") or None
    return Settings(
        app_env=app_env,
        database_url=env.get("DATABASE_URL") or None,
        secret_key=secret_key,
        host=env.get("HOST", "127.0.0.1"),
        port=_int(env, "PORT", 8000, 1, 65535),
        data_dir=data_dir,
        frontend_dist=Path(env.get("FRONTEND_DIST", str(PROJECT_ROOT / "frontend" / "dist"))),
        timezone=timezone,
        payment_terms_days=_int(env, "PAYMENT_TERMS_DAYS", 30, 0, 3650),
        allowed_hosts=hosts,
        db_pool_min=_int(env, "DB_POOL_MIN", 1, 0, 100),
        db_pool_max=_int(env, "DB_POOL_MAX", 10, 1, 100),
        db_statement_cache_size=_int(env, "DB_STATEMENT_CACHE_SIZE", 100, 0, 10_000),
        db_statement_timeout_ms=_int(env, "DB_STATEMENT_TIMEOUT_MS", 5000, 100, 600_000),
        db_max_idle_seconds=float(_int(env, "DB_MAX_IDLE_SECONDS", 60, 1, 3600)),
        client_max_in_flight=_int(env, "CLIENT_MAX_IN_FLIGHT", 8, 1, 1000),
        image_hosts=tuple(
            h.strip().lower() for h in env.get("IMAGE_HOSTS", "").split(",") if h.strip()
        ),
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
        lambda_function=lambda_function,
        staff_username=env.get("STAFF_USERNAME") or None,
        staff_password=env.get("STAFF_PASSWORD") or None,
        origin_verify_secret=env.get("ORIGIN_VERIFY_SECRET", ""),
        upload_bucket=env.get("UPLOAD_BUCKET") or None,
        db_command_timeout=_seconds(env, "DB_COMMAND_TIMEOUT", 10.0, 1.0, 900.0),
        db_app_role=env.get("DB_APP_ROLE") or None,
        db_app_password=env.get("DB_APP_PASSWORD") or None,
        trusted_proxies=proxies,
        audit_retention_days=_int(env, "AUDIT_RETENTION_DAYS", 0, 1, 36_500) or None,
        api_key_rate_limit=_int(env, "API_KEY_RATE_LIMIT", 600, 1, 1_000_000),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
