"""Local user accounts: argon2 password hashes, roles and assigned clients, in the state database.

Roles: ``admin`` reads every client and manages users; ``consultant`` reads assigned clients, deletes
documents and approves drafts; ``executive`` reads assigned clients only.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor.db import Database, as_database
from advisor.db.models import UserClientRow, UserRow
from advisor.errors import AdvisorError, NotFound

log = logging.getLogger(__name__)

Role = Literal["admin", "consultant", "executive"]
ROLES: tuple[str, ...] = ("admin", "consultant", "executive")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
BOOTSTRAP_USERNAME = "admin"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
# Same rule as the store's client ids (advisor.store.chroma.validate_client_id).
_CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")

class UserError(AdvisorError):
    """A user name, password, role or client assignment is not acceptable, or the user exists already."""

    def __init__(self, message: str, value: str | None = None) -> None:
        super().__init__(message)
        self.value = value


@dataclass(frozen=True)
class User:
    """A signed-in person. Permission checks are methods here; :mod:`advisor.access` enforces them."""

    username: str
    role: str
    clients: tuple[str, ...] = ()
    created_at: str = ""
    disabled: bool = False

    def may_read(self, client: str | None) -> bool:
        """Admins read every client, others only their assigned ones. ``None`` is the built-in library."""
        if self.disabled:
            return False
        if client is None:
            return True
        return self.role == "admin" or client in self.clients

    @property
    def may_delete_documents(self) -> bool:
        return not self.disabled and self.role in ("admin", "consultant")

    @property
    def may_manage_users(self) -> bool:
        return not self.disabled and self.role == "admin"

    @property
    def may_approve(self) -> bool:
        return not self.disabled and self.role in ("admin", "consultant")

    @property
    def default_audience(self) -> str:
        return "executive" if self.role == "executive" else "consultant"


def validate_username(username: str) -> str:
    if not isinstance(username, str) or not _USERNAME.match(username):
        raise UserError(
            f"invalid user name {username!r}: use 2-64 lower-case letters, digits, '.', '_', '@' or '-',"
            " starting with a letter or digit", username)
    return username


def validate_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password is too long: use at most {MAX_PASSWORD_LENGTH} characters")
    return password


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"invalid role {role!r}: use one of {', '.join(ROLES)}", str(role))
    return role


def normalise_clients(clients: Iterable[str]) -> tuple[str, ...]:
    """Sorted, de-duplicated, validated client ids."""
    if isinstance(clients, str):
        clients = (clients,)
    out = set()
    for client in clients:
        if not isinstance(client, str) or not _CLIENT_ID.match(client) or client == "library":
            raise UserError(
                f"invalid client id {client!r}: use 2-63 lower-case letters, digits, '-' or '_'", str(client))
        out.add(client)
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so both paths cost the same."""
    return PasswordHasher().hash(secrets.token_urlsafe(16))


