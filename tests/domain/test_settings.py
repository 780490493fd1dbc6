from __future__ import annotations

import pytest

from src.settings import SettingsError, load_settings

PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "s" * 40, "ALLOWED_HOSTS": "acme.example"}


def test_development_needs_nothing() -> None:
    settings = load_settings({})
    assert settings.app_env == "development" and settings.database_url is None
    assert len(settings.secret_key) >= 32 and settings.port == 8000


@pytest.mark.parametrize("secret", ["", "change-me", "short"])
def test_a_missing_or_default_secret_stops_production(secret: str) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({**PRODUCTION, "SECRET_KEY": secret})


def test_production_needs_allowed_hosts() -> None:
    with pytest.raises(SettingsError, match="ALLOWED_HOSTS"):
        load_settings({k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"})


@pytest.mark.parametrize(
    ("name", "value"), [("PORT", "eighty"), ("PORT", "70000"), ("APP_ENV", "prod"),
                        ("APP_TIMEZONE", "Mars/Base")],
)  # fmt: skip
def test_bad_values_fail_fast_with_one_line(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({**PRODUCTION, name: value})
    assert name in str(info.value) and "\n" not in str(info.value)


def test_every_setting_is_read() -> None:
    settings = load_settings(
        {**PRODUCTION, "DATABASE_URL": "postgresql://db/x", "PORT": "9000",
         "APP_TIMEZONE": "Pacific/Kiritimati", "ORIGIN_VERIFY_SECRET": "o" * 40}
    )  # fmt: skip
    assert settings.database_url == "postgresql://db/x" and settings.port == 9000
    assert settings.timezone == "Pacific/Kiritimati"
    assert settings.origin_verify_secret == "o" * 40
    assert settings.secure_cookies and not settings.is_development
