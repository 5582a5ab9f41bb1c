"""Local users: argon2 hashes, validation, bootstrap, roles, and per-user tenancy checks."""

from __future__ import annotations

import logging

import pytest
from argon2 import PasswordHasher

from advisor.access.policy import Access, require, require_read, visible_clients
from advisor.access.users import User, UserError, UserStore
from advisor.db.models import UserRow
from advisor.errors import AccessDenied, AdvisorError, NotFound

PASSWORD = "correct horse battery"
# Cheap parameters keep the tests fast; the production default is PasswordHasher().
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def store(database) -> UserStore:
    return UserStore(database, hasher=FAST)


def stored_hash(store: UserStore, username: str) -> str:
    with store.db.session() as s:
        return s.get(UserRow, username).password_hash


# --- passwords -------------------------------------------------------------------------------------


def test_password_is_hashed_with_argon2(store: UserStore) -> None:
    store.add("alice", PASSWORD, "consultant", ["meridian-health"])
    h = stored_hash(store, "alice")
    assert h != PASSWORD
    assert PASSWORD not in h
    assert h.startswith("$argon2id$")


def test_authenticate(store: UserStore) -> None:
    store.add("alice", PASSWORD, "consultant", ["meridian-health"])
    user = store.authenticate("alice", PASSWORD)
    assert user == User("alice", "consultant", ("meridian-health",), user.created_at)
    assert store.authenticate("alice", PASSWORD + "x") is None
    assert store.authenticate("alice", "") is None
    assert store.authenticate("nobody", PASSWORD) is None
    assert store.authenticate("NOT A VALID NAME", PASSWORD) is None


def test_set_password(store: UserStore) -> None:
    store.add("alice", PASSWORD, "consultant")
    store.set_password("alice", "another long passphrase")
    assert store.authenticate("alice", PASSWORD) is None
    assert store.authenticate("alice", "another long passphrase") is not None
    with pytest.raises(NotFound):
        store.set_password("nobody", "another long passphrase")


def test_authenticate_rehashes_outdated_hash(database) -> None:
    UserStore(database, hasher=FAST).add("alice", PASSWORD, "consultant")
    old = stored_hash(UserStore(database, hasher=FAST), "alice")
    stronger = UserStore(database, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    assert stronger.authenticate("alice", PASSWORD) is not None
    new = stored_hash(stronger, "alice")
    assert new != old and "t=2" in new
    assert stronger.authenticate("alice", PASSWORD) is not None


def test_short_password_rejected_with_clear_error(store: UserStore) -> None:
    with pytest.raises(UserError, match="at least 12 characters"):
        store.add("alice", "short", "consultant")
    with pytest.raises(UserError, match="at least 12 characters"):
        store.add("alice", "elevenchars", "consultant")
    store.add("alice", "twelve chars", "consultant")  # exactly 12 is fine
    with pytest.raises(UserError):
        store.set_password("alice", "tiny")
    assert issubclass(UserError, AdvisorError)


def test_disabled_user_cannot_sign_in(store: UserStore) -> None:
    store.add("root", PASSWORD, "admin")
    store.add("alice", PASSWORD, "consultant", ["meridian-health"])
    store.set_disabled("alice")
    assert store.authenticate("alice", PASSWORD) is None
    assert store.get("alice").may_read("meridian-health") is False
    store.set_disabled("alice", False)
    assert store.authenticate("alice", PASSWORD) is not None


def test_failed_sign_in_logs_no_password(store: UserStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="advisor.access.users")
    store.add("alice", PASSWORD, "consultant")
    store.authenticate("alice", "wrong password here")
    store.authenticate("alice", PASSWORD)
    assert caplog.records
    for r in caplog.records:
        assert PASSWORD not in r.getMessage() and "wrong password here" not in r.getMessage()


# --- names, roles, clients -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["", "a", "Alice", "-alice", ".alice", "al ice", "al/ice", "a" * 65, "ålice"]
)
def test_invalid_usernames_rejected(store: UserStore, name: str) -> None:
    with pytest.raises(UserError, match="invalid user name"):
        store.add(name, PASSWORD, "consultant")


@pytest.mark.parametrize("name", ["ab", "alice", "alice.smith", "a_b-c", "alice@example.com", "0x", "a" * 64])
def test_valid_usernames_accepted(store: UserStore, name: str) -> None:
    assert store.add(name, PASSWORD, "consultant").username == name


def test_duplicate_user_and_bad_role_rejected(store: UserStore) -> None:
    store.add("alice", PASSWORD, "consultant")
    with pytest.raises(UserError, match="exists already"):
        store.add("alice", PASSWORD, "admin")
    with pytest.raises(UserError, match="invalid role"):
        store.add("bob", PASSWORD, "superuser")
    with pytest.raises(UserError, match="invalid client id"):
        store.add("bob", PASSWORD, "consultant", ["Acme Corp"])
    assert [u.username for u in store.list()] == ["alice"]


