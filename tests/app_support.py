"""Shared set-up for the app tests: a temp data dir with two small clients and three users."""

from __future__ import annotations

from pathlib import Path

from advisor.access.policy import local_operator
from advisor.access.users import UserStore
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.settings import Settings

PASSWORD = "correct-horse-battery"
ACME_POLICY = """# Acme Password Policy

## 1. Scope
This policy applies to every workforce member of Acme Corporation.

## 2. Password length
Passwords for Acme accounts must be at least 14 characters long and are rotated every 180 days.
Multi-factor authentication is required for all remote access to Acme systems.
"""
ACME_VENDORS = """# Acme Vendor Register

## Cloud providers
Acme hosts its payroll system with Northwind Cloud under a signed data processing agreement.
"""
GLOBEX_POLICY = """# Globex Backup Policy

## 1. Backups
Globex backs up its customer database every night to an immutable vault in Frankfurt.
"""


def make_environment(root: Path) -> tuple[Settings, dict[str, str]]:
    """Build the data dir under ``root``; return the settings and the environment for the app."""
    data = root / "data"
    docs = root / "docs"
    (docs / "acme").mkdir(parents=True)
    (docs / "globex").mkdir(parents=True)
    (docs / "acme" / "Password_Policy.md").write_text(ACME_POLICY)
    (docs / "acme" / "Vendor_Register.md").write_text(ACME_VENDORS)
    (docs / "globex" / "Backup_Policy.md").write_text(GLOBEX_POLICY)
    settings = Settings(data_dir=data, embedding="fake")
    adv = build_advisor(settings)
    adv.ensure_library()
    for client in ("acme", "globex"):
        report = adv.ingest([docs / client], client, user=local_operator())
        assert report.ok, report.failed
    users = UserStore(open_database(settings))
    users.add("admin", PASSWORD, "admin")
    users.add("carol", PASSWORD, "consultant", ["acme"])
    users.add("eve", PASSWORD, "executive", ["globex"])
    env = {"VCISO_DATA_DIR": str(data), "VCISO_EMBEDDING": "fake"}
    return settings, env
