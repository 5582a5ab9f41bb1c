"""vciso Streamlit entry point: page config, sign-in, navigation. Pages live in ui/ (see ui/pages.py)."""

from __future__ import annotations

import streamlit as st

from advisor.errors import AdvisorError
from ui import auth
from ui.context import GOTO_KEY, Context, advisor, user_store, worker
from ui.export import escape_md
from ui.pages import build_pages

st.set_page_config(page_title="vciso", page_icon=":material/shield_lock:", layout="wide")

try:
    users = user_store()
except Exception as exc:  # a bad setting or an unreadable data folder: say so instead of a stack trace
    st.error(f"vciso cannot start: {exc}")
    st.stop()
user = auth.current_user(users)
if user is None:
    try:
        advisor()  # start building and warming up the advisor while the person signs in
    except Exception:  # reported after sign-in, never to an anonymous visitor
        pass
    st.navigation(
        [st.Page(lambda: auth.sign_in_form(users), title="Sign in", url_path="signin")], position="hidden"
    ).run()
    st.stop()
if user.must_change_password:  # the bootstrap admin's one-time password: nothing else until it is changed
    st.navigation(
        [
            st.Page(
                lambda: auth.change_password_form(users, user),
                title="Set a new password",
                url_path="password",
            )
        ],
        position="hidden",
    ).run()
    st.stop()

try:
    adv = advisor()
    worker()  # the embedded job worker (uploads), started once per process unless separate workers run jobs
except AdvisorError as exc:  # e.g. the Chroma server or the LLM backend is unavailable
    st.error(f"vciso cannot reach a backend: {exc}")
    st.caption("Check the VCISO_* settings (see the README) and reload the page.")
    st.stop()
ctx = Context(adv=adv, user=user, users=users)
sections = build_pages(ctx)
nav = st.navigation({section: list(pages.values()) for section, pages in sections.items()})
by_path = {path: page for pages in sections.values() for path, page in pages.items()}
target = st.session_state.pop(GOTO_KEY, None)
if target in by_path:
    st.switch_page(by_path[target])

with st.sidebar:
    st.caption(f"Signed in as **{escape_md(user.username)}** · {user.role}")
    if st.button("Sign out", key="sign_out"):
        auth.sign_out(users)
nav.run()
