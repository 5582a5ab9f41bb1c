"""The one evidence rule: which text may support an answer, a draft, a gap status or a questionnaire answer.

Every feature takes its evidence through this module — chat (:meth:`advisor.service.Advisor.retrieve`
screens the retrieval trace), drafting, gap analysis and questionnaires (:meth:`Advisor.tenant_index`
hands them an evidence-only snapshot), and every LLM prompt (:func:`require_admissible` in the prompt
builder refuses to render a flagged passage). Rule: a chunk marked at ingest as holding instructions to an
AI (``chunk.extra["injection"]``; the whole document is marked when any part of it is) is never evidence
and never reaches an LLM. The flag stays visible: what was withheld is reported (``withheld``) so that a
reviewer sees which document was left out and why.

Usage::

    kept = admit_passages(trace.passages)
    notes = withheld_notes(trace.passages)   # ["Note.md: flagged as instructions to an AI (...)"]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from advisor.errors import AdvisorError
from advisor.models import Passage, RetrievalTrace
from advisor.store.generations import GenerationCache
from ingest.types import Chunk

if TYPE_CHECKING:
    from advisor.retrieval.retriever import TenantIndex

FLAG_KEY = "injection"


class EvidenceRefused(AdvisorError):
    """Text that the evidence rule excludes was about to be used as evidence (e.g. sent to an LLM)."""


def flag(chunk: Chunk) -> str | None:
    """Why ``chunk`` is not evidence (the ingest-time injection finding), or None when it is admissible."""
    value = chunk.extra.get(FLAG_KEY)
    return str(value) if value else None


def admissible(chunk: Chunk) -> bool:
    return flag(chunk) is None


def admit_chunks(chunks: Iterable[Chunk]) -> list[Chunk]:
    return [c for c in chunks if admissible(c)]


def admit_passages(passages: Iterable[Passage]) -> list[Passage]:
    return [p for p in passages if admissible(p.chunk)]


def withheld_notes(items: Iterable[Passage | Chunk]) -> list[str]:
    """One line per withheld document: its name and the reason, for the reviewer (no repeats)."""
    notes: dict[str, str] = {}
    for item in items:
        chunk = item.chunk if isinstance(item, Passage) else item
        reason = flag(chunk)
        if reason and chunk.source not in notes:
            notes[chunk.source] = (
                f"{chunk.source}: not used as evidence — flagged as instructions to an AI ({reason})"
            )
    return list(notes.values())


def screen(trace: RetrievalTrace) -> RetrievalTrace:
    """The trace with flagged passages removed and listed in ``withheld``."""
    notes = withheld_notes(trace.passages)
    if not notes:
        return trace
    return replace(trace, passages=tuple(admit_passages(trace.passages)), withheld=tuple(notes))


def require_admissible(passages: Sequence[Passage]) -> None:
    """Raise :class:`EvidenceRefused` if any passage is flagged: the guard in front of every LLM prompt."""
    bad = [p for p in passages if not admissible(p.chunk)]
    if bad:
        raise EvidenceRefused(
            f"refused to send {len(bad)} flagged passage(s) to the language model "
            f"({', '.join(sorted({p.chunk.source for p in bad}))})"
        )


def require_admissible_chunk(chunk: Chunk) -> Chunk:
    if not admissible(chunk):
        raise EvidenceRefused(f"{chunk.source} is flagged as instructions to an AI and cannot be cited")
    return chunk


class EvidenceIndexes:
    """Evidence-only snapshots of tenant indexes, rebuilt only when the underlying snapshot changes.

    When no chunk of a tenant is flagged the snapshot itself is returned (no copy, no second BM25 build)."""

    def __init__(self) -> None:
        self._cache: GenerationCache[TenantIndex] = GenerationCache()

    def of(self, tenant: str | None, index: TenantIndex) -> TenantIndex:
        if all(admissible(c) for c in index.chunks):
            return index
        return self._cache.get(tenant, index, lambda: _evidence_only(index))


def _evidence_only(index: TenantIndex) -> TenantIndex:
    from advisor.retrieval.retriever import TenantIndex

    clean = TenantIndex(admit_chunks(index.chunks))
    clean.withheld = tuple(withheld_notes(index.chunks))
    return clean
