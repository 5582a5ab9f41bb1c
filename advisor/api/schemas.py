"""Request and response bodies of the HTTP API, in the shapes of the CLI's ``--json`` outputs
(``tests/contract/*.schema.json``). Response models allow extra fields, so a field the core adds to a
contract shape (e.g. a citation's ``page_label``) reaches API clients without a change here."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.models import Audience


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Turn(BaseModel):
    question: str = Field(max_length=4000)
    answer: str = Field(max_length=20000)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=4000, description="The question, in plain words")
    client: str | None = Field(None, description="Client id; null asks the built-in regulatory library only")
    audience: Audience = Field("consultant", description="consultant (precise) or executive (plain words)")
    history: list[Turn] = Field(
        default_factory=list,
        max_length=20,
        description="Earlier turns of the conversation, oldest first, for follow-ups",
    )
    trace: bool = Field(
        False, description="Also return the retrieved passages (ids and texts) and the ranking"
    )
    dense: bool = Field(True, description="Use dense (embedding) retrieval")
    lexical: bool = Field(True, description="Use lexical (BM25) retrieval")


class CitationOut(_Open):
    n: int
    source: str
    title: str | None
    page: int | None
    section: str | None
    client: str | None
    quote: str
    chunk_id: str


class PassageOut(BaseModel):
    id: str
    merged_ids: list[str]
    text: str
    client: str | None
    source: str


class AnswerOut(_Open):
    answer: str
    abstained: bool
    citations: list[CitationOut]
    backend: str
    latency_ms: float
    client: str | None
    audience: str
    audit_id: int | None = None
    passages: list[PassageOut] | None = Field(
        None, description="With trace=true: the passages the answer was built from"
    )
    ranked: list[str] | None = Field(
        None, description="With trace=true: chunk ids of a deeper retrieval, best first"
    )


class ClientsOut(BaseModel):
    clients: list[str]


class DocumentOut(_Open):
    source: str
    path: str
    doc_type: str
    title: str | None
    pages: int | None
    chunks: int
    ingested_at: str | None
    sha256: str


class SourcesOut(BaseModel):
    client: str
    documents: list[DocumentOut]


class ChunkOut(BaseModel):
    id: str
    source: str
    title: str | None
    page: int | None
    section: str | None
    framework: str | None = Field(None, description="Library chunks: the framework id, e.g. hipaa")
    client: str | None
    text: str


class ChunksOut(BaseModel):
    client: str | None
    chunks: list[ChunkOut]


class ProgressOut(BaseModel):
    done: int
    total: int
    current: str


class JobFileOut(BaseModel):
    name: str
    status: Literal["waiting", "running", "added", "updated", "unchanged", "failed"]
    error: str | None
    chunks: int


class JobOut(BaseModel):
    id: int
    kind: str = Field(description="ingest, gaps or questionnaire")
    client: str | None
    user: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: ProgressOut = Field(
        description="Files finished of the job's files (uploads), and the one running"
    )
    files: list[JobFileOut]
    result: dict[str, Any] | None = Field(
        None,
        description="When succeeded: the CLI's --json output of this work "
        "(ingest, gaps or questionnaire contract)",
    )
    error: str | None
    attempts: int
    download: str | None = Field(
        None, description="Path of the result file (a filled questionnaire), when there is one"
    )
    created_at: str
    started_at: str | None
    finished_at: str | None


class JobsOut(BaseModel):
    jobs: list[JobOut]


class RemovedOut(BaseModel):
    removed: list[str]
    chunks: int


class GapsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    framework: str = Field(description="csf-2.0, hipaa, 800-53-low, 800-53-moderate or gdpr")


class DraftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["policy", "memo"]
    type: str | None = Field(None, description="Policy type (kind=policy), e.g. access_control")
    topic: str = Field("", max_length=200, description="Focus of a board memo (kind=memo)")


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", max_length=4000, description="Required to reject: what to change")


class DraftOut(_Open):
    id: int
    kind: str
    status: str
    title: str
    text: str
    citations: list[dict[str, Any]]
    version: int


class DraftSummary(_Open):
    id: int
    kind: str
    status: str
    title: str
    version: int
    client: str


class DraftsOut(BaseModel):
    drafts: list[DraftSummary]


class AuditRecordOut(_Open):
    id: int
    ts: str
    user: str
    client: str | None
    question: str
    answer: str
    abstained: bool
    citations: list[dict[str, Any]]


class AuditOut(BaseModel):
    records: list[AuditRecordOut]


class CallOut(BaseModel):
    id: int
    ts: str
    user: str
    token: str | None
    method: str
    route: str
    client: str | None
    status: int
    duration_ms: float


class CallsOut(BaseModel):
    calls: list[CallOut]


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Ready(BaseModel):
    status: Literal["ready", "starting", "unavailable"]
    detail: str
    clients: int