def test_assign_get_list_remove(store: UserStore) -> None:
    store.add("root", PASSWORD, "admin")
    store.add("alice", PASSWORD, "consultant", ["meridian-health"])
    store.add("carol", PASSWORD, "executive", ["acme-corp"])
    assert store.assign("alice", ["acme-corp", "meridian-health", "acme-corp"]).clients == (
        "acme-corp",
        "meridian-health",
    )
    assert store.get("alice").clients == ("acme-corp", "meridian-health")
    assert store.assign("alice", []).clients == ()
    assert [u.username for u in store.list()] == ["alice", "carol", "root"]
    store.remove("carol")
    with pytest.raises(NotFound):
        store.get("carol")
    with pytest.raises(NotFound):
        store.remove("carol")
    with pytest.raises(NotFound):
        store.assign("carol", ["acme-corp"])


def test_last_admin_cannot_be_removed(store: UserStore) -> None:
    store.add("root", PASSWORD, "admin")
    with pytest.raises(UserError, match="last enabled admin"):
        store.remove("root")
    with pytest.raises(UserError, match="last enabled admin"):
        store.set_role("root", "consultant")
    store.add("root2", PASSWORD, "admin")
    store.remove("root")
    assert [u.username for u in store.list()] == ["root2"]


# --- bootstrap -------------------------------------------------------------------------------------


def test_bootstrap_admin_only_once(store: UserStore) -> None:
    password = store.bootstrap_admin()
    assert password is not None and len(password) >= 12
    admin = store.authenticate("admin", password)
    assert admin is not None and admin.role == "admin"
    assert store.bootstrap_admin() is None
    assert store.authenticate("admin", password) is not None  # password unchanged
    assert [u.username for u in store.list()] == ["admin"]


def test_bootstrap_skipped_when_users_exist(store: UserStore) -> None:
    store.add("alice", PASSWORD, "consultant")
    assert store.bootstrap_admin() is None
    with pytest.raises(NotFound):
        store.get("admin")


def test_bootstrap_passwords_are_random(tmp_path) -> None:
    a = UserStore(tmp_path / "a.sqlite3", hasher=FAST).bootstrap_admin()
    b = UserStore(tmp_path / "b.sqlite3", hasher=FAST).bootstrap_admin()
    assert a and b and a != b


# --- roles and access ------------------------------------------------------------------------------

ADMIN = User("root", "admin")
CONSULTANT = User("alice", "consultant", ("meridian-health",))
EXECUTIVE = User("carol", "executive", ("acme-corp",))


def test_role_permissions() -> None:
    assert (ADMIN.may_manage_users, ADMIN.may_delete_documents, ADMIN.may_approve) == (True, True, True)
    assert (CONSULTANT.may_manage_users, CONSULTANT.may_delete_documents, CONSULTANT.may_approve) == (
        False,
        True,
        True,
    )
    assert (EXECUTIVE.may_manage_users, EXECUTIVE.may_delete_documents, EXECUTIVE.may_approve) == (
        False,
        False,
        False,
    )
    assert (ADMIN.default_audience, CONSULTANT.default_audience, EXECUTIVE.default_audience) == (
        "consultant",
        "consultant",
        "executive",
    )


def test_may_read() -> None:
    assert ADMIN.may_read("meridian-health") and ADMIN.may_read("acme-corp")
    assert CONSULTANT.may_read("meridian-health") and not CONSULTANT.may_read("acme-corp")
    assert EXECUTIVE.may_read("acme-corp") and not EXECUTIVE.may_read("meridian-health")
    assert all(u.may_read(None) for u in (ADMIN, CONSULTANT, EXECUTIVE))  # the built-in library


def test_consultant_cannot_read_unassigned_client() -> None:
    require_read(CONSULTANT, "meridian-health")
    with pytest.raises(AccessDenied) as exc:
        require_read(CONSULTANT, "acme-corp")
    assert str(exc.value) == "user 'alice' may not read client 'acme-corp'"
    with pytest.raises(AccessDenied):
        Access.require_read(EXECUTIVE, "meridian-health")
    with pytest.raises(AccessDenied):
        Access.require_read(None, "meridian-health")
    Access.require_read(ADMIN, "acme-corp")


def test_visible_clients() -> None:
    everything = ["acme-corp", "meridian-health", "zenith-bank", "acme-corp"]
    assert visible_clients(ADMIN, everything) == ["acme-corp", "meridian-health", "zenith-bank"]
    assert visible_clients(CONSULTANT, everything) == ["meridian-health"]
    assert visible_clients(EXECUTIVE, everything) == ["acme-corp"]
    assert visible_clients(User("dave", "consultant", ("gone-client",)), everything) == []
    assert visible_clients(User("eve", "admin", disabled=True), everything) == []


def test_require_permission() -> None:
    require(ADMIN, "manage_users")
    require(CONSULTANT, "approve")
    require(CONSULTANT, "delete_documents")
    with pytest.raises(AccessDenied, match="user 'alice' may not manage users"):
        require(CONSULTANT, "manage_users")
    with pytest.raises(AccessDenied, match="may not delete documents"):
        Access.require(EXECUTIVE, "delete_documents")
    with pytest.raises(AccessDenied, match="may not approve"):
        Access.require(EXECUTIVE, "approve")
    with pytest.raises(ValueError):
        Access.require(ADMIN, "launch_missiles")  # type: ignore[arg-type]
