"""Bearer-token authentication, per-token rate limits and the principal every endpoint receives.

``Authorization: Bearer vct_…`` is checked against :class:`advisor.access.tokens.TokenStore`; the token's user
is read again from :class:`advisor.access.users.UserStore` on every call (a disabled user's tokens stop at
once). The rate limit (``settings.api.rate_limit``, a moving window per token, from the ``limits``
library) is counted only for authenticated calls, so an attacker cannot spend someone else's quota.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from advisor.access.policy import Access
from advisor.access.tokens import ApiToken
from advisor.access.users import User
from advisor.api.problems import ApiProblem
from advisor.errors import ConfigError, NotFound

log = logging.getLogger(__name__)

_bearer = HTTPBearer(
    auto_error=False, description="A personal API token: `vciso tokens create --user NAME --name LABEL`"
)

_REASONS = {
    "malformed": "the bearer token is not a vciso API token (vct_…)",
    "unknown": "the API token is not valid",
    "revoked": "the API token has been revoked",
    "expired": "the API token has expired",
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's user (the principal the core checks) and the token itself."""

    user: User
    token: ApiToken


class RateLimiter:
    """A moving-window limit per token id, e.g. ``"120/minute"`` or ``"10/second;500/hour"``."""

    def __init__(self, spec: str) -> None:
        try:
            self.items: list[RateLimitItem] = parse_many(spec)
        except ValueError as exc:
            raise ConfigError(f"invalid API rate limit {spec!r} (use e.g. '120/minute'): {exc}") from exc
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, key: str) -> None:
        """Count one call for ``key``; raise a 429 problem when a limit is exceeded."""
        for item in self.items:
            if not self._limiter.hit(item, key):
                reset = self._limiter.get_window_stats(item, key).reset_time
                wait = max(1, int(reset - time.time() + 0.999))
                raise ApiProblem(
                    429,
                    "rate-limited",
                    f"rate limit of {item} per token exceeded; retry in {wait} s",
                    headers={"Retry-After": str(wait)},
                )


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="vciso"'})


def principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    """The authenticated caller; raises a 401 problem without a valid, active token of an enabled user."""
    ctx = request.app.state.ctx
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("missing bearer token: send 'Authorization: Bearer vct_…'")
    token, state = ctx.tokens.authenticate(credentials.credentials)
    if state != "active" or token is None:
        log.info("API call refused: token %s", state)
        raise _unauthorized(_REASONS.get(state, "the API token is not valid"))
    try:
        user = ctx.users.get(token.username)
    except NotFound:
        raise _unauthorized("the API token's user no longer exists") from None
    if user.disabled:
        raise _unauthorized("the API token's user is disabled")
    request.state.principal = Principal(user, token)
    ctx.limiter.hit(token.id)
    return request.state.principal


def client_reader(request: Request, id: str, who: Principal = Depends(principal)) -> Principal:
    """For endpoints under ``/v1/clients/{id}``: the caller must be allowed to read client ``id`` (403
    otherwise, before anything about the client is revealed), and the client must exist (404)."""
    request.state.client = id
    Access.require_read(who.user, id)
    if id not in request.app.state.ctx.adv.clients(user=who.user):
        raise NotFound(f"unknown client {id!r}")
    return who
