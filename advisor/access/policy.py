"""Per-user access checks for the core. Pure functions over :class:`advisor.access.users.User`.

Every entry point that reads a client's data calls :meth:`Access.require_read` before it touches the
store; the UI only hides what a user may not see, it does not decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from advisor.access.users import User
from advisor.errors import AccessDenied

Permission = Literal["delete_documents", "manage_users", "approve"]
PERMISSIONS: dict[str, str] = {
    "delete_documents": "delete documents",
    "manage_users": "manage users",
    "approve": "approve drafts",
}


class Access:
    """Namespace of access checks; call as ``Access.require_read(user, client)``."""

    @staticmethod
    def may_read(user: User | None, client: str | None) -> bool:
        return user is not None and user.may_read(client)

    @staticmethod
    def require_read(user: User | None, client: str | None) -> None:
        """Raise AccessDenied unless ``user`` may read ``client`` (None: the built-in library)."""
        if not Access.may_read(user, client):
            name = user.username if user is not None else "anonymous"
            what = "the built-in library" if client is None else f"client {client!r}"
            raise AccessDenied(f"user {name!r} may not read {what}")

    @staticmethod
    def visible_clients(user: User | None, all_clients: Iterable[str]) -> list[str]:
        """The clients of ``all_clients`` the user may read, in their given order, without repeats."""
        if user is None:
            return []
        return [c for c in dict.fromkeys(all_clients) if user.may_read(c)]

    @staticmethod
    def has(user: User | None, permission: Permission) -> bool:
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}: use one of {', '.join(PERMISSIONS)}")
        return user is not None and bool(getattr(user, f"may_{permission}"))

    @staticmethod
    def require(user: User | None, permission: Permission) -> None:
        """Raise AccessDenied unless ``user`` holds ``permission``."""
        if not Access.has(user, permission):
            name = user.username if user is not None else "anonymous"
            raise AccessDenied(f"user {name!r} may not {PERMISSIONS[permission]}")


require_read = Access.require_read
visible_clients = Access.visible_clients
require = Access.require


LOCAL_OPERATOR_PREFIX = "local:"


def local_operator(os_user: str | None = None) -> User:
    """The terminal's operator: an explicit admin principal that the CLI (and scripts such as the evals and
    benchmarks) pass to the core. Whoever runs ``vciso`` on this host can read the data dir anyway; naming
    the principal keeps "no principal, no access" true and puts the OS user in the audit log."""
    if os_user is None:
        import getpass

        try:
            os_user = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (some containers)
            os_user = "unknown"
    return User(username=f"{LOCAL_OPERATOR_PREFIX}{os_user}", role="admin")


def is_local_operator(user: User) -> bool:
    return user.username.startswith(LOCAL_OPERATOR_PREFIX)


def replacements(paths: Iterable, records: Iterable) -> list[str]:
    """Source names of indexed documents that ingesting ``paths`` would replace with different content
    (same file path, different sha256): replacing needs the same right as deleting."""
    from pathlib import Path

    from ingest.pipeline import expand
    from ingest.types import file_sha256

    by_path = {r.path: r for r in records}
    if not by_path:
        return []
    files, _ = expand([Path(p) for p in paths])
    out = []
    for f in files:
        record = by_path.get(str(f.resolve()))
        if record is None:
            continue
        try:
            if file_sha256(f.read_bytes()) != record.sha256:
                out.append(record.source)
        except OSError:
            continue
    return out
