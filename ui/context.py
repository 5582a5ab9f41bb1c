"""What every page receives: the advisor, the signed-in user and the user store, built once per process.

The advisor and the user store are cached with ``st.cache_resource`` keyed by the settings that shape
them, so tests that point ``VCISO_DATA_DIR`` at another folder get their own objects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from advisor.factory import build_advisor
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.users import User, UserStore

# Session-state keys shared between pages.
USER_KEY = "vciso_user"
PREFILL_KEY = "vciso_chat_prefill"
GOTO_KEY = "vciso_goto"


@dataclass(frozen=True)
class Context:
    """Handed to every page's ``render(ctx)``."""

    adv: Advisor
    user: User
    users: UserStore

    @property
    def settings(self) -> Settings:
        return self.adv.settings


def _env_key() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("VCISO_")))


@st.cache_resource(show_spinner=False)
def _settings(env_key: tuple[tuple[str, str], ...]) -> Settings:
    return Settings()


def settings() -> Settings:
    """The one Settings object for this process' environment."""
    return _settings(_env_key())


@st.cache_resource(show_spinner="Opening the document store and the regulatory library…")
def _advisor(env_key: tuple[tuple[str, str], ...], _settings: Settings) -> Advisor:
    adv = build_advisor(_settings)
    adv.ensure_library()
    return adv


def advisor() -> Advisor:
    return _advisor(_env_key(), settings())


@st.cache_resource(show_spinner=False)
def _user_store(env_key: tuple[tuple[str, str], ...], _settings: Settings) -> UserStore:
    return UserStore(_settings.path("users.sqlite3"))


def user_store() -> UserStore:
    return _user_store(_env_key(), settings())


def goto(page_key: str) -> None:
    """Ask the shell to switch to the page with this url path on the next run (see ui.pages)."""
    st.session_state[GOTO_KEY] = page_key
    st.rerun()
