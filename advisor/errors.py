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
    """The signed-in user may not do this (e.g. read a client not assigned to them)."""


class NotFound(AdvisorError):
    """The named client, document, draft or user does not exist."""
