"""Personal API tokens: one user's credential for the HTTP API, shown once, stored hashed, revocable,
with an optional expiry.

A token reads ``vct_<id>_<secret>``: ``id`` (12 hex digits) finds the row, and the SHA-256 of the whole
token is compared in constant time. The secret carries 256 bits from :mod:`secrets`, so a fast hash is
enough (a password needs argon2 because people choose guessable ones; a random token is not guessable).
The token text itself is never stored or logged.

A token acts as its user: the API reads the user again on every call, so a disabled user, a new role or
a changed client assignment applies to their tokens at once. Tokens live in the state database
(table ``api_tokens``, :mod:`advisor.db`), next to the users.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from advisor.access.users import validate_username
from advisor.db import Database, as_database
from advisor.db.models import ApiTokenRow
from advisor.errors import AdvisorError, NotFound

log = logging.getLogger(__name__)

PREFIX = "vct_"
MAX_EXPIRY_DAYS = 3650
_TOKEN = re.compile(r"^vct_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,63}$")


class TokenError(AdvisorError):
    """A token name or expiry is not acceptable, or an active token of that name exists already."""


@dataclass(frozen=True)
class ApiToken:
    """What is known about a token (never its text)."""

    id: str
    username: str
    name: str
    created_at: str
    expires_at: str | None = None
    revoked_at: str | None = None
    last_used_at: str | None = None

    def state(self, now: datetime | None = None) -> str:
        """'active', 'revoked' or 'expired'."""
        if self.revoked_at:
            return "revoked"
        if self.expires_at and datetime.fromisoformat(self.expires_at) <= (now or datetime.now(UTC)):
            return "expired"
        return "active"

    def as_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "user": self.username,
            "name": self.name,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
            "last_used_at": self.last_used_at,
            "state": self.state(),
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """API tokens in the state database; threads and processes may share it.

    ``db`` is the state database (:func:`advisor.db.open_database`), a database URL, or the path of a
    SQLite file (tests).
    """

    def __init__(self, db: Database | str | os.PathLike, *, clock=_now) -> None:
        self.db = as_database(db)
        self._clock = clock

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=TokenError, what="token store")

    @staticmethod
    def _to_token(row: ApiTokenRow) -> ApiToken:
        return ApiToken(
            id=row.id,
            username=row.username,
            name=row.name,
            created_at=row.created_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
        )

    def create(self, username: str, name: str, *, expires_days: float | None = None) -> tuple[ApiToken, str]:
        """A new token for ``username``: its record and its text, which is not stored and cannot be shown
        again.

        The caller checks that the user exists (the CLI does, against the user store).
        """
        validate_username(username)
        if not isinstance(name, str) or not _NAME.match(name):
            raise TokenError(f"invalid token name {name!r}: use 1-64 letters, digits, spaces or . _ @ : -")
        if expires_days is not None and not 0 < expires_days <= MAX_EXPIRY_DAYS:
            raise TokenError(
                f"the expiry must lie between 0 and {MAX_EXPIRY_DAYS} days, not {expires_days:g}"
            )
        now = self._clock()
        expires = _iso(now + timedelta(days=expires_days)) if expires_days is not None else None
        token_id = secrets.token_hex(6)
        text = f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        with self._session(write=True) as s:
            same = s.scalars(
                select(ApiTokenRow).where(ApiTokenRow.username == username, ApiTokenRow.name == name)
            )
            if any(self._to_token(row).state(now) == "active" for row in same):
                raise TokenError(
                    f"user {username!r} has an active token named {name!r}; revoke it or pick another name"
                )
            s.add(
                ApiTokenRow(
                    id=token_id,
                    username=username,
                    name=name,
                    token_hash=digest(text),
                    created_at=_iso(now),
                    expires_at=expires,
                )
            )
        log.info("API token %s created for user %s (expires %s)", token_id, username, expires or "never")
        return ApiToken(token_id, username, name, _iso(now), expires), text

    def list(self, username: str | None = None) -> list[ApiToken]:
        """Tokens (all, or one user's), newest first."""
        query = select(ApiTokenRow).order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id)
        if username is not None:
            query = query.where(ApiTokenRow.username == username)
        with self._session() as s:
            return [self._to_token(r) for r in s.scalars(query)]

    def get(self, token_id: str) -> ApiToken:
        with self._session() as s:
            row = s.get(ApiTokenRow, str(token_id))
            if row is None:
                raise NotFound(f"API token {token_id!r} does not exist")
            return self._to_token(row)

    def revoke(self, token_id: str) -> ApiToken:
        """Revoke a token (idempotent); it fails authentication from now on."""
        with self._session(write=True) as s:
            row = s.get(ApiTokenRow, str(token_id))
            if row is None:
                raise NotFound(f"API token {token_id!r} does not exist")
            if not row.revoked_at:
                row.revoked_at = _iso(self._clock())
        log.info("API token %s revoked", token_id)
        return self.get(token_id)

    def authenticate(self, text: str) -> tuple[ApiToken | None, str]:
        """The token for ``text`` when it is active, and why not otherwise: (token, 'active') or
        (None | token, 'malformed' | 'unknown' | 'revoked' | 'expired')."""
        match = _TOKEN.match(text or "")
        if match is None:
            return None, "malformed"
        with self._session() as s:
            row = s.get(ApiTokenRow, match.group(1))
            token = self._to_token(row) if row is not None else None
            stored = row.token_hash if row is not None else digest(PREFIX)
        # Compare even when the id is unknown, so both paths cost the same.
        if not hmac.compare_digest(stored, digest(text)) or token is None:
            return None, "unknown"
        now = self._clock()
        state = token.state(now)
        if state != "active":
            return token, state
        if not token.last_used_at or token.last_used_at[:16] != _iso(now)[:16]:  # at most one write a minute
            with self._session(write=True) as s:
                row = s.get(ApiTokenRow, token.id)
                if row is not None:
                    row.last_used_at = _iso(now)
        return token, "active"
