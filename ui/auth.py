"""Sign-in: local users (argon2 hashes in advisor.access.users) and, when configured, Streamlit's OIDC login.

Throttling is server-side (:class:`advisor.access.signin.SignIn`, in the state database), so reloading the
page does
not reset it. The session stores the user name and its start and last-activity times; the account is read
again on every run (a disabled user or a changed assignment takes effect at once), and a session past its
idle or absolute lifetime is signed out. An account that must change its password (the bootstrap admin)
sees only the change-password form. OIDC accounts are bound to the provider's issuer + ``sub``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import streamlit as st

from advisor.access.security_log import SecurityLog, set_request_source
from advisor.access.signin import SessionTimes, SignIn, SignInLocked, session_expiry
from advisor.access.users import User, UserStore
from advisor.errors import AdvisorError, NotFound
from advisor.settings import AuthSettings
from ui.context import USER_KEY, settings

log = logging.getLogger(__name__)

_OIDC_KEY = "vciso_oidc"
_STARTED_KEY = "vciso_session_started"
_SEEN_KEY = "vciso_session_seen"
_EXPIRED_KEY = "vciso_session_expired"
WRONG = "Wrong user name or password."


def source() -> str:
    """The client's IP address when Streamlit knows it, else ``app``."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - older Streamlit or no script context
        ip = None
    return str(ip) if ip else "app"


def _auth_settings() -> AuthSettings:
    try:
        return settings().auth
    except Exception:  # noqa: BLE001 - a bad setting is reported by the app itself
        return AuthSettings()


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login()."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _claim(name: str):
    try:
        return st.user.get(name)
    except Exception:  # noqa: BLE001
        return None


def _oidc_user(users: UserStore) -> User | None:
    """The local account bound to the OIDC identity (issuer + sub; a verified e-mail binds it at first)."""
    try:
        if not st.user.is_logged_in:
            return None
    except Exception:  # noqa: BLE001
        return None
    email = str(_claim("email") or "").strip().lower()
    issuer, subject = str(_claim("iss") or ""), str(_claim("sub") or "")
    verified = _claim("email_verified") in (True, "true", "True", 1)
    try:
        user = users.oidc_account(issuer, subject, email, verified)
    except NotFound:
        st.error(
            f"Signed in as {email}, but there is no vciso account for this address. "
            "Ask an administrator to add one (`vciso users add <email> --role …`)."
        )
        users.events.record(
            "sign_in_failed",
            user=email or "anonymous",
            outcome="failed",
            source=source(),
            detail="oidc: no account",
        )
        return None
    except AdvisorError as exc:
        st.error(f"Identity-provider sign-in refused: {exc}")
        users.events.record(
            "sign_in_failed",
            user=email or "anonymous",
            outcome="failed",
            source=source(),
            detail=f"oidc: {exc}",
        )
        return None
    users.events.record("sign_in", user=user, source=source(), detail="oidc")
    return user


def _start_session(username: str) -> None:
    now = datetime.now(UTC).isoformat()
    st.session_state[USER_KEY] = username
    st.session_state[_STARTED_KEY] = now
    st.session_state[_SEEN_KEY] = now


def _expired(users: UserStore, name: str) -> bool:
    """Sign out a session past its idle or absolute lifetime; True when it was."""
    now = datetime.now(UTC)
    started = st.session_state.get(_STARTED_KEY)
    seen = st.session_state.get(_SEEN_KEY)
    times = SessionTimes(
        datetime.fromisoformat(started) if started else now, datetime.fromisoformat(seen) if seen else now
    )
    reason = session_expiry(times, now, _auth_settings())
    if reason is None:
        st.session_state[_SEEN_KEY] = now.isoformat()
        return False
    users.events.record("session_expired", user=name, source=source(), detail=reason)
    was_oidc = st.session_state.get(_OIDC_KEY, False)
    for key in (USER_KEY, _STARTED_KEY, _SEEN_KEY, _OIDC_KEY):
        st.session_state.pop(key, None)
    st.session_state[_EXPIRED_KEY] = reason
    if was_oidc:
        st.logout()
    return True


def current_user(users: UserStore) -> User | None:
    """The signed-in, enabled user whose session has not expired, or None."""
    set_request_source(source())
    name = st.session_state.get(USER_KEY)
    if name:
        if _expired(users, name):
            return None
        try:
            user = users.get(name)
        except NotFound:
            user = None
        if user is not None and not user.disabled:
            set_request_source(source(), user.username)
            return user
        st.session_state.pop(USER_KEY, None)
    if oidc_configured() and not st.session_state.get(_EXPIRED_KEY):
        user = _oidc_user(users)
        if user is not None:
            _start_session(user.username)
            st.session_state[_OIDC_KEY] = True
            set_request_source(source(), user.username)
            return user
    return None


def sign_in_form(users: UserStore) -> None:
    """The sign-in page; reruns the app after a successful sign-in."""
    st.title("vciso")
    st.caption(
        "Virtual CISO advisory assistant: answers from your clients' documents and the regulatory "
        "library, each claim cited down to page and clause."
    )
    expired = st.session_state.get(_EXPIRED_KEY)
    if expired:
        st.warning(
            "Your session expired"
            + (" after a period of inactivity." if expired == "idle" else ".")
            + " Sign in again."
        )
    with st.form("sign_in"):
        username = st.text_input("User name", key="sign_in_user")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            user = SignIn(users, _auth_settings()).authenticate(username, password, source=source())
        except SignInLocked as exc:
            st.error(str(exc))
            return
        except AdvisorError as exc:
            st.error(f"Sign-in is unavailable: {exc}")
            return
        if user is None:
            st.error(WRONG)
        else:
            st.session_state.pop(_EXPIRED_KEY, None)
            _start_session(user.username)
            st.rerun()
    if oidc_configured():
        st.divider()
        if st.button("Sign in with your identity provider"):
            st.session_state.pop(_EXPIRED_KEY, None)
            st.login()
    if users.is_empty():
        st.info(
            "No accounts exist yet. Create the first administrator with `vciso users bootstrap` "
            "(prints a one-time password) or `vciso users add NAME --role admin`."
        )


def change_password_form(users: UserStore, user: User) -> None:
    """The only page of an account that must set a new password (e.g. the bootstrap admin)."""
    st.title("Set a new password")
    st.info(
        "This account was created with a one-time password. Choose a new one (at least 12 characters, "
        "not a common password) before you continue."
    )
    with st.form("change_password"):
        current = st.text_input("Current password", type="password", key="pw_current")
        new = st.text_input("New password", type="password", key="pw_new")
        again = st.text_input("New password again", type="password", key="pw_again")
        submitted = st.form_submit_button("Set password", type="primary")
    if submitted:
        if users.authenticate(user.username, current) is None:
            st.error("The current password is wrong.")
            return
        if new != again:
            st.error("The new passwords differ.")
            return
        try:
            users.set_password(user.username, new, by=user)
        except AdvisorError as exc:
            st.error(str(exc))
            return
        st.rerun()
    if st.button("Sign out", key="sign_out"):
        sign_out(users)


def sign_out(users: UserStore | None = None) -> None:
    name = st.session_state.get(USER_KEY)
    if users is not None and name:
        SecurityLog(users.db).record("sign_out", user=name, source=source())
    was_oidc = st.session_state.pop(_OIDC_KEY, False)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if was_oidc:
        st.logout()
    st.rerun()
