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

from advisor.access.security_log import SecurityLog
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
    """A signed-in person. Permission checks are methods here; :mod:`advisor.access.policy` enforces them."""

    username: str
    role: str
    clients: tuple[str, ...] = ()
    created_at: str = ""
    disabled: bool = False
    must_change_password: bool = False

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
            " starting with a letter or digit",
            username,
        )
    return username


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """zxcvbn's list of the 30,000 most common passwords."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def validate_password(password: str, username: str = "") -> str:
    """At least MIN_PASSWORD_LENGTH characters, not a common password and not guessable from one (zxcvbn
    score 3 or more: "password1234" is refused)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password is too long: use at most {MAX_PASSWORD_LENGTH} characters")
    if password.lower() in _common_passwords():
        raise UserError("the password is on the list of common passwords: choose another")
    from zxcvbn import zxcvbn

    if zxcvbn(password[:100], user_inputs=[username] if username else [])["score"] < 3:
        raise UserError(
            "the password is too easy to guess (a common word, name or pattern): use a longer "
            "passphrase or random characters"
        )
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
                f"invalid client id {client!r}: use 2-63 lower-case letters, digits, '-' or '_'", str(client)
            )
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
        self.events = SecurityLog(self.db)

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=UserError, what="user store")

    @staticmethod
    def _to_user(row: UserRow) -> User:
        return User(
            username=row.username,
            role=row.role,
            clients=row.clients,
            created_at=row.created_at,
            disabled=bool(row.disabled),
            must_change_password=bool(row.must_change_password),
        )

    @staticmethod
    def _row(s: Session, username: str) -> UserRow:
        row = s.get(UserRow, username) if isinstance(username, str) else None
        if row is None:
            raise NotFound(f"user {username!r} does not exist")
        return row

    def add(self, username: str, password: str, role: str, clients: Iterable[str] = (), *, by=None) -> User:
        """Create a user; raises UserError for an invalid value or a taken name. ``by``: who did it."""
        validate_username(username)
        validate_role(role)
        validate_password(password, username)
        assigned = normalise_clients(clients)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        password_hash = self._hasher.hash(password)
        with self._session(write=True) as s:
            if s.get(UserRow, username) is not None:
                raise UserError(f"user {username!r} exists already", username)
            s.add(
                UserRow(
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    created_at=created,
                    disabled=False,
                    assignments=[UserClientRow(client=c) for c in assigned],
                )
            )
        log.info("user %s added: role=%s clients=%d", username, role, len(assigned))
        detail = f"role={role} clients={','.join(assigned)}"
        self.events.record("user_added", user=by, obj=username, detail=detail)
        return User(username, role, assigned, created)

    def get(self, username: str) -> User:
        """The user with this name; raises NotFound."""
        with self._session() as s:
            return self._to_user(self._row(s, username))

    def list(self) -> list[User]:
        """Every user, by name."""
        with self._session() as s:
            return [self._to_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def set_password(self, username: str, password: str, *, by=None, must_change: bool = False) -> None:
        """Set a password (clears a pending forced change unless ``must_change``)."""
        validate_password(password, username if isinstance(username, str) else "")
        password_hash = self._hasher.hash(password)
        with self._session(write=True) as s:
            row = self._row(s, username)
            if self._hasher_matches(row.password_hash, password):
                raise UserError("the new password must differ from the current one")
            row.password_hash = password_hash
            row.must_change_password = bool(must_change)
        log.info("user %s: password changed", username)
        self.events.record("password_changed", user=by if by is not None else username, obj=username)

    def _hasher_matches(self, stored: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(stored, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def assign(self, username: str, clients: Iterable[str], *, by=None) -> User:
        """Replace the user's assigned clients."""
        assigned = normalise_clients(clients)
        with self._session(write=True) as s:
            row = self._row(s, username)
            keep = {a.client: a for a in row.assignments}
            row.assignments = [keep.get(c) or UserClientRow(client=c) for c in assigned]
        log.info("user %s: %d clients assigned", username, len(assigned))
        self.events.record("clients_assigned", user=by, obj=username, detail=",".join(assigned))
        return self.get(username)

    def set_role(self, username: str, role: str, *, by=None) -> User:
        validate_role(role)
        with self._session(write=True) as s:
            row = self._row(s, username)
            if row.role == "admin" and role != "admin":
                self._keep_an_admin(s, username)
            row.role = role
        log.info("user %s: role=%s", username, role)
        self.events.record("role_changed", user=by, obj=username, detail=f"role={role}")
        return self.get(username)

    def set_disabled(self, username: str, disabled: bool = True, *, by=None) -> User:
        """Disable (or re-enable) a user; a disabled user cannot sign in and may read nothing."""
        with self._session(write=True) as s:
            row = self._row(s, username)
            if disabled and row.role == "admin":
                self._keep_an_admin(s, username)
            row.disabled = bool(disabled)
        log.info("user %s: disabled=%s", username, disabled)
        self.events.record("user_disabled" if disabled else "user_enabled", user=by, obj=username)
        return self.get(username)

    def remove(self, username: str, *, by=None) -> None:
        """Delete a user; raises NotFound, or UserError when it is the last enabled admin."""
        with self._session(write=True) as s:
            row = self._row(s, username)
            if row.role == "admin":
                self._keep_an_admin(s, username)
            s.delete(row)
        log.info("user %s removed", username)
        self.events.record("user_removed", user=by, obj=username)

    @staticmethod
    def _keep_an_admin(s: Session, username: str) -> None:
        others = s.scalar(
            select(func.count())
            .select_from(UserRow)
            .where(UserRow.role == "admin", UserRow.disabled.is_(False), UserRow.username != username)
        )
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
            s.add(
                UserRow(
                    username=BOOTSTRAP_USERNAME,
                    password_hash=password_hash,
                    role="admin",
                    created_at=created,
                    disabled=False,
                    must_change_password=True,
                )
            )
        log.warning("no users existed: created user %s with a one-time password", BOOTSTRAP_USERNAME)
        self.events.record(
            "user_added", user=None, obj=BOOTSTRAP_USERNAME, detail="bootstrap admin; must change password"
        )
        return password

    def oidc_account(self, issuer: str, subject: str, email: str, email_verified: bool) -> User:
        """The account bound to the identity provider's ``issuer`` + ``subject``.

        On first use an unbound account named by a *verified* e-mail address is bound to them; afterwards
        only that issuer + subject opens it (a changed or re-used e-mail address does not). Raises NotFound
        or UserError with the reason."""
        if not issuer or not subject:
            raise UserError("the identity provider did not say who signed in (no issuer or subject)")
        with self._session(write=True) as s:
            bound = select(UserRow).where(UserRow.oidc_issuer == issuer, UserRow.oidc_subject == subject)
            row = s.scalar(bound)
            if row is None:
                if not email_verified:
                    raise UserError("the identity provider has not verified this e-mail address")
                row = s.get(UserRow, (email or "").strip().lower())
                if row is None:
                    raise NotFound(f"there is no vciso account for {email!r}")
                if row.oidc_subject is not None:
                    raise UserError(f"account {row.username!r} is bound to another identity")
                row.oidc_issuer, row.oidc_subject = issuer, subject
                log.info("user %s bound to an OIDC identity", row.username)
            user = self._to_user(row)
        if user.disabled:
            raise UserError(f"account {user.username!r} is disabled")
        return user
