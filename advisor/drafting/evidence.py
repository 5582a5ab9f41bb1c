"""Evidence for drafts: the client's own sentences for a slot, findings, and framework clauses.

Client sentences are used verbatim and cited to the chunk they come from, so a draft states the
client's rule exactly as the client wrote it. Library clauses are looked up by clause id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.answering.sentences import split_sentences
from advisor.drafting import findings as findings_mod
from advisor.drafting.ledger import clean
from advisor.models import Passage
from advisor.services import Services
from advisor.store.generations import GenerationCache
from ingest.frameworks.registry import FRAMEWORKS, shipped, unshipped
from ingest.types import Chunk

# Documents whose sentences state a client's rules; findings come from audit reports and risk registers.
RULE_DOC_TYPES = ("policy", "incident_plan", "vendor_list", "other")
FINDING_DOC_TYPES = ("audit_report", "risk_register")
MIN_SIMILARITY = 0.25
MAX_WORDS = 60  # longer "sentences" are run-together headings and tables
_BULLET = re.compile(r"^\s*[-*•–]\s+")
_LOST_REFERENT = re.compile(r"^(She|He|They|These|Those)\b")  # whom they name is lost out of context

# From the framework registry: each framework's name (labels a clause a draft cites), when it applies to a
# client (None: always; else when the client's own documents match), and the standards whose texts the
# library lacks (named by id only).
FRAMEWORK_LABELS = {f.id: f.name for f in FRAMEWORKS.values()}
_APPLIES = {f.id: f.applies_rx for f in shipped()}
OTHER_STANDARDS = {u.name: u.rx for u in unshipped()}


@dataclass(frozen=True)
class Statement:
    """A unit of client text: a sentence, or an introducing line with its bullet items."""

    text: str  # Markdown (may span lines for a list)
    quote: str  # one-line verbatim text
    chunk: Chunk


def units(chunk: Chunk) -> list[Statement]:
    """The chunk's statements: sentences, with "X is required for:" lines kept together with their items.
    The first line (the chunk's heading) and table rows are skipped."""
    lines = [ln.rstrip() for ln in chunk.text.splitlines() if ln.strip()]
    if lines and chunk.section and lines[0].strip() == chunk.section.split(" > ")[-1].strip():
        lines = lines[1:]
    out: list[Statement] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if "|" in line:
            i += 1
            continue
        if line.endswith(":") and i + 1 < len(lines) and _BULLET.match(lines[i + 1]):
            items = []
            i += 1
            while i < len(lines) and _BULLET.match(lines[i]):
                items.append(clean(_BULLET.sub("", lines[i])))
                i += 1
            text = clean(line) + "\n" + "\n".join(f"  - {it}" for it in items)
            out.append(Statement(text, clean(" ".join([line, *items])), chunk))
            continue
        for s in split_sentences(_BULLET.sub("", line)):
            s = clean(s)
            if (
                5 <= len(s.split()) <= MAX_WORDS
                and s[-1] in ".;)"
                and not _LOST_REFERENT.match(s)
                and not re.match(r"^[\d.]+\s+[A-Z][\w ]+$", s)
            ):
                out.append(Statement(s, s, chunk))
        i += 1
    return out


def has_word(text: str, words: Sequence[str]) -> bool:
    low = text.lower()
    return any(re.search(rf"(?<![\w-]){re.escape(w)}", low) for w in words)


def client_statements(
    services: Services,
    client: str,
    query: str,
    words: Sequence[str],
    *,
    limit: int = 3,
    used: set[str] | None = None,
    doc_types: Sequence[str] = RULE_DOC_TYPES,
    k: int = 4,
) -> list[Statement]:
    """The client's own sentences that state a rule for this slot, best first (at most ``limit``), from the
    ``k`` passages retrieved for ``query``."""
    if not query:
        return []
    opts = services.options(k=k, doc_types=tuple(doc_types))
    trace = services.retrieve(query, client, options=opts)
    candidates: list[tuple[int, Statement]] = []  # (position, statement)
    for p in trace.passages:
        if p.chunk.client != client or p.chunk.doc_type not in doc_types:
            continue
        for u in units(p.chunk):
            if (used is None or u.quote not in used) and (not words or has_word(u.quote, words)):
                candidates.append((len(candidates), u))
    if not candidates:
        return []
    sims = services.checker.similarity(query, [u.quote for _, u in candidates])
    scored = sorted(zip(sims, candidates), key=lambda t: (-float(t[0]), t[1][0]))
    floor = MIN_SIMILARITY if services.checker.embeddings is not None else -1.0
    picked = [c for s, c in scored if float(s) >= floor][:limit]
    if used is not None:
        used.update(u.quote for _, u in picked)
    return [u for _, u in sorted(picked, key=lambda c: c[0])]  # document order reads naturally


# ----------------------------------------------------------------------------- per-process cache
# Chunks come from the Advisor's cached tenant snapshot; only the findings parsed from them are kept here,
# keyed by the client's persisted generation (advisor.store.generations).
_findings: GenerationCache[findings_mod.Parsed] = GenerationCache()


def client_chunks(adv: Services, client: str) -> tuple[list[Chunk], findings_mod.Parsed]:
    chunks = adv.index(client).chunks
    return chunks, _findings.get(
        (str(adv.settings.data_dir), client),
        adv.generation(client),
        lambda: findings_mod.collect(c for c in chunks if c.doc_type in FINDING_DOC_TYPES),
    )


def applicable_frameworks(adv: Services, client: str) -> tuple[str, ...]:
    chunks, _ = client_chunks(adv, client)
    text = "\n".join(c.text for c in chunks)
    return tuple(k for k, rx in _APPLIES.items() if rx is None or rx.search(text))


def other_standards(adv: Services, client: str) -> tuple[str, ...]:
    chunks, _ = client_chunks(adv, client)
    text = "\n".join(c.text for c in chunks)
    return tuple(k for k, rx in OTHER_STANDARDS.items() if rx.search(text))


def requirement(adv: Services, clause: str) -> Chunk | None:
    """The library chunk of a clause id, e.g. "AC-2" or "164.314(a)" (then its first part)."""
    table = adv.library().by_section
    if clause in table:
        return table[clause][0]
    for section in sorted(table):
        if section.startswith(clause + "("):
            return table[section][0]
    return None


def clause_label(chunk: Chunk) -> str:
    title = (chunk.title or "").split("|")[-1].split("—")[-1].strip()
    return f"{chunk.section} {title}".strip()


def requirement_quote(chunk: Chunk) -> str:
    lines = [ln for ln in chunk.text.splitlines() if ln.strip()]
    body = " ".join(lines[1:]) if len(lines) > 1 else chunk.text
    return body


def framework_of(chunk: Chunk) -> str:
    return str(chunk.extra.get("framework", ""))


def passage(chunk: Chunk) -> Passage:
    return Passage(chunk, chunk.text, 1.0)
