"""Errors the core raises. Only the CLI and the UI catch them broadly and show their message."""

from __future__ import annotations

from ingest.errors import AdvisorError, IngestError
from ingest.locking import StoreBusy

__all__ = [
    "AdvisorError",
    "IngestError",
    "StoreError",
    "StoreBusy",
    "TenancyError",
    "ConfigError",
    "BackendUnavailable",
    "AccessDenied",
    "NotFound",
]


class StoreError(AdvisorError):
    """The vector store cannot be reached or refused an operation."""


class TenancyError(AdvisorError):
    """An operation would cross the boundary between clients, or names an invalid client."""


class ConfigError(AdvisorError):
    """A setting names something that does not exist or cannot be used."""


class BackendUnavailable(ConfigError):
    """An optional backend's package is not installed, or its server cannot be reached."""


class AccessDenied(AdvisorError):
    """The signed-in user may not do this (e.g. read a client not assigned to them).

    Every refusal is recorded as an ``access_denied`` security event (:mod:`advisor.access.security_log`)."""

    def __init__(self, message: str = "", *args, user=None, client: str | None = None, obj: str = "") -> None:
        super().__init__(message, *args)
        from advisor.access.security_log import record_denial

        if user is None:
            import re

            named = re.search(r"user '([^']+)'", str(message))
            user = named.group(1) if named else None
        record_denial(str(message), user=user, client=client, obj=obj)


class NotFound(AdvisorError):
    """The named client, document, draft or user does not exist."""
