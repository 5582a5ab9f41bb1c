"""The state database's tables as SQLAlchemy 2 models (typed ``Mapped[...]``).

Conventions, so that one schema serves SQLite and PostgreSQL alike:

- Timestamps are fixed-width UTC ISO 8601 text (``2025-03-10T09:30:00.000000+00:00``, see :func:`utc_iso`),
  so text order is time order on both dialects and values round-trip unchanged.
- Structured values (citations, job parameters and results) are ``JSON``.
- Allowed values are CHECK constraints, named, so a migration can drop or replace them.
- A table's shape changes only through a new migration in ``advisor/db/migrations/versions`` (see the
  package docstring of :mod:`advisor.db`); ``tests/test_database.py`` fails when models and
  migrations disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ISO = String(40)
CLIENT = String(63)
USERNAME = String(64)


def utc_iso(value: datetime | None = None) -> str:
    """Fixed-width UTC ISO 8601 with microseconds (now when ``value`` is None)."""
    dt = value or datetime.now(UTC)
    dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class AuditRecordRow(Base):
    """One answered question (see :mod:`advisor.access.audit`)."""

    __tablename__ = "audit_records"
    __table_args__ = (
        CheckConstraint("feedback IN ('up', 'down')", name="audit_feedback_valid"),
        Index("audit_records_client_ts", "client", "ts"),
        Index("audit_records_user_ts", "username", "ts"),
        Index("audit_records_ts", "ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[str] = mapped_column(ISO)
    username: Mapped[str] = mapped_column(USERNAME)
    client: Mapped[str | None] = mapped_column(CLIENT)
    audience: Mapped[str] = mapped_column(String(32))
    engine: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    abstained: Mapped[bool] = mapped_column(Boolean)
    citations: Mapped[list[Any]] = mapped_column(JSON)
    latency_ms: Mapped[float] = mapped_column(Float)
    feedback: Mapped[str | None] = mapped_column(String(8))
    feedback_comment: Mapped[str] = mapped_column(Text, default="")


class UserRow(Base):
    """A local account (see :mod:`advisor.access.users`); its assigned clients are rows of
    ``user_clients``."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'consultant', 'executive')", name="users_role_valid"),
    )

    username: Mapped[str] = mapped_column(USERNAME, primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(ISO)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    assignments: Mapped[list[UserClientRow]] = relationship(
        cascade="all, delete-orphan", order_by="UserClientRow.client", lazy="selectin"
    )

    @property
    def clients(self) -> tuple[str, ...]:
        return tuple(sorted(a.client for a in self.assignments))


class UserClientRow(Base):
    """One client a user is assigned to."""

    __tablename__ = "user_clients"

    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), primary_key=True)
    client: Mapped[str] = mapped_column(CLIENT, primary_key=True)


