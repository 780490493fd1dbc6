"""Payments of one invoice: list, record (Idempotency-Key honoured), void with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from src.domain.errors import FieldError, ValidationError
from src.domain.invoices.repository import NOT_FOUND as INVOICE_NOT_FOUND
from src.domain.money import MAX_CENTS
from src.domain.payments.repository import NOT_FOUND, PaymentOut, PaymentRepository
from src.domain.rules import invoice_date_ok
from src.http.auth import app_settings
from src.http.body import INVALID
from src.http.idempotency import IDEMPOTENT
from src.http.invoices.dto import AMOUNT_MESSAGES
from src.http.openapi import API_SECURITY, errors
from src.http.params import parse_id

Method = Literal["bank_transfer", "card", "cash", "check", "other"]


DATE_MESSAGE = "Please enter a date as YYYY-MM-DD between 1970 and 2099."


class PaymentCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    amount: Annotated[int, msgspec.Meta(gt=0, le=MAX_CENTS, description="Amount in cents")]
    method: Method
    date: Annotated[dt.date | None, msgspec.Meta(description="Defaults to today")] = None
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""

    __messages__ = {
        "amount": AMOUNT_MESSAGES,
        "method": "Please choose a method: bank_transfer, card, cash, check or other.",
        "date": DATE_MESSAGE,
        "note": {
            "type": "Please enter the note as text, or leave it out.",
            "length": "Please keep the note to 500 characters.",
        },
    }


class PaymentVoid(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]

    __messages__ = {"reason": "Please give a reason for voiding (1 to 500 characters)."}


def today(request: Request[Any, Any, Any]) -> dt.date:
    """Today in APP_TIMEZONE, the business's calendar."""
    return dt.datetime.now(app_settings(request).zone).date()


class PaymentController(Controller):
    path = "/invoices/{invoice_id:str}/payments"
    tags = ["payments"]
    security = API_SECURITY

    @get("/", summary="The invoice's payments, live and void, oldest first", responses=errors(404))
    async def list_payments(self, invoice_id: FromPath[str]) -> list[PaymentOut]:
        return await PaymentRepository().list(parse_id(invoice_id, INVOICE_NOT_FOUND))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        middleware=[IDEMPOTENT],
        summary="Record a payment (at most the balance due; honours Idempotency-Key)",
        responses=errors(404, 409, 415, 422),
    )
    async def record_payment(
        self,
        request: Request[Any, Any, Any],
        invoice_id: FromPath[str],
        data: JSONBody[PaymentCreate],
    ) -> PaymentOut:
        uid = parse_id(invoice_id, INVOICE_NOT_FOUND)
        date = data.date or today(request)
        note = data.note.strip()
        if not invoice_date_ok(date):
            raise ValidationError([FieldError("date", DATE_MESSAGE)], INVALID)
        return await PaymentRepository().record(uid, data.amount, date, data.method, note)

    @post(
        "/{payment_id:str}/void",
        status_code=HTTP_200_OK,
        summary="Void a payment (it stays listed, with the reason)",
        responses=errors(404, 409, 415),
    )
    async def void_payment(
        self,
        request: Request[Any, Any, Any],
        invoice_id: FromPath[str],
        payment_id: FromPath[str],
        data: JSONBody[PaymentVoid],
    ) -> Response[PaymentOut]:
        uid = parse_id(invoice_id, INVOICE_NOT_FOUND)
        pid = parse_id(payment_id, NOT_FOUND)
        reason = data.reason.strip()
        if not reason:
            raise ValidationError(
                [FieldError("reason", PaymentVoid.__messages__["reason"])], INVALID
            )
        return Response(await PaymentRepository().void(uid, pid, reason))
