"""Downloads and exports that go through the core, so each one is a security event (``download``/``export``).

Streamlit calls a download button's ``data`` callable only when the person clicks it, possibly outside the
script run: the request's source (client IP) and user are captured when the button is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.access.security_log import current_actor, current_source, request_source
from ui.context import Context


def export(
    ctx: Context, what: str, client: str | None, obj: str, make: Callable[[], Any]
) -> Callable[[], Any]:
    """A ``data`` callable that records the export of ``what`` (e.g. "answer DOCX") and returns ``make()``."""
    return exporting(ctx.adv, ctx.user, what, client, obj, make)


def exporting(
    adv, user, what: str, client: str | None, obj: str, make: Callable[[], Any]
) -> Callable[[], Any]:
    """:func:`export` for pages that hold the advisor and the user rather than a Context."""
    source, actor = current_source(), current_actor() or user.username

    def data() -> Any:
        with request_source(source, actor):
            adv.exported(what, client, user=user, obj=obj)
        return make()

    return data


def source_file(ctx: Context, client: str, source: str) -> Callable[[], bytes]:
    """A ``data`` callable that reads a source file of ``client`` through the core (a ``download`` event)."""
    src, actor = current_source(), current_actor() or ctx.user.username

    def data() -> bytes:
        with request_source(src, actor):
            return ctx.adv.download_source(client, source, user=ctx.user)

    return data