class DraftRow(Base):
    """A drafted document (see :mod:`advisor.drafting.store`); its text lives in ``draft_versions``."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(CLIENT, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(USERNAME)
    created_at: Mapped[str] = mapped_column(ISO)


class DraftVersionRow(Base):
    """One version of a draft and its review. Approved versions are immutable (a trigger on both dialects)."""

    __tablename__ = "draft_versions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'in_review', 'approved', 'rejected')", name="draft_versions_status_valid"
        ),
    )

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(USERNAME)
    reviewer: Mapped[str | None] = mapped_column(USERNAME)
    comment: Mapped[str | None] = mapped_column(Text)
    ts: Mapped[str] = mapped_column(ISO)
    submitted_at: Mapped[str | None] = mapped_column(ISO)
    reviewed_at: Mapped[str | None] = mapped_column(ISO)


class JobRow(Base):
    """Long work run by a worker (see :mod:`advisor.jobs.queue`): an upload's ingest, and kinds added
    later."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name="jobs_status_valid"),
        Index("jobs_status_created", "status", "id"),
        Index("jobs_client_created", "client", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    client: Mapped[str | None] = mapped_column(CLIENT)
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(USERNAME)
    created_at: Mapped[str] = mapped_column(ISO)
    started_at: Mapped[str | None] = mapped_column(ISO)
    finished_at: Mapped[str | None] = mapped_column(ISO)
    heartbeat_at: Mapped[str | None] = mapped_column(ISO)
    worker: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    files: Mapped[list[JobFileRow]] = relationship(
        cascade="all, delete-orphan", order_by="JobFileRow.position", lazy="selectin"
    )


class JobFileRow(Base):
    """One file of a job with its own progress, so a page reload shows where the job stands."""

    __tablename__ = "job_files"
    __table_args__ = (
        CheckConstraint(
            "status IN ('waiting', 'running', 'added', 'updated', 'unchanged', 'failed')",
            name="job_files_status_valid",
        ),
    )

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    chunks: Mapped[int] = mapped_column(Integer, default=0)


class LegacyImportRow(Base):
    """A pre-database SQLite file (audit.sqlite3, users.sqlite3, drafts.sqlite3) already copied in."""

    __tablename__ = "legacy_imports"

    source: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[str] = mapped_column(ISO)


class ApiTokenRow(Base):
    """A personal API token (see :mod:`advisor.access.tokens`): only the SHA-256 of its text is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("api_tokens_user", "username"),)

    id: Mapped[str] = mapped_column(String(12), primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(ISO)
    expires_at: Mapped[str | None] = mapped_column(ISO)
    revoked_at: Mapped[str | None] = mapped_column(ISO)
    last_used_at: Mapped[str | None] = mapped_column(ISO)


class ApiCallRow(Base):
    """One call to the HTTP API (see :mod:`advisor.api.calls`): who, which route and client, the outcome."""

    __tablename__ = "api_calls"
    __table_args__ = (Index("api_calls_ts", "ts"), Index("api_calls_user_ts", "username", "ts"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[str] = mapped_column(ISO)
    username: Mapped[str] = mapped_column(USERNAME)
    token_id: Mapped[str | None] = mapped_column(String(12))
    method: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(200))
    client: Mapped[str | None] = mapped_column(CLIENT)
    status: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[float] = mapped_column(Float)


class FindingRow(Base):
    """A finding of the client's findings register (see :mod:`advisor.register.findings`).

    Extraction writes ``proposed`` rows; a consultant confirms (``confirmed``), rejects (``rejected``) or,
    for a proposal that updates a confirmed finding (``replaces``), merges it (``merged``). Only confirmed
    rows are the register. Every change is a row of ``finding_events``.
    """

    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint(
            "review IN ('proposed', 'confirmed', 'rejected', 'merged')", name="findings_review_valid"
        ),
        CheckConstraint(
            "status IN ('open', 'in_progress', 'closed', 'risk_accepted')", name="findings_status_valid"
        ),
        Index("findings_client_ref", "client", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(CLIENT)
    ref: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(Text)
    due: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16))
    review: Mapped[str] = mapped_column(String(16))
    framework_refs: Mapped[list[Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    replaces: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(ISO)
    updated_at: Mapped[str] = mapped_column(ISO)


class FindingEventRow(Base):
    """One change to a finding: proposed, confirmed, edited, rejected, merged, a status update with a note
    (a person's, dated ``ts``), or a status a report states (``reported``: dated by the report, ``dated``,
    with its ``citation``)."""

    __tablename__ = "finding_events"
    __table_args__ = (Index("finding_events_finding", "finding_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    ts: Mapped[str] = mapped_column(ISO)
    username: Mapped[str] = mapped_column(USERNAME)
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    dated: Mapped[str | None] = mapped_column(String(10))  # a document's date for the change; NULL: ts
    citation: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # source, page, quote of that document


class VendorReviewRow(Base):
    """A vendor review a consultant recorded without a document (see :mod:`advisor.register.vendor_reviews`):
    its date, who recorded it, the note and the outcome."""

    __tablename__ = "vendor_reviews"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('approved', 'conditional', 'rejected', 'noted')", name="vendor_reviews_outcome_valid"
        ),
        Index("vendor_reviews_client_vendor", "client", "vendor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(CLIENT)
    vendor: Mapped[str] = mapped_column(Text)
    review_date: Mapped[str] = mapped_column(String(10))
    reviewer: Mapped[str] = mapped_column(USERNAME)
    note: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(ISO)


class RiskRow(Base):
    """A risk of the client's risk register (see :mod:`advisor.register.risks`): likelihood x impact on the
    configured scale, inherent and residual; proposed from confirmed findings or the client's risk-register
    documents, confirmed and edited by people (``history`` keeps each change with its note)."""

    __tablename__ = "risks"
    __table_args__ = (
        CheckConstraint("review IN ('proposed', 'confirmed', 'rejected')", name="risks_review_valid"),
        CheckConstraint(
            "treatment IN ('', 'mitigate', 'accept', 'transfer', 'avoid')", name="risks_treatment_valid"
        ),
        Index("risks_client_ref", "client", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(CLIENT)
    ref: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[int | None] = mapped_column(Integer)
    impact: Mapped[int | None] = mapped_column(Integer)
    residual_likelihood: Mapped[int | None] = mapped_column(Integer)
    residual_impact: Mapped[int | None] = mapped_column(Integer)
    treatment: Mapped[str] = mapped_column(String(16))
    treatment_plan: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    review_date: Mapped[str | None] = mapped_column(String(10))
    review: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list[Any]] = mapped_column(JSON)
    clauses: Mapped[list[Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    history: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(ISO)
    updated_at: Mapped[str] = mapped_column(ISO)


class SecurityEventRow(Base):
    """One security event (see :mod:`advisor.access.security_log`): who, when, from where, on which client and
    object."""

    __tablename__ = "security_events"
    __table_args__ = (
        Index("security_events_ts", "ts"),
        Index("security_events_event_ts", "event", "ts"),
        Index("security_events_client_ts", "client", "ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[str] = mapped_column(ISO)
    event: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(100))
    client: Mapped[str | None] = mapped_column(CLIENT)
    object: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")


class SignInThrottleRow(Base):
    """Failed sign-ins of one account or one source (see :mod:`advisor.access.signin`), kept across page
    reloads."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[str] = mapped_column(ISO)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(ISO)
