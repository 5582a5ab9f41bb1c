"""Jobs and the worker: the queue's contract on SQLite and PostgreSQL (claim once, progress per file,
leases, resume or fail after a dead worker), and uploads run as ingest jobs by the worker."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advisor.access.users import User, UserStore
from advisor.db import open_database
from advisor.errors import AccessDenied, NotFound
from advisor.jobs.queue import FileSpec, JobError, JobQueue, LeaseLost
from advisor.jobs.uploads import INGEST, UploadRejected, submit_upload
from advisor.jobs.worker import Worker

GOOD = (
    b"# Acme Encryption Standard\n\n## Laptops\nAll Acme laptops use full-disk encryption with XTS-AES-256.\n"
)
OTHER = (
    b"# Acme Backup Standard\n\n## Backups\nAcme backs up its file servers every night to a vault in Oslo.\n"
)
BROKEN_PDF = b"%PDF-1.7\n this is not really a pdf \x00\x01\x02"
PASSWORD = "a-long-password-1"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(database, clock) -> JobQueue:
    return JobQueue(database, lease_s=10, max_attempts=2, clock=clock)


def three_files() -> list[FileSpec]:
    return [
        FileSpec("a.md", "/staging/a.md"),
        FileSpec("b.md", "/staging/b.md"),
        FileSpec("x.exe", error="refused"),
    ]


# -- the queue: one contract, both dialects --------------------------------------------------------


def test_submit_claim_progress_and_finish(queue: JobQueue) -> None:
    job = queue.submit(INGEST, created_by="carol", client="acme", params={"k": 1}, files=three_files())
    assert (job.status, job.attempts, job.params) == ("queued", 0, {"k": 1})
    assert [(f.name, f.status, f.error) for f in job.files] == [
        ("a.md", "waiting", None),
        ("b.md", "waiting", None),
        ("x.exe", "failed", "refused"),
    ]
    assert job.files_done == 1 and job.progress == pytest.approx(1 / 3)

    claimed = queue.claim("w1")
    assert (claimed.id, claimed.status, claimed.worker, claimed.attempts) == (job.id, "running", "w1", 1)
    assert queue.claim("w2") is None  # one job, one worker
    queue.set_file(job.id, "w1", 0, "running")
    queue.set_file(job.id, "w1", 0, "added", chunks=3)
    assert [f.status for f in queue.get(job.id).files] == ["added", "waiting", "failed"]
    with pytest.raises(LeaseLost):
        queue.set_file(job.id, "w2", 1, "added")
    with pytest.raises(JobError):
        queue.set_file(job.id, "w1", 1, "exploded")
    done = queue.finish(job.id, "w1", result={"chunks": 3})
    assert (done.status, done.result, done.worker, done.progress) == ("succeeded", {"chunks": 3}, None, 1.0)
    assert done.finished_at is not None and not done.active
    with pytest.raises(LeaseLost):
        queue.finish(job.id, "w1", error="again")
    with pytest.raises(NotFound):
        queue.get(999)


def test_concurrent_workers_claim_each_job_exactly_once(database_url: str) -> None:
    import threading

    from advisor.db import Database

    queue = JobQueue(Database(database_url))
    ids = {queue.submit(INGEST, created_by="carol", client="acme").id for _ in range(12)}
    claimed: list[int] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        own = JobQueue(Database(database_url))  # its own engine and connections, like another process
        try:
            while (job := own.claim(f"w{n}")) is not None:
                claimed.append(job.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(claimed) == sorted(ids)  # every job once, none twice


def test_a_job_of_only_refused_files_fails_at_once(queue: JobQueue) -> None:
    job = queue.submit(INGEST, created_by="carol", client="acme", files=[FileSpec("x.exe", error="refused")])
    assert (job.status, job.error) == ("failed", "no file could be accepted")
    assert queue.claim("w1") is None


def test_claims_go_oldest_first_and_by_kind(queue: JobQueue) -> None:
    first = queue.submit("report", created_by="carol", client="acme")
    second = queue.submit(INGEST, created_by="carol", client="acme")
    assert queue.claim("w1", kinds=[INGEST]).id == second.id
    assert queue.claim("w2").id == first.id


def test_dead_worker_job_is_resumed_then_failed_after_max_attempts(queue: JobQueue, clock: Clock) -> None:
    job = queue.submit(INGEST, created_by="carol", client="acme", files=three_files())
    queue.claim("dead-1")
    queue.set_file(job.id, "dead-1", 0, "added", chunks=2)
    queue.set_file(job.id, "dead-1", 1, "running")
    clock.advance(5)
    assert queue.claim("w2") is None  # the lease (10 s) still holds
    assert queue.heartbeat(job.id, "dead-1")
    clock.advance(11)  # no heartbeat for longer than the lease: the worker is dead

    resumed = queue.claim("w2")
    assert (resumed.id, resumed.worker, resumed.attempts) == (job.id, "w2", 2)
    assert [f.status for f in resumed.files] == ["added", "waiting", "failed"]  # finished files stay finished
    assert not queue.heartbeat(job.id, "dead-1")  # the old worker learns it lost the job
    with pytest.raises(LeaseLost):
        queue.set_file(job.id, "dead-1", 1, "added")

    clock.advance(11)  # the second worker dies too: max_attempts (2) used
    assert queue.recover() == (0, 1)
    failed = queue.get(job.id)
    assert failed.status == "failed" and "stopped responding" in failed.error and "2 attempts" in failed.error
    assert [f.status for f in failed.files] == ["added", "failed", "failed"]
    assert failed.files[1].error == "not processed: the job failed"


def test_list_is_newest_first_and_limited_to_readable_clients(queue: JobQueue) -> None:
    a = queue.submit(INGEST, created_by="carol", client="acme")
    g = queue.submit(INGEST, created_by="eve", client="globex")
    assert [j.id for j in queue.list()] == [g.id, a.id]
    assert [j.id for j in queue.list(clients=["acme"])] == [a.id]
    assert queue.list(clients=[]) == []
    assert [j.id for j in queue.list(client="globex")] == [g.id]


def test_invalid_queue_settings_and_jobs_are_refused(database) -> None:
    with pytest.raises(JobError):
        JobQueue(database, lease_s=0)
    with pytest.raises(JobError):
        JobQueue(database).submit("", created_by="carol")


# -- uploads run by the worker (SQLite, fake embeddings) ------------------------------------------


@pytest.fixture
def setup(fake_settings):
    from advisor.factory import build_advisor

    settings = fake_settings.model_copy(
        update={"jobs": fake_settings.jobs.model_copy(update={"lease_s": 2.0})}
    )
    users = UserStore(open_database(settings))
    users.add("carol", PASSWORD, "consultant", ["acme"])
    return settings, build_advisor(settings), JobQueue.from_settings(settings), users.get("carol")


def test_upload_job_indexes_good_files_and_reports_bad_ones(setup) -> None:
    settings, adv, queue, carol = setup
    job = submit_upload(
        settings,
        queue,
        carol,
        "acme",
        [
            ("Encryption Standard.md", GOOD),
            ("Broken_Audit.pdf", BROKEN_PDF),
            ("payload.exe", b"MZ"),
            ("empty.md", b""),
        ],
    )
    assert [f.status for f in job.files] == ["waiting", "waiting", "failed", "failed"]
    assert (
        job.files[2].error.startswith("unsupported file type .exe")
        and job.files[3].error == "the file is empty"
    )

    done = Worker(adv, queue).run_once()
    assert done.status == "succeeded" and done.attempts == 1
    assert [f.status for f in done.files] == ["added", "failed", "failed", "failed"]
    assert done.files[0].chunks >= 1
    uploads = settings.data_dir / "uploads" / "acme"
    assert sorted(p.name for p in uploads.iterdir()) == [
        "Encryption_Standard.md"
    ]  # the broken file is not kept
    assert [r.source for r in adv.sources("acme", user=carol)] == ["Encryption_Standard.md"]
    assert [f["path"] for f in done.result["failed"]] == ["Broken_Audit.pdf", "payload.exe", "empty.md"]
    assert not any((settings.data_dir / "jobs" / "incoming").iterdir())  # staging cleaned up
    answer = adv.ask("Which encryption do Acme laptops use?", "acme", user=carol)
    assert any(c.source == "Encryption_Standard.md" for c in answer.citations)


def test_upload_checks_access_and_the_user_is_checked_again_when_the_job_runs(setup) -> None:
    settings, adv, queue, carol = setup
    with pytest.raises(AccessDenied):
        submit_upload(settings, queue, User("eve", "executive", ("globex",)), "acme", [("a.md", GOOD)])
    with pytest.raises(UploadRejected):
        submit_upload(settings, queue, carol, "acme", [])
    job = submit_upload(settings, queue, carol, "acme", [("a.md", GOOD)])
    UserStore(open_database(settings)).set_disabled("carol")
    done = Worker(adv, queue).run_once()
    assert (done.id, done.status) == (job.id, "failed") and "carol" in done.error and "disabled" in done.error
    assert not any((settings.data_dir / "jobs" / "incoming").iterdir())  # its staged files are removed
    assert adv.sources("acme", user=User("root", "admin")) == []


def test_resumed_upload_job_skips_finished_files(setup) -> None:
    settings, adv, queue, carol = setup
    job = submit_upload(settings, queue, carol, "acme", [("Encryption.md", GOOD), ("Backup.md", OTHER)])
    first = Worker(adv, queue)
    crashed = queue.claim("dead:0")  # a worker that indexes the first file and dies
    from advisor.jobs.uploads import run_ingest
    from advisor.jobs.worker import JobContext

    ctx = JobContext(job=crashed, advisor=adv, user=carol, queue=queue, worker="dead:0")
    ctx.set_file(0, "running")
    ctx.lost.set()  # stops before the next file, as a killed process would
    with pytest.raises(LeaseLost):
        run_ingest(ctx)
    assert [f.status for f in queue.get(job.id).files] == ["running", "waiting"]
    time.sleep(2.2)  # lease_s = 2
    done = first.run_once()
    assert (done.id, done.status, done.attempts) == (job.id, "succeeded", 2)
    assert [f.status for f in done.files] == ["added", "added"]
    assert sorted(r.source for r in adv.sources("acme", user=carol)) == ["Backup.md", "Encryption.md"]


def test_embedded_worker_threads_run_jobs_in_the_background(setup) -> None:
    settings, adv, queue, carol = setup
    worker = Worker(adv, queue, threads=2, poll_s=0.1).start()
    try:
        jobs = [
            submit_upload(
                settings, queue, carol, "acme", [(f"Doc{i}.md", GOOD + f"\nVersion {i}.\n".encode())]
            )
            for i in range(3)
        ]
        worker.notify()
        deadline = time.monotonic() + 60
        while any(queue.get(j.id).active for j in jobs) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.stop()
    assert [queue.get(j.id).status for j in jobs] == ["succeeded"] * 3
    assert len(adv.sources("acme", user=carol)) == 3


# -- the Documents page reads job progress from the database ---------------------------------------


def test_documents_page_shows_per_file_progress_from_the_database(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.app_support import PASSWORD as APP_PASSWORD
    from tests.app_support import make_environment
    from ui.context import GOTO_KEY

    settings, env = make_environment(tmp_path)
    for key, value in {**env, "VCISO_JOBS__EMBEDDED_WORKERS": "0"}.items():  # scale-out: no worker in the app
        monkeypatch.setenv(key, value)
    carol = UserStore(open_database(settings)).get("carol")
    queue = JobQueue.from_settings(settings)
    job = submit_upload(settings, queue, carol, "acme", [("One.md", GOOD), ("Two.md", OTHER)])

    def page() -> AppTest:  # a fresh session each time: what a page reload gives
        at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120).run()
        at.text_input(key="sign_in_user").input("carol")
        at.text_input(key="sign_in_password").input(APP_PASSWORD)
        at.button[0].click().run()
        at.session_state[GOTO_KEY] = "documents"
        at.run()
        assert not at.exception
        return at

    at = page()
    assert [s.value for s in at.subheader][:1] == ["Upload jobs"]
    assert f"Job {job.id}: waiting for a worker — 0 of 2 files" in at.get("progress")[0].proto.text
    queue.claim("elsewhere:1")  # a `vciso worker` on another machine takes it and finishes one file
    queue.set_file(job.id, "elsewhere:1", 0, "added", chunks=1)
    at = page()
    progress = at.get("progress")[0].proto.text
    assert f"Job {job.id}: indexing (elsewhere:1) — 1 of 2 files" in progress
    files = at.dataframe[0].value
    assert list(files["File"]) == ["One.md", "Two.md"] and list(files["Status"]) == ["added", "waiting"]


def test_vciso_worker_once_runs_the_waiting_jobs(setup, monkeypatch, capsys) -> None:
    import json

    from advisor.cli import main

    settings, adv, queue, carol = setup
    job = submit_upload(settings, queue, carol, "acme", [("Encryption.md", GOOD)])
    monkeypatch.setenv("VCISO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    assert main(["worker", "--once", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "jobs": [{"id": job.id, "kind": "ingest", "client": "acme", "status": "succeeded", "error": None}]
    }
    assert [r.source for r in adv.sources("acme", user=carol)] == ["Encryption.md"]
