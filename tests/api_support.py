"""Shared set-up for the API tests: the app's test environment (clients acme and globex, users admin,
carol (consultant for acme) and eve (executive for globex)) plus one API token per user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from advisor.access.tokens import TokenStore
from advisor.access.users import UserStore
from advisor.api.app import create_app
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.settings import Settings
from tests.app_support import PASSWORD, make_environment

USERS = ("admin", "carol", "eve")


@dataclass
class Api:
    client: TestClient
    settings: Settings
    tokens: dict[str, str]  # user -> token text

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


def make_api(root: Path, **settings_overrides) -> Iterator[Api]:
    settings, _ = make_environment(root)
    if settings_overrides:
        settings = settings.model_copy(update=settings_overrides)
    users = UserStore(open_database(settings))
    users.add("dave", PASSWORD, "consultant", ["acme"])  # a second reviewer for the four-eyes rule
    store = TokenStore(open_database(settings))
    tokens = {name: store.create(name, "tests")[1] for name in (*USERS, "dave")}
    app = create_app(settings, advisor=build_advisor(settings), warm=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, settings, tokens)


def wait_for_job(api: Api, job: dict, user: str, timeout: float = 120.0) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while True:
        r = api.client.get(f"/v1/jobs/{job['id']}", headers=api.auth(user))
        assert r.status_code == 200, r.text
        body = r.json()
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.1)
