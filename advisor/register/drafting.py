"""The findings register as evidence for drafts: once a client has confirmed findings, memos and policies
use them (with people's status updates) instead of re-reading the reports.

Each confirmed finding is cited to the report chunk it was extracted from (its quote is that chunk's text);
a status or owner that people changed in the register is stated as the register's, with the date and note.
"""

from __future__ import annotations

from advisor.db import open_database
from advisor.drafting import findings as drafting_findings
from advisor.register.findings import Finding, FindingsRegister
from ingest.types import Chunk

STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "closed": "Closed",
    "risk_accepted": "Risk accepted",
}


def _source_chunk(f: Finding, chunks: list[Chunk]) -> Chunk | None:
    same_doc = [c for c in chunks if c.source == f.source]
    head = f.quote[:60]
    for pool in ([c for c in same_doc if c.page == f.page], same_doc):
        for c in pool:
            if head and head in " ".join(c.text.split()):
                return c
        for c in pool:
            if f.ref in c.text:
                return c
    return None


def status_text(f: Finding) -> str:
    """The register's status, with the latest update by a person ("Closed — 2026-05-02: BAA signed")."""
    label = STATUS_LABELS.get(f.status, f.status)
    change = next((h for h in reversed(f.history) if h["action"] in ("status", "edited", "updated")), None)
    if change is None:
        return label
    return f"{label} — register, {change['ts'][:10]}" + (f": {change['note']}" if change["note"] else "")


def as_drafting(f: Finding, chunk: Chunk) -> drafting_findings.Finding:
    reference = " ".join(r["clause"] for r in f.framework_refs)
    return drafting_findings.Finding(
        id=f.ref,
        kind="finding",
        title=f.title,
        severity=f.severity.title(),
        owner=f.owner,
        due=f.due or "",
        status=status_text(f),
        reference=reference,
        chunk=chunk,
        quote=f.quote,
    )


def with_register(
    adv, client: str, found: list[drafting_findings.Finding], chunks: list[Chunk], *, user
) -> list[drafting_findings.Finding]:
    """``found`` (parsed from the reports) with its audit findings replaced by the confirmed register entries
    when the client has any; risk-register rows are kept. Findings whose report is no longer indexed are
    left out (they cannot be cited)."""
    confirmed = FindingsRegister(open_database(adv.settings)).list(client, user=user, history=True)
    if not confirmed:
        return found
    kept = [f for f in found if f.kind != "finding"]
    for f in confirmed:
        chunk = _source_chunk(f, chunks)
        if chunk is not None:
            kept.append(as_drafting(f, chunk))
    return sorted(kept, key=lambda f: f.rank)
