"""The back office's admin app: one table config per table, and the app as mounted.

What differs from Piccolo Admin's defaults, and why:
- invoices show the customer's name (Customer.get_readable), newest first, amount labelled as
  cents, filters on customer, status, date and amount;
- customers and users are searchable by name and email; users never show the password hash
  nor the email key;
- every write is checked first (checks.py) and completed by hooks (hooks.py: email keys,
  argon2id passwords, payment voids);
- the audit trail is a read-only table (filters: table, actor, date);
- `production=True` (CSRF origin check against ALLOWED_HOSTS) outside development.
"""

from __future__ import annotations

import warnings
from typing import Any

from piccolo.apps.user.tables import BaseUser
from piccolo_admin.endpoints import FormConfig, TableConfig, create_admin
from piccolo_api.crud.endpoints import OrderBy
from piccolo_api.crud.hooks import Hook, HookType
from piccolo_api.crud.validators import Validators
from piccolo_api.session_auth.tables import SessionsBase

from src.domain.audit.tables import AuditEntry
from src.domain.customers.tables import Customer
from src.domain.invoices.tables import Invoice
from src.domain.payments.tables import Payment
from src.domain.revenue.tables import Revenue
from src.domain.users.tables import User
from src.http.admin.audited import StaffAudited
from src.http.admin.checks import (
    READ_ONLY,
    check_customer,
    check_invoice,
    check_payment,
    check_revenue,
    check_user,
    on_writes,
    refuse_payment_delete,
)
from src.http.admin.edge import AdminEdge, NoLimit
from src.http.admin.hooks import (
    DashboardPassword,
    key_new_row,
    key_patched_row,
    prepare_customer_put,
    prepare_new_user,
    prepare_patched_user,
    prepare_user_put,
    set_dashboard_password,
    void_only,
)
from src.settings import Settings

__all__ = ["build_admin", "build_edge"]


def _invoices() -> TableConfig:
    return TableConfig(
        Invoice,
        visible_columns=[
            Invoice.id,
            Invoice.customer_id,
            Invoice.amount,
            Invoice.status,
            Invoice.date,
            Invoice.updated_at,
        ],
        visible_filters=[Invoice.customer_id, Invoice.status, Invoice.date, Invoice.amount],
        order_by=[OrderBy(Invoice.date, ascending=False), OrderBy(Invoice.id, ascending=False)],
        validators=on_writes(check_invoice),
    )


def _payments() -> TableConfig:
    return TableConfig(
        Payment,
        visible_columns=[
            Payment.invoice_id,
            Payment.amount,
            Payment.date,
            Payment.method,
            Payment.note,
            Payment.voided_at,
            Payment.void_reason,
        ],
        visible_filters=[Payment.invoice_id, Payment.method, Payment.date],
        order_by=[OrderBy(Payment.created_at, ascending=False)],
        validators=Validators(
            post_single=[check_payment],
            put_single=[check_payment],
            patch_single=[check_payment],
            delete_single=[refuse_payment_delete],
        ),
        hooks=[Hook(HookType.pre_patch, void_only)],
    )


def _customers() -> TableConfig:
    return TableConfig(
        Customer,
        visible_columns=[Customer.id, Customer.name, Customer.email, Customer.image_url],
        visible_filters=[Customer.name, Customer.email],
        order_by=[OrderBy(Customer.name)],
        validators=Validators(
            post_single=[check_customer],
            patch_single=[check_customer],
            put_single=[check_customer, prepare_customer_put],
        ),
        hooks=[Hook(HookType.pre_save, key_new_row), Hook(HookType.pre_patch, key_patched_row)],
    )


def _users() -> TableConfig:
    return TableConfig(
        User,
        exclude_visible_columns=[User.password, User.email_key],
        visible_filters=[User.name, User.email],
        order_by=[OrderBy(User.email)],
        validators=Validators(
            post_single=[check_user],
            patch_single=[check_user],
            put_single=[check_user, prepare_user_put],
        ),
        hooks=[
            Hook(HookType.pre_save, prepare_new_user),
            Hook(HookType.pre_patch, prepare_patched_user),
        ],
    )


def _revenue() -> TableConfig:
    return TableConfig(
        Revenue, order_by=[OrderBy(Revenue.month)], validators=on_writes(check_revenue)
    )


def _audit() -> TableConfig:
    return TableConfig(
        AuditEntry,
        visible_columns=[
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor_kind,
            AuditEntry.actor_name,
            AuditEntry.table_name,
            AuditEntry.row_id,
            AuditEntry.action,
            AuditEntry.changes,
        ],
        visible_filters=[
            AuditEntry.table_name,
            AuditEntry.actor_kind,
            AuditEntry.actor_name,
            AuditEntry.at,
            AuditEntry.row_id,
            AuditEntry.action,
        ],
        order_by=[OrderBy(AuditEntry.id, ascending=False)],
        validators=READ_ONLY,
        menu_group="Audit",
    )


def _password_form() -> FormConfig:
    return FormConfig(
        name="Set a dashboard password",
        pydantic_model=DashboardPassword,
        endpoint=set_dashboard_password,
        description=(
            "Give a dashboard user a new password (stored as an argon2id hash). "
            "Their open sessions end."
        ),
    )


def build_admin(settings: Settings) -> Any:
    return create_admin(
        tables=[_invoices(), _payments(), _customers(), _users(), _revenue(), _audit()],
        forms=[_password_form()],
        auth_table=BaseUser,
        session_table=SessionsBase,
        site_name="Acme back office",
        default_language_code="en",
        auto_include_related=False,
        rate_limit_provider=NoLimit(),
        production=not settings.is_development,
        allowed_hosts=list(settings.allowed_hosts),
    )


# In development the admin runs over plain HTTP with production=False on purpose; piccolo_api
# then warns at every staff login. With production=True (every other environment) it never warns.
warnings.filterwarnings(
    "ignore",
    message="If running sessions in production, make sure 'production' is set",
    category=UserWarning,
    module="piccolo_api.session_auth.endpoints",
)


def build_edge(settings: Settings) -> StaffAudited:
    """The back office as mounted: the admin app behind its edge (edge.py),
    its writes recorded as the staff member's."""
    tables = (Invoice, Customer, User, Revenue, AuditEntry)
    return StaffAudited(AdminEdge(build_admin(settings), {t._meta.tablename: t for t in tables}))
