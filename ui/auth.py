"""Sign-in: local users (argon2 hashes in advisor.users) and, when configured, Streamlit's OIDC login.

The session only stores the user name; the account is read again on every run, so a disabled user or
a changed assignment takes effect at once.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from advisor.errors import NotFound
from advisor.users import User, UserStore
from ui.context import USER_KEY

log = logging.getLogger(__name__)

_OIDC_KEY = "vciso_oidc"
_FAILURES_KEY = "vciso_sign_in_failures"
MAX_FAILURES = 5  # per browser session, then a pause
PAUSE_SECONDS = 30.0


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login()."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_user(users: UserStore) -> User | None:
    """The local account named by the OIDC e-mail address, when the OIDC session is live."""
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").lower()
    except Exception:
        return None
    if not email:
        return None
    try:
        user = users.get(email)
    except NotFound:
        st.error(
            f"Signed in as {email}, but there is no vciso account for this address. "
            "Ask an administrator to add one (`vciso users add <email> --role …`)."
        )
        return None
    return None if user.disabled else user


def current_user(users: UserStore) -> User | None:
    """The signed-in, enabled user, or None."""
    name = st.session_state.get(USER_KEY)
    if name:
        try:
            user = users.get(name)
        except NotFound:
            user = None
        if user is not None and not user.disabled:
            return user
        st.session_state.pop(USER_KEY, None)
    if oidc_configured():
        user = _oidc_user(users)
        if user is not None:
            st.session_state[USER_KEY] = user.username
            st.session_state[_OIDC_KEY] = True
            return user
    return None


def sign_in_form(users: UserStore) -> None:
    """The sign-in page; reruns the app after a successful sign-in."""
    st.title("vciso")
    st.caption(
        "Virtual CISO advisory assistant: answers from your clients' documents and the regulatory "
        "library, each claim cited down to page and clause."
    )
    with st.form("sign_in"):
        username = st.text_input("User name", key="sign_in_user")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        failures = st.session_state.get(_FAILURES_KEY, [])
        recent = [t for t in failures if time.monotonic() - t < PAUSE_SECONDS]
        if len(recent) >= MAX_FAILURES:
            st.error(f"Too many failed attempts. Wait {PAUSE_SECONDS:.0f} seconds and try again.")
            return
        user = users.authenticate(username.strip().lower(), password)
        if user is None:
            st.session_state[_FAILURES_KEY] = [*recent, time.monotonic()]
            st.error("Wrong user name or password.")
        else:
            st.session_state.pop(_FAILURES_KEY, None)
            st.session_state[USER_KEY] = user.username
            st.rerun()
    if oidc_configured():
        st.divider()
        if st.button("Sign in with your identity provider"):
            st.login()
    if users.is_empty():
        st.info(
            "No accounts exist yet. Create the first administrator with `vciso users bootstrap` "
            "(prints a one-time password) or `vciso users add NAME --role admin`."
        )


def sign_out() -> None:
    was_oidc = st.session_state.pop(_OIDC_KEY, False)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if was_oidc:
        st.logout()
    st.rerun()
