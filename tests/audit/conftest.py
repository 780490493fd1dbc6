# The back office's logged-in staff client and its login-limit reset, shared with its own tests.
from tests.http.test_admin import fresh_login_limit, staff

__all__ = ["fresh_login_limit", "staff"]
