"""The back-office fixture, shared with tests/http/test_admin.py."""

from tests.http.test_admin import staff  # noqa: F401
