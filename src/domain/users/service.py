"""The login use case: throttle, authenticate, open a new session (ending the one the client
came with). The HTTP layer parses the request, calls `login` and maps the answer."""

from __future__ import annotations

import msgspec

from src.domain.errors import AuthenticationError
from src.domain.users import throttle
from src.domain.users.repository import NewSession, UserOut, UserRepository
from src.observability import metric

INVALID_CREDENTIALS = "Invalid credentials."


class LoggedIn(msgspec.Struct, frozen=True):
    user: UserOut
    session: NewSession


class LoginService:
    def __init__(self, secret_key: str, users: UserRepository | None = None) -> None:
        self.secret_key = secret_key
        self.users = users or UserRepository()

    async def login(
        self, email: str, password: str, client: str, previous_token: str | None = None
    ) -> LoggedIn:
        """TooManyAttemptsError before any password is verified once the client used up its
        attempts for this email; AuthenticationError for a wrong email or password."""
        key = throttle.login_key(self.secret_key, email, client)
        await throttle.reserve(key)
        user = await self.users.authenticate(email, password)
        if user is None:
            metric("User.Login", 1, outcome="failure")
            raise AuthenticationError(INVALID_CREDENTIALS)
        await throttle.reset(key)
        metric("User.Login", 1, outcome="success")
        session = await self.users.create_session(user.id)
        # A new session id at every login; the one the client came with (if any) ends.
        if previous_token:
            await self.users.end_session(previous_token)
        return LoggedIn(user=user, session=session)
