"""Settings from the deployment's Secrets Manager secret: SECRET_KEY and DATABASE_URL live in
no environment variable on AWS, and a rotated value is what the next container reads."""

from __future__ import annotations

import importlib

import pytest

from src.settings import SettingsError, load_settings

# `lambda` is a keyword: the package's modules are reachable through importlib only.
fake_aws = importlib.import_module("tests.lambda.fake_aws")
ACCESS_KEY, SESSION_TOKEN = fake_aws.ACCESS_KEY, fake_aws.SESSION_TOKEN
fake_secrets_manager = fake_aws.fake_secrets_manager

ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-api-AbCdEf"
KEY = "rotated-" + "x" * 40


def _env(url: str, **extra: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "ALLOWED_HOSTS": "acme.example.com",
        "APP_SECRETS_ARN": ARN,
        "AWS_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": "fake-secret-access-key",
        "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": url,
        **extra,
    }


def test_secret_values_come_from_secrets_manager_not_the_environment() -> None:
    url = "postgresql://acme_app:s3cret@proxy.example:5432/acme?sslmode=require"
    with fake_secrets_manager({ARN: {"SECRET_KEY": KEY, "DATABASE_URL": url}}) as sm:
        settings = load_settings(_env(sm.url))
    assert settings.secret_key == KEY
    assert settings.database_url == url
    assert sm.reads == [ARN] and sm.refusals == []


def test_a_rotated_secret_is_what_the_next_start_reads() -> None:
    values = {"SECRET_KEY": KEY}
    with fake_secrets_manager({ARN: values}) as sm:
        first = load_settings(_env(sm.url))
        values["SECRET_KEY"] = "after-rotation-" + "y" * 40
        second = load_settings(_env(sm.url))
    assert first.secret_key == KEY
    assert second.secret_key == "after-rotation-" + "y" * 40


def test_secret_wins_over_a_stale_environment_value() -> None:
    with fake_secrets_manager({ARN: {"SECRET_KEY": KEY}}) as sm:
        settings = load_settings(_env(sm.url, SECRET_KEY="stale-" + "z" * 40))
    assert settings.secret_key == KEY


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ({"SECRET_KEY": KEY, "APP_ENV": "development"}, "may not set: APP_ENV"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set to a random value"),
    ],
)
def test_a_secret_cannot_weaken_the_settings(stored: dict[str, str], message: str) -> None:
    with fake_secrets_manager({ARN: stored}) as sm, pytest.raises(SettingsError, match=message):
        load_settings(_env(sm.url))


def test_unknown_secret_or_bad_credentials_fail_start_up_without_leaking() -> None:
    with fake_secrets_manager({ARN: {"SECRET_KEY": KEY}}) as sm:
        with pytest.raises(SettingsError, match="could not read secret") as missing:
            load_settings(_env(sm.url, APP_SECRETS_ARN=ARN + "-gone"))
        with pytest.raises(SettingsError, match="could not read secret") as refused:
            load_settings(_env(sm.url, AWS_SESSION_TOKEN="expired"))
    assert sm.refusals == ["token"]
    for error in (missing.value, refused.value):
        assert KEY not in str(error) and "fake-secret-access-key" not in str(error)


def test_no_credentials_is_a_one_line_error() -> None:
    env = _env("http://127.0.0.1:9")
    del env["AWS_ACCESS_KEY_ID"]
    with pytest.raises(SettingsError, match="AWS_REGION and AWS credentials"):
        load_settings(env)


def test_an_unreachable_endpoint_fails_fast() -> None:
    # A closed port: refused at once (on AWS the VPC endpoint's private DNS answers).
    with pytest.raises(SettingsError, match="could not read secret"):
        load_settings(_env("http://127.0.0.1:9"))
