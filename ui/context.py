"""What every page receives: the advisor, the signed-in user and the user store, built once per process.

The advisor and the user store are cached with ``st.cache_resource`` keyed by the settings that shape
them, so tests that point ``VCISO_DATA_DIR`` at another folder get their own objects.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

import streamlit as st

from advisor.access.users import User, UserStore
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.jobs.worker import Worker
from advisor.service import Advisor
from advisor.settings import Settings

log = logging.getLogger(__name__)

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
    done = _WARM.setdefault(id(adv), threading.Event())
    threading.Thread(target=_warm_up, args=(adv, done), name="vciso-warm-up", daemon=True).start()
    return adv


_WARM: dict[int, threading.Event] = {}


def wait_until_warm(adv: Advisor, timeout: float = 120.0) -> None:
    """Block until the warm-up of this advisor finished (so a question does not build the index twice)."""
    done = _WARM.get(id(adv))
    if done is not None and not done.is_set():
        done.wait(timeout)


def _warm_up(adv: Advisor, done: threading.Event) -> None:
    """Build the library's lexical index and load the embedding model before the first question.

    Measured with MiniLM on 2 cores: the first library search otherwise takes about 11 s.
    """
    try:
        adv.warm_up()  # no principal before sign-in: the public library only, and the model
    except Exception:  # a failed warm-up only means the first question is slower
        log.warning("warm-up of the library index failed", exc_info=True)
    finally:
        done.set()


def advisor() -> Advisor:
    return _advisor(_env_key(), settings())


@st.cache_resource(show_spinner=False)
def _user_store(env_key: tuple[tuple[str, str], ...], _settings: Settings) -> UserStore:
    return UserStore(open_database(_settings))


def user_store() -> UserStore:
    return _user_store(_env_key(), settings())


@st.cache_resource(show_spinner=False)
def _job_queue(env_key: tuple[tuple[str, str], ...], _settings: Settings) -> JobQueue:
    return JobQueue.from_settings(_settings)


def job_queue() -> JobQueue:
    """The jobs of the state database (uploads), shared by every session of this process."""
    return _job_queue(_env_key(), settings())


@st.cache_resource(show_spinner=False)
def _worker(env_key: tuple[tuple[str, str], ...], _adv: Advisor) -> Worker | None:
    threads = _adv.settings.jobs.embedded_workers
    if threads <= 0:  # scale-out: `vciso worker` processes run the jobs
        return None
    return Worker(_adv, job_queue(), threads=threads, poll_s=_adv.settings.jobs.poll_s).start()


def worker() -> Worker | None:
    """This process's embedded worker (started on first use), or None when separate workers run the jobs."""
    return _worker(_env_key(), advisor())


def goto(page_key: str) -> None:
    """Ask the shell to switch to the page with this url path on the next run (see ui.pages)."""
    st.session_state[GOTO_KEY] = page_key
    st.rerun()
