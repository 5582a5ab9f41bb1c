"""Downloads and exports that go through the core, so each one is a security event (``download``/``export``).

Streamlit calls a download button's ``data`` callable only when the person clicks it, possibly outside the
script run: the request's source (client IP) and user are captured when the button is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.security_log import current_actor, current_source, request_source
from ui.context import Context


def export(
    ctx: Context, what: str, client: str | None, obj: str, make: Callable[[], Any]
) -> Callable[[], Any]:
    """A ``data`` callable that records the export of ``what`` (e.g. "answer DOCX") and returns ``make()``."""
    source, actor = current_source(), current_actor() or ctx.user.username

    def data() -> Any:
        with request_source(source, actor):
            ctx.adv.exported(what, client, user=ctx.user, obj=obj)
        return make()

    return data


def source_file(ctx: Context, client: str, source: str) -> Callable[[], bytes]:
    """A ``data`` callable that reads a source file of ``client`` through the core (a ``download`` event)."""
    src, actor = current_source(), current_actor() or ctx.user.username

    def data() -> bytes:
        with request_source(src, actor):
            return ctx.adv.download_source(client, source, user=ctx.user)

    return data
