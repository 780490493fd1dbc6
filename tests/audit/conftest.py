# The back office's logged-in staff client, shared with its own tests.
from tests.http.test_admin import staff

__all__ = ["staff"]
