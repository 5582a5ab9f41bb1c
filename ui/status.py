"""Settings and status: what is configured, connection tests, and (admins) user management.

Secrets are never displayed: the API key is reported only as set or not set, endpoints without
credentials.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import streamlit as st

from advisor.access.users import ROLES
from advisor.answering.llm_checks import check_connection
from advisor.answering.llms import safe_url
from advisor.errors import AdvisorError
from ui.context import Context
from ui.export import escape_md

TITLE = "Settings & status"
ICON = ":material/settings:"


def configuration_rows(ctx: Context) -> list[dict[str, str]]:
    s = ctx.settings
    llm = s.llm
    rows = [
        ("Answer engine", ctx.adv.engine.name),
        ("LLM model", llm.model or ("(bundled default)" if llm.engine == "gguf" else "—")),
        ("LLM endpoint", safe_url(llm.base_url) if llm.base_url else "—"),
        ("LLM API key", "set" if llm.api_key.get_secret_value() else "not set"),
        ("Embeddings", s.embedding),
        (
            "Vector store",
            ctx.adv.status().store
            if s.store.backend == "embedded"
            else f"Chroma server {s.store.host}:{s.store.port}",
        ),
        ("Data folder", str(s.data_dir.resolve())),
        ("Upload limit", f"{s.max_file_mb:g} MB per file"),
        ("Retrieval", ", ".join(f"{k}={v}" for k, v in s.retrieval.model_dump().items())),
    ]
    return [{"Setting": k, "Value": v} for k, v in rows]


def test_store(ctx: Context) -> tuple[bool, str]:
    """A round trip to the vector store; for a Chroma server also its heartbeat endpoint."""
    s = ctx.settings
    t0 = time.perf_counter()
    try:
        status = ctx.adv.status()
        library, clients = status.library_chunks, status.client_collections
    except AdvisorError as exc:
        return False, str(exc)
    except Exception as exc:  # the store client raises its own types for a dead server
        return False, f"the vector store did not answer: {type(exc).__name__}"
    ms = (time.perf_counter() - t0) * 1000
    message = f"store answered in {ms:.0f} ms: {library} library passages, {clients} client collection(s)"
    if s.store.backend == "server":
        url = f"http://{s.store.host}:{s.store.port}/api/v2/heartbeat"
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - fixed http URL from settings
                json.loads(resp.read() or b"{}")
            message += f"; heartbeat OK at {s.store.host}:{s.store.port}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return False, f"Chroma heartbeat failed at {s.store.host}:{s.store.port}: {exc}"
    return True, message


def _show(ok: bool, message: str) -> None:
    (st.success if ok else st.error)(escape_md(message))


def _users_admin(ctx: Context) -> None:
    st.subheader("Users")
    rows = [
        {
            "User": u.username,
            "Role": u.role,
            "Clients": ", ".join(u.clients) or ("all" if u.role == "admin" else "—"),
            "Created": u.created_at[:10],
            "Disabled": u.disabled,
        }
        for u in ctx.users.list()
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    with st.form("add_user", clear_on_submit=True):
        st.markdown("**Add a user**")
        c1, c2 = st.columns(2)
        username = c1.text_input("User name (or e-mail for single sign-on)", key="new_user_name")
        role = c2.selectbox("Role", ROLES, index=1, key="new_user_role")
        clients = st.multiselect("Assigned clients", ctx.adv.clients(user=ctx.user), key="new_user_clients")
        password = st.text_input(
            "Initial password (at least 12 characters)", type="password", key="new_user_pw"
        )
        if st.form_submit_button("Add user", icon=":material/person_add:"):
            try:
                user = ctx.users.add(username.strip().lower(), password, role, clients, by=ctx.user)
            except AdvisorError as exc:
                st.error(str(exc))
            else:
                st.success(f"Added {user.username} ({user.role}).")


def render(ctx: Context) -> None:
    st.title("Settings & status")
    st.dataframe(configuration_rows(ctx), hide_index=True, width="stretch")
    st.caption(
        "Configuration comes from VCISO_* environment variables (e.g. VCISO_LLM__ENGINE=ollama); "
        "restart the app after changing them."
    )
    c1, c2 = st.columns(2)
    with c1:
        if st.button("Test LLM connection", key="status_llm", icon=":material/network_check:"):
            with st.spinner("Contacting the LLM…"):
                _show(*check_connection(ctx.settings.llm))
    with c2:
        if st.button("Test vector store", key="status_store", icon=":material/database:"):
            with st.spinner("Contacting the store…"):
                _show(*test_store(ctx))
    if ctx.user.may_manage_users:
        _users_admin(ctx)
