"""Error types. ``AdvisorError`` is the project's one base error; every layer raises subclasses of it.

It lives here, in the lowest code layer, so that ``ingest`` needs nothing from the layers above it;
``advisor.errors`` re-exports it.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base of every error vciso raises on purpose. Its message is fit to show a user."""


class IngestError(AdvisorError):
    """A file could not be ingested. ``path`` names it; the message says why in plain words."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason
