"""Audit log: roundtrip, filters, feedback, and no question text in logs above DEBUG."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, date, datetime

import pytest

from advisor.access.audit import AuditError, AuditLog, AuditRecord
from advisor.db import Database
from advisor.errors import AccessDenied, NotFound
from advisor.models import Answer, Citation

SECRET_QUESTION = "Does Meridian's backup policy zz-unique-question-marker cover the EHR?"


def make_citation(n: int = 1, client: str | None = "meridian-health") -> Citation:
    return Citation(
        n=n,
        chunk_id=f"chunk-{n}",
        source="backup-policy.pdf",
        title="Backup Policy",
        page=3,
        section="4 Backups > 4.2 Retention",
        client=client,
        quote="Backups are retained for 35 days.",
        doc_type="policy",
    )


def make_answer(
    client: str | None = "meridian-health",
    *,
    question: str = "How long are backups kept?",
    citations: tuple[Citation, ...] | None = None,
    abstained: bool = False,
) -> Answer:
    cites = (make_citation(1, client),) if citations is None else citations
    return Answer(
        text="Backups are retained for 35 days [1].",
        citations=cites,
        abstained=abstained,
        audience="consultant",
        backend="extractive",
        client=client,
        question=question,
        timings={"total_ms": 123.456},
    )


class Clock:
    """A settable clock for deterministic timestamps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 10, 9, 30, tzinfo=UTC))


@pytest.fixture
def audit(database, clock) -> AuditLog:
    return AuditLog(database, clock=clock)


def test_record_roundtrip_with_citations(audit: AuditLog) -> None:
    cites = (make_citation(1), make_citation(2, None))
    rid = audit.record(make_answer(citations=cites), user="alice")
    rec = audit.get(rid)
    assert isinstance(rec, AuditRecord)
    assert rec.id == rid
    assert rec.ts == "2025-03-10T09:30:00.000000+00:00"
    assert (rec.user, rec.client, rec.audience, rec.engine) == (
        "alice",
        "meridian-health",
        "consultant",
        "extractive",
    )
    assert rec.question == "How long are backups kept?"
    assert rec.answer == "Backups are retained for 35 days [1]."
    assert rec.abstained is False
    assert rec.latency_ms == 123.5
    assert rec.feedback is None and rec.feedback_comment == ""
    assert rec.citations == (
        {
            "n": 1,
            "source": "backup-policy.pdf",
            "title": "Backup Policy",
            "page": 3,
            "section": "4 Backups > 4.2 Retention",
            "client": "meridian-health",
            "quote": "Backups are retained for 35 days.",
        },
        {
            "n": 2,
            "source": "backup-policy.pdf",
            "title": "Backup Policy",
            "page": 3,
            "section": "4 Backups > 4.2 Retention",
            "client": None,
            "quote": "Backups are retained for 35 days.",
        },
    )
    data = rec.as_json()
    assert json.loads(json.dumps(data)) == data
    assert data["citations"][0]["n"] == 1 and data["client"] == "meridian-health"


def test_abstained_answer_without_citations(audit: AuditLog) -> None:
    rid = audit.record(make_answer(citations=(), abstained=True), user="alice")
    rec = audit.get(rid)
    assert rec.abstained is True
    assert rec.citations == ()


def test_library_question_has_null_client(audit: AuditLog) -> None:
    rid = audit.record(make_answer(client=None), user="alice")
    assert audit.get(rid).client is None


def test_get_unknown_raises_not_found(audit: AuditLog) -> None:
    with pytest.raises(NotFound):
        audit.get(999)


def test_record_requires_user(audit: AuditLog) -> None:
    with pytest.raises(AuditError):
        audit.record(make_answer(), user="")


def test_list_filters_by_client_user_and_date(audit: AuditLog, clock: Clock) -> None:
    clock.now = datetime(2025, 3, 1, 23, 59, 59, tzinfo=UTC)
    r1 = audit.record(make_answer("meridian-health"), user="alice")
    clock.now = datetime(2025, 3, 2, 0, 0, 0, tzinfo=UTC)
    r2 = audit.record(make_answer("acme-corp"), user="alice")
    clock.now = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    r3 = audit.record(make_answer("meridian-health"), user="bob")
    clock.now = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)
    r4 = audit.record(make_answer("acme-corp"), user="bob")

    assert [r.id for r in audit.list()] == [r4, r3, r2, r1]  # newest first
    assert [r.id for r in audit.list(client="meridian-health")] == [r3, r1]
    assert {r.client for r in audit.list(client="acme-corp")} == {"acme-corp"}
    assert [r.id for r in audit.list(user="alice")] == [r2, r1]
    assert [r.id for r in audit.list(client="acme-corp", user="bob")] == [r4]
    # both ends inclusive, whole UTC days
    assert [r.id for r in audit.list(since=date(2025, 3, 2))] == [r4, r3, r2]
    assert [r.id for r in audit.list(until=date(2025, 3, 1))] == [r1]
    assert [r.id for r in audit.list(since=date(2025, 3, 2), until=date(2025, 3, 3))] == [r3, r2]
    assert audit.list(since=date(2025, 3, 6)) == []
    assert [r.id for r in audit.list(limit=2)] == [r4, r3]
    # restrict to a set of clients (what a consultant may read)
    assert [r.id for r in audit.list(clients=["acme-corp"])] == [r4, r2]
    assert audit.list(clients=[]) == []


def test_list_same_timestamp_orders_by_id(audit: AuditLog) -> None:
    ids = [audit.record(make_answer(), user="alice") for _ in range(3)]
    assert [r.id for r in audit.list()] == ids[::-1]


def test_feedback_stored(audit: AuditLog) -> None:
    rid = audit.record(make_answer(), user="alice")
    updated = audit.set_feedback(rid, "down", "  cited the wrong page  ", user="alice")
    assert updated.feedback == "down"
    assert updated.feedback_comment == "cited the wrong page"
    rec = audit.get(rid)
    assert (rec.feedback, rec.feedback_comment) == ("down", "cited the wrong page")
    audit.set_feedback(rid, "up", "", user="alice")
    assert audit.get(rid).feedback == "up"
    assert audit.get(rid).feedback_comment == ""


def test_feedback_validation(audit: AuditLog) -> None:
    rid = audit.record(make_answer(), user="alice")
    with pytest.raises(AuditError):
        audit.set_feedback(rid, "meh", "", user="alice")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        audit.set_feedback(rid + 1, "up", "", user="alice")
    with pytest.raises(AccessDenied):
        audit.set_feedback(rid, "up", "", user="mallory")
    assert audit.get(rid).feedback is None


def test_question_never_logged_at_info(audit: AuditLog, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="advisor.access.audit")
    rid = audit.record(make_answer(question=SECRET_QUESTION), user="alice")
    audit.set_feedback(rid, "up", "great", user="alice")
    audit.list(client="meridian-health")
    audit.get(rid)
    info = [r for r in caplog.records if r.levelno > logging.DEBUG]
    assert info, "record() should log the id at INFO"
    assert any(str(rid) in r.getMessage() for r in info)
    for r in info:
        assert "zz-unique-question-marker" not in r.getMessage()
        assert "Backups are retained" not in r.getMessage()
    assert audit.get(rid).question == SECRET_QUESTION  # stored, just not logged


def test_persists_across_instances_and_threads(database_url: str) -> None:
    log = AuditLog(Database(database_url))
    errors: list[BaseException] = []

    def worker(user: str) -> None:
        try:
            for _ in range(10):
                log.record(make_answer(), user=user)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"user{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    again = AuditLog(Database(database_url))  # another engine, as another process would have
    assert again.count() == 40
    assert len(again.list(user="user2")) == 10
