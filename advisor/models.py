"""Values the core hands to the CLI, the UI and the evals. Data only: no HTML, no Markdown rendering."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from ingest.types import Chunk

if TYPE_CHECKING:  # the question's reading travels with its trace; models import nothing at run time
    from advisor.retrieval.question import Question

Audience = Literal["consultant", "executive"]
AUDIENCES: tuple[str, ...] = get_args(Audience)


@dataclass(frozen=True)
class Passage:
    """A retrieved piece of evidence: one chunk, possibly merged with its neighbours in the document."""

    chunk: Chunk
    text: str
    score: float
    dense: float = 0.0  # cosine similarity of the question to the chunk
    lexical: float = 0.0  # BM25 score (unnormalised)
    exact: bool = False  # matched a clause identifier named in the question
    merged_ids: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.chunk.id


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    source: str
    title: str | None
    page: int | None
    section: str | None
    client: str | None
    quote: str
    doc_type: str = "other"
    page_label: str | None = None  # the page number printed on the page ("29"); ``page`` is the PDF index
    ocr: bool = False  # the quoted text was read by OCR from a scanned page

    @classmethod
    def from_passage(cls, n: int, passage: Passage, quote: str) -> Citation:
        c = passage.chunk
        label = c.extra.get("page_label")
        return cls(
            n=n,
            chunk_id=c.id,
            source=c.source,
            title=c.title,
            page=c.page,
            section=c.section,
            client=c.client,
            quote=quote,
            doc_type=c.doc_type,
            page_label=str(label) if label is not None else None,
            ocr=bool(c.extra.get("ocr", False)),
        )

    @classmethod
    def from_contract(cls, d: dict[str, Any]) -> Citation:
        """A citation from its contract shape (audit log answers, gap evidence, questionnaire cites)."""
        label = d.get("page_label")
        return cls(
            n=int(d.get("n") or 0),
            chunk_id=str(d.get("chunk_id") or ""),
            source=str(d.get("source") or ""),
            title=d.get("title"),
            page=d.get("page"),
            section=d.get("section"),
            client=d.get("client"),
            quote=str(d.get("quote") or ""),
            page_label=str(label) if label is not None else None,
            ocr=bool(d.get("ocr", False)),
        )

    # The one citation formatter: every answer, draft, report, export and page writes places this way.
    def locator(self, sep: str = " · ") -> str:
        """'p. 3 · § 2.1 Access control' — the page and section, what exists of them. A printed page number
        that differs from the PDF's page index comes first ('p. 29 (PDF p. 35)'); OCR text is marked."""
        parts = []
        if self.page is not None:
            label = self.page_label
            parts.append(
                f"p. {label} (PDF p. {self.page})" if label and label != str(self.page) else f"p. {self.page}"
            )
        elif self.page_label:
            parts.append(f"p. {self.page_label}")
        if self.section:
            parts.append(f"§ {self.section}")
        if self.ocr:
            parts.append("OCR (scanned page)")
        return sep.join(parts)

    def heading(self) -> str:
        """'[1] Information_Security_Policy.pdf (Title) — p. 3 · § 4.2': a source list's line."""
        name = self.source if not self.title or self.title == self.source else f"{self.source} ({self.title})"
        where = self.locator()
        return f"[{self.n}] {name}" + (f" — {where}" if where else "")

    def place(self) -> str:
        """'Information_Security_Policy.pdf, p. 3, § 4.2': where the quote is, inside a sentence."""
        return ", ".join(x for x in (self.source, self.locator(", ")) if x)

    def as_contract(self) -> dict[str, Any]:
        """The citation shape of the `--json` contract (``page_label`` and ``ocr`` only when known/true)."""
        out: dict[str, Any] = {
            "n": self.n,
            "source": self.source,
            "title": self.title,
            "page": self.page,
            "section": self.section,
            "client": self.client,
            "quote": self.quote,
        }
        if self.page_label is not None:
            out["page_label"] = self.page_label
        if self.ocr:
            out["ocr"] = True
        return out


@dataclass(frozen=True)
class SentenceCheck:
    """Verification verdict for one sentence of an answer."""

    text: str
    cited: tuple[int, ...]
    supported: bool
    score: float
    reason: str = ""


@dataclass(frozen=True)
class RetrievalTrace:
    reading: Question  # the question as read once (advisor.retrieval.question.understand)
    passages: tuple[Passage, ...]
    searched: tuple[str, ...]  # what was searched, e.g. ("client meridian-health: 8 documents", "library")
    # Documents the evidence rule left out, with the reason (advisor.answering.evidence_rule).
    withheld: tuple[str, ...] = ()

    @property
    def question(self) -> str:
        """As asked."""
        return self.reading.asked or self.reading.text

    @property
    def rewritten(self) -> str:
        """As searched: a follow-up joined to the previous question."""
        return self.reading.text


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    audience: str
    backend: str
    client: str | None
    question: str
    trace: RetrievalTrace | None = None
    checks: tuple[SentenceCheck, ...] = ()
    removed: tuple[str, ...] = ()  # sentences verification dropped
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def latency_ms(self) -> float:
        return round(self.timings.get("total_ms", 0.0), 1)

    def as_contract(self) -> dict[str, Any]:
        """The `vciso ask --json` shape."""
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.as_contract() for c in self.citations],
            "backend": self.backend,
            "latency_ms": self.latency_ms,
        }

    def citation(self, n: int) -> Citation | None:
        return next((c for c in self.citations if c.n == n), None)


@dataclass(frozen=True)
class AnswerEvent:
    """Streaming: ``kind`` is 'token' (a piece of draft text), 'sentence' or 'final' (carrying the Answer)."""

    kind: Literal["token", "sentence", "final"]
    text: str = ""
    answer: Answer | None = None


@dataclass(frozen=True)
class StoreStatus:
    """What the store is and holds, in numbers only (health checks, the status page)."""

    store: str  # e.g. "chroma embedded at /data/chroma"
    engine: str  # the answer engine's name
    library_chunks: int
    client_collections: int


def to_dict(value: Any) -> dict[str, Any]:
    return asdict(value)
