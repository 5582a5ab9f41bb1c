"""Scale-out, run for real (scripts/cluster.py): PostgreSQL, a Chroma server, a `vciso worker` process and
two Streamlit replicas on loopback ports. An upload submitted the way replica A's Documents page submits
it is indexed by the worker process; replica B lists the document and answers about it (its code path,
and its own process driven in headless Chromium); every answer lands in the one audit log; a worker
killed mid-job leaves a job that the next worker resumes. Bounded: 100-150 s on 2 cores (fake
embeddings), asserted under 4 minutes."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from advisor.access.audit import AuditLog
from advisor.access.users import UserStore
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.jobs.uploads import submit_upload
from advisor.settings import Settings
from scripts.cluster import Cluster
from tests.browser_support import CHROMIUM, chromium_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PASSWORD = "a-long-password-1"
POLICY = b"# Acme Key Management Standard\n\n## Rotation\nAcme rotates its KMS master keys every 90 days.\n"
FILLER = (
    "Acme keeps an inventory of information assets and reviews it each quarter with the asset owners. "
    "Changes are recorded with a ticket, an approver and the date of the change. "
) * 40


def settings_of(cluster: Cluster, monkeypatch) -> Settings:
    """The Settings a replica reads: the same environment, read the same way."""
    for key, value in cluster.vciso_env().items():
        monkeypatch.setenv(key, value)
    return Settings()


def wait_for(predicate, timeout: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def ask_in_browser(url: str, question: str) -> None:
    """Sign in as carol on a running replica, ask, and see the citation card of the uploaded document."""
    from playwright.sync_api import expect

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps`", pytrace=False)
    with chromium_page() as page:
        sign_in(page, url, "carol", PASSWORD)
        expect(page.get_by_role("heading", name="Portfolio")).to_be_visible(timeout=60_000)  # her home page
        page.get_by_role("link", name="Chat").click()
        expect(page.get_by_role("heading", name="Ask the virtual CISO")).to_be_visible(timeout=60_000)
        page.get_by_placeholder("Ask about policies").fill(question)
        page.keyboard.press("Enter")
        card = page.locator(".st-key-card-acme-0-1")
        expect(card).to_be_visible(timeout=90_000)
        expect(card).to_contain_text("Key_Management.md")
        expect(card).to_contain_text("90 days")


def test_two_replicas_one_worker_one_database(tmp_path: Path, monkeypatch) -> None:
    started = time.monotonic()
    with Cluster(tmp_path / "cluster", embedding="fake", lease_s=3.0) as cluster:
        for url in cluster.replicas:  # both replicas serve
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
                assert resp.status == 200
        settings = settings_of(cluster, monkeypatch)
        assert settings.database.startswith("postgresql+psycopg://") and settings.store.backend == "server"
        users = UserStore(open_database(settings))
        users.add("carol", PASSWORD, "consultant", ["acme"])
        carol = users.get("carol")
        replica_a, replica_b = build_advisor(settings), build_advisor(settings)
        queue = JobQueue.from_settings(settings)

        # Upload through replica A's code path; the worker process indexes it.
        job = submit_upload(settings, queue, carol, "acme", [("Key Management.md", POLICY)])
        done = wait_for(
            lambda: (j := queue.get(job.id)).status in ("succeeded", "failed") and j, 60, "the upload job"
        )
        assert (done.status, [f.status for f in done.files]) == ("succeeded", ["added"])
        assert done.worker is None and done.attempts == 1

        # Replica B sees it and answers; replica A answers too; one audit log holds both.
        assert [d.source for d in replica_b.sources("acme", user=carol)] == ["Key_Management.md"]
        question = "How often does Acme rotate its KMS master keys?"
        answers = [adv.ask(question, "acme", user=carol) for adv in (replica_b, replica_a)]
        for answer in answers:
            assert not answer.abstained and "90 days" in answer.text
            assert [c.source for c in answer.citations if c.client] == ["Key_Management.md"]
        ask_in_browser(cluster.replicas[1], question)  # and through replica B's own process, in Chromium
        records = AuditLog(open_database(settings)).list(client="acme", user="carol")
        assert len(records) == 3 and {a.timings["audit_id"] for a in answers} < {r.id for r in records}
        assert all("90 days" in r.answer for r in records)

        # Kill the worker mid-job: the job stays running until its lease expires,
        # then a new worker resumes it.
        files = [
            (f"Standard_{i:02d}.md", f"# Standard {i}\n\n{FILLER}\nControl {i} applies.\n".encode())
            for i in range(40)
        ]
        big = submit_upload(settings, queue, carol, "acme", files)
        wait_for(lambda: queue.get(big.id).files_done >= 2, 60, "the first files of the big job")
        cluster.kill_worker()
        killed = queue.get(big.id)
        assert killed.status == "running" and 2 <= killed.files_done < 40, (killed.status, killed.files_done)
        cluster.start_worker()
        resumed = wait_for(
            lambda: (j := queue.get(big.id)).status in ("succeeded", "failed") and j, 120, "the resumed job"
        )
        assert resumed.status == "succeeded", resumed.error
        assert resumed.attempts == 2 and all(f.status in ("added", "unchanged") for f in resumed.files)
        assert len(replica_b.sources("acme", user=carol)) == 41
        assert all(cluster.alive().values())
    assert time.monotonic() - started < 240  # about 100-150 s on 2 busy cores
