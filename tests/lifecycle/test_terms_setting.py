"""PAYMENT_TERMS_DAYS: read once, refused when it is not a sensible number of days."""

from __future__ import annotations

import pytest

from src.settings import SettingsError, load_settings


def test_payment_terms_default_to_30_days() -> None:
    assert load_settings({}).payment_terms_days == 30
    assert load_settings({"PAYMENT_TERMS_DAYS": "14"}).payment_terms_days == 14
    assert load_settings({"PAYMENT_TERMS_DAYS": "0"}).payment_terms_days == 0


@pytest.mark.parametrize("value", ["-1", "thirty", "3651", "1.5"])
def test_bad_payment_terms_are_refused_with_the_name(value: str) -> None:
    with pytest.raises(SettingsError, match="PAYMENT_TERMS_DAYS"):
        load_settings({"PAYMENT_TERMS_DAYS": value})


async def test_new_invoices_use_the_configured_terms(db: None) -> None:
    import dataclasses
    import datetime as dt

    import httpx

    from src.http.app import create_app
    from src.settings import get_settings
    from tests.conftest import login

    app = create_app(
        dataclasses.replace(get_settings(), payment_terms_days=14), manage_database=False
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.headers["Authorization"] = f"Bearer {await login(client)}"
        made = await client.post(
            "/api/invoices",
            json={
                "customerId": "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa",
                "amount": 5,
                "status": "pending",
            },
        )
    body = made.json()
    assert dt.date.fromisoformat(body["dueDate"]) - dt.date.fromisoformat(
        body["date"]
    ) == dt.timedelta(days=14)
