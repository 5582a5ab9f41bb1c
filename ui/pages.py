"""The one list of pages. Add a page by writing a module in ``ui/`` and naming it in ``PAGES``.

A page module exposes ``TITLE`` (str), ``ICON`` (a Material icon such as ":material/chat:") and
``render(ctx: ui.context.Context) -> None``; optionally ``visible(user) -> bool`` to hide the page
from some roles. Modules that do not exist (yet) are skipped, so a page can be listed before the
engineer who writes it has committed it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import streamlit as st

from ui.context import Context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    module: str  # e.g. "ui.chat"
    url_path: str  # also the key for ui.context.goto()
    section: str


# Order is the order in the navigation. Drafts, gaps and questionnaires are written by other issues.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("ui.portfolio", "portfolio", "Advise"),
    PageSpec("ui.chat", "chat", "Advise"),
    PageSpec("ui.drafts", "drafts", "Advise"),
    PageSpec("ui.findings", "findings", "Advise"),
    PageSpec("ui.risks", "risks", "Advise"),
    PageSpec("ui.vendors", "vendors", "Advise"),
    PageSpec("ui.gaps", "gaps", "Advise"),
    PageSpec("ui.questionnaires", "questionnaires", "Advise"),
    PageSpec("ui.documents", "documents", "Knowledge"),
    PageSpec("ui.library", "library", "Knowledge"),
    PageSpec("ui.audit_log", "audit", "Administration"),
    PageSpec("ui.status", "status", "Administration"),
)


def load_module(name: str) -> ModuleType | None:
    """The page module, or None when it does not exist; an error inside an existing module propagates."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def _runner(module: ModuleType, ctx: Context) -> Callable[[], None]:
    def run() -> None:
        module.render(ctx)

    run.__name__ = module.__name__.rsplit(".", 1)[-1]
    return run


def home(user) -> str:
    """The page a user lands on: the portfolio for consultants and admins, the chat for executives."""
    return "portfolio" if getattr(user, "role", "") in ("consultant", "admin") else "chat"


def build_pages(ctx: Context) -> dict[str, dict[str, st.Page]]:
    """{section: {url_path: st.Page}} for the modules that exist and that this user may open."""
    sections: dict[str, dict[str, st.Page]] = {}
    for spec in PAGES:
        module = load_module(spec.module)
        if module is None:
            log.debug("page module %s not present; skipped", spec.module)
            continue
        visible = getattr(module, "visible", None)
        if visible is not None and not visible(ctx.user):
            continue
        page = st.Page(
            _runner(module, ctx),
            title=module.TITLE,
            icon=getattr(module, "ICON", None),
            url_path=spec.url_path,
            default=(spec.url_path == home(ctx.user)),
        )
        sections.setdefault(spec.section, {})[spec.url_path] = page
    return sections
