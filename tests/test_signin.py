"""Sign-in: server-side throttling per account and per source, the password rule, session lifetimes, the
bootstrap admin's forced password change and OIDC binding to issuer + subject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from advisor.access.security_log import SecurityLog
from advisor.access.signin import SessionTimes, SignIn, SignInLocked, session_expiry
from advisor.access.users import UserError, UserStore, validate_password
from advisor.errors import NotFound
from advisor.settings import AuthSettings

PASSWORD = "correct horse battery"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def users(tmp_path) -> UserStore:
    store = UserStore(tmp_path / "vciso.db", hasher=FAST)
    store.add("alice", PASSWORD, "consultant", ["acme"])
    store.add("bob", "another long passphrase", "consultant", ["acme"])
    return store


def test_password_rule() -> None:
    for weak in ("password1234", "short-pw", "qwertyuiop12", "123456789012", "iloveyou1234"):
        with pytest.raises(UserError):
            validate_password(weak)
    assert validate_password("correct horse battery") == "correct horse battery"
    with pytest.raises(UserError, match="too easy"):
        validate_password("alice.example1", "alice.example")


def test_common_password_refused_on_add_and_change(users: UserStore) -> None:
    with pytest.raises(UserError):
        users.add("carol", "password1234", "consultant")
    with pytest.raises(UserError):
        users.set_password("alice", "password1234")


def test_lockout_after_failures_and_grows(users: UserStore) -> None:
    clock = Clock()
    signin = SignIn(users, AuthSettings(max_failures=5, lockout_min=5), clock=clock)
    for _ in range(5):
        assert signin.authenticate("alice", "wrong password!!", source="10.0.0.1") is None
    with pytest.raises(SignInLocked) as locked:
        signin.authenticate("alice", PASSWORD, source="10.0.0.2")  # the account is locked, from anywhere
    assert 0 < locked.value.retry_after_s <= 300
    clock.now += timedelta(minutes=6)
    for _ in range(5):
        assert signin.authenticate("alice", "wrong password!!", source="10.0.0.3") is None
    assert 300 < signin.locked_for("alice", "10.0.0.4") <= 600  # the second lockout is twice as long
    clock.now += timedelta(minutes=11)
    assert signin.authenticate("alice", PASSWORD, source="10.0.0.4").username == "alice"


def test_source_is_locked_across_accounts(users: UserStore) -> None:
    signin = SignIn(users, AuthSettings(max_failures=5), clock=Clock())
    for name in ("alice", "bob", "nobody", "admin", "root"):
        assert signin.authenticate(name, "wrong password!!", source="203.0.113.9") is None
    with pytest.raises(SignInLocked):
        signin.authenticate("bob", "another long passphrase", source="203.0.113.9")
    assert signin.authenticate("bob", "another long passphrase", source="198.51.100.1").username == "bob"


def test_throttle_survives_a_new_instance(users: UserStore, tmp_path) -> None:
    clock = Clock()
    for _ in range(5):
        SignIn(users, clock=clock).authenticate("alice", "wrong password!!")
    fresh = SignIn(UserStore(tmp_path / "vciso.db", hasher=FAST), clock=clock)
    with pytest.raises(SignInLocked):
        fresh.authenticate("alice", PASSWORD)


def test_failures_outside_the_window_do_not_count(users: UserStore) -> None:
    clock = Clock()
    signin = SignIn(users, AuthSettings(max_failures=5, failure_window_min=15), clock=clock)
    for _ in range(4):
        signin.authenticate("alice", "wrong password!!")
    clock.now += timedelta(minutes=16)
    signin.authenticate("alice", "wrong password!!")
    assert signin.locked_for("alice", "app") == 0


def test_sign_ins_are_audited(users: UserStore) -> None:
    signin = SignIn(users, AuthSettings(max_failures=2), clock=Clock())
    signin.authenticate("alice", "wrong password!!", source="192.0.2.7")
    signin.authenticate("alice", PASSWORD, source="192.0.2.7")
    events = SecurityLog(users.db).list(event=("sign_in", "sign_in_failed"))  # not the fixture's user_added
    assert [(e.event, e.user, e.source) for e in events] == [
        ("sign_in", "alice", "192.0.2.7"),
        ("sign_in_failed", "alice", "192.0.2.7"),
    ]
    assert all(PASSWORD not in e.detail for e in events)


def test_session_timeouts() -> None:
    settings = AuthSettings(session_idle_min=30, session_max_hours=12)
    start = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert session_expiry(SessionTimes(start, start), start + timedelta(minutes=29), settings) is None
    assert session_expiry(SessionTimes(start, start), start + timedelta(minutes=31), settings) == "idle"
    busy = SessionTimes(start, start + timedelta(hours=12))
    assert session_expiry(busy, start + timedelta(hours=12, minutes=1), settings) == "absolute"


def test_bootstrap_admin_must_change_password(tmp_path) -> None:
    store = UserStore(tmp_path / "vciso.db", hasher=FAST)
    password = store.bootstrap_admin()
    admin = store.authenticate("admin", password)
    assert admin.must_change_password
    with pytest.raises(UserError):
        store.set_password("admin", password)  # the same password is not a change
    store.set_password("admin", "a brand new admin passphrase")
    assert not store.get("admin").must_change_password


def test_oidc_binds_issuer_and_subject(users: UserStore) -> None:
    users.add("olga@acme.example", PASSWORD, "consultant", ["acme"])
    with pytest.raises(UserError, match="verified"):
        users.oidc_account("https://idp.example", "sub-1", "olga@acme.example", email_verified=False)
    bound = users.oidc_account("https://idp.example", "sub-1", "olga@acme.example", email_verified=True)
    assert bound.username == "olga@acme.example"
    # the binding wins over the e-mail claim afterwards
    assert (
        users.oidc_account("https://idp.example", "sub-1", "changed@else.example", True).username
        == bound.username
    )
    with pytest.raises(UserError, match="another identity"):
        users.oidc_account("https://other-idp.example", "sub-9", "olga@acme.example", email_verified=True)
    with pytest.raises(NotFound):
        users.oidc_account("https://idp.example", "sub-2", "nobody@acme.example", email_verified=True)