class UserStore:
    """Users in the state database (``users`` and ``user_clients``); threads and processes may share it.

    ``db`` is the state database (:func:`advisor.db.open_database`), a database URL, or the path of a
    SQLite file (tests).
    """

    def __init__(self, db: Database | str | os.PathLike, *, hasher: PasswordHasher | None = None) -> None:
        self.db = as_database(db)
        self._hasher = hasher or PasswordHasher()

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=UserError, what="user store")

    @staticmethod
    def _to_user(row: UserRow) -> User:
        return User(username=row.username, role=row.role, clients=row.clients, created_at=row.created_at,
                    disabled=bool(row.disabled))

    @staticmethod
    def _row(s: Session, username: str) -> UserRow:
        row = s.get(UserRow, username) if isinstance(username, str) else None
        if row is None:
            raise NotFound(f"user {username!r} does not exist")
        return row

    def add(self, username: str, password: str, role: str, clients: Iterable[str] = ()) -> User:
        """Create a user; raises UserError for an invalid value or a name that is taken."""
        validate_username(username)
        validate_role(role)
        validate_password(password)
        assigned = normalise_clients(clients)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        password_hash = self._hasher.hash(password)
        with self._session(write=True) as s:
            if s.get(UserRow, username) is not None:
                raise UserError(f"user {username!r} exists already", username)
            s.add(UserRow(username=username, password_hash=password_hash, role=role, created_at=created,
                          disabled=False, assignments=[UserClientRow(client=c) for c in assigned]))
        log.info("user %s added: role=%s clients=%d", username, role, len(assigned))
        return User(username, role, assigned, created)

    def get(self, username: str) -> User:
        """The user with this name; raises NotFound."""
        with self._session() as s:
            return self._to_user(self._row(s, username))

    def list(self) -> list[User]:
        """Every user, by name."""
        with self._session() as s:
            return [self._to_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def set_password(self, username: str, password: str) -> None:
        validate_password(password)
        password_hash = self._hasher.hash(password)
        with self._session(write=True) as s:
            self._row(s, username).password_hash = password_hash
        log.info("user %s: password changed", username)

    def assign(self, username: str, clients: Iterable[str]) -> User:
        """Replace the user's assigned clients."""
        assigned = normalise_clients(clients)
        with self._session(write=True) as s:
            row = self._row(s, username)
            keep = {a.client: a for a in row.assignments}
            row.assignments = [keep.get(c) or UserClientRow(client=c) for c in assigned]
        log.info("user %s: %d clients assigned", username, len(assigned))
        return self.get(username)

    def set_role(self, username: str, role: str) -> User:
        validate_role(role)
        with self._session(write=True) as s:
            row = self._row(s, username)
            if row.role == "admin" and role != "admin":
                self._keep_an_admin(s, username)
            row.role = role
        log.info("user %s: role=%s", username, role)
        return self.get(username)

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        """Disable (or re-enable) a user; a disabled user cannot sign in and may read nothing."""
        with self._session(write=True) as s:
            row = self._row(s, username)
            if disabled and row.role == "admin":
                self._keep_an_admin(s, username)
            row.disabled = bool(disabled)
        log.info("user %s: disabled=%s", username, disabled)
        return self.get(username)

    def remove(self, username: str) -> None:
        """Delete a user; raises NotFound, or UserError when it is the last enabled admin."""
        with self._session(write=True) as s:
            row = self._row(s, username)
            if row.role == "admin":
                self._keep_an_admin(s, username)
            s.delete(row)
        log.info("user %s removed", username)

    @staticmethod
    def _keep_an_admin(s: Session, username: str) -> None:
        others = s.scalar(select(func.count()).select_from(UserRow).where(
            UserRow.role == "admin", UserRow.disabled.is_(False), UserRow.username != username))
        if not others:
            raise UserError(f"user {username!r} is the last enabled admin; add another admin first", username)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches and the account is enabled, else None."""
        user: User | None = None
        stored = None
        if isinstance(username, str) and _USERNAME.match(username):
            with self._session() as s:
                row = s.get(UserRow, username)
                if row is not None:
                    user, stored = self._to_user(row), row.password_hash
        try:
            self._hasher.verify(stored or _dummy_hash(), password if isinstance(password, str) else "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            log.info("sign-in failed")
            return None
        if user is None or stored is None or user.disabled:
            log.info("sign-in failed")
            return None
        if self._hasher.check_needs_rehash(stored):
            with self._session(write=True) as s:
                self._row(s, username).password_hash = self._hasher.hash(password)
            log.info("user %s: password hash upgraded", username)
        log.info("user %s signed in", username)
        return user

    def is_empty(self) -> bool:
        with self._session() as s:
            return s.scalar(select(UserRow.username).limit(1)) is None

    def bootstrap_admin(self) -> str | None:
        """Create user 'admin' with a random password when no user exists; return that password once.

        The check and the insert are one write transaction; on PostgreSQL a concurrent bootstrap fails on
        the primary key instead of creating a second admin.
        """
        password = secrets.token_urlsafe(12)
        password_hash = self._hasher.hash(password)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._session(write=True) as s:
            if s.scalar(select(UserRow.username).limit(1)) is not None:
                return None
            s.add(UserRow(username=BOOTSTRAP_USERNAME, password_hash=password_hash, role="admin", created_at=created,
                          disabled=False))
        log.warning("no users existed: created user %s with a one-time password", BOOTSTRAP_USERNAME)
        return password
