"""The registers as evidence: once a client has confirmed findings (or risks), memos, policies and gap
analyses use them (with people's status updates) instead of re-reading the reports.

Each confirmed entry is linked back to the report chunk it was extracted from (its quote is that chunk's
text), so it stays citable; the report's own reference text, observation and recommendation are read
again from that chunk. Entries whose report is no longer indexed are left out (they cannot be cited). A
status or owner that people changed in the register is stated as the register's, with the date and note.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from advisor.db import open_database
from advisor.drafting.findings import Parsed, parse_detailed, parse_summary_rows, rank_risks
from advisor.register.findings import Finding, FindingsRegister
from advisor.register.risks import Risk, RiskRegister
from advisor.settings import Settings
from ingest.types import Chunk

STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "closed": "Closed",
    "risk_accepted": "Risk accepted",
}


def source_chunk(entry: Finding | Risk, chunks: list[Chunk]) -> Chunk | None:
    """The chunk of the entry's source document (same page first) that holds its quote, else its ref."""
    same_doc = [c for c in chunks if c.source == entry.source]
    head = entry.quote[:60]
    for pool in ([c for c in same_doc if c.page == entry.page], same_doc):
        for c in pool:
            if head and head in " ".join(c.text.split()):
                return c
        for c in pool:
            if entry.ref in c.text:
                return c
    return None


def status_text(f: Finding) -> str:
    """The status, with its latest change: a person's ("Closed — register, 2026-05-02: BAA signed") or one a
    report states ("Closed — HIPAA_Risk_Assessment_2026.pdf, 2026-03-16: ...")."""
    label = STATUS_LABELS.get(f.status, f.status)
    changes = [h for h in f.history if h["action"] in ("status", "edited", "updated", "reported")]
    if not changes:
        return label
    change = sorted(changes, key=lambda h: h.get("date") or h["ts"][:10])[-1]
    where = (change.get("citation") or {}).get("source") or "register"
    day = change.get("date") or change["ts"][:10]
    return f"{label} — {where}, {day}" + (f": {change['note']}" if change["note"] else "")


def _with_report_text(f: Finding) -> Finding:
    chunk = f.chunk
    if chunk is None:
        return f
    read = parse_detailed(chunk)
    if read is None or read.ref != f.ref:
        read = next((r for r in parse_summary_rows(chunk) if r.ref == f.ref), None)
    if read is None:
        return replace(f, chunk=chunk, reference=" ".join(r["clause"] for r in f.framework_refs))
    return replace(
        f,
        chunk=chunk,
        reference=read.reference or " ".join(r["clause"] for r in f.framework_refs),
        observation=read.observation,
        recommendation=read.recommendation,
    )


def linked_findings(findings: list[Finding], chunks: list[Chunk]) -> list[Finding]:
    """The findings whose source chunk is still indexed, each carrying it and the report's text."""
    out = []
    for f in findings:
        chunk = source_chunk(f, chunks)
        if chunk is not None:
            out.append(_with_report_text(replace(f, chunk=chunk)))
    return out


def linked_risks(risks: list[Risk], chunks: list[Chunk]) -> list[Risk]:
    """The risks whose source chunk is still indexed, each carrying it."""
    return [replace(r, chunk=c) for r in risks if (c := source_chunk(r, chunks)) is not None]


class Configured(Protocol):
    """Anything that carries the settings (the Advisor, a feature's Services): where the registers live."""

    @property
    def settings(self) -> Settings: ...


def confirmed_findings(adv: Configured, client: str, chunks: list[Chunk], *, user) -> list[Finding] | None:
    """The client's confirmed findings linked to their chunks (most severe first), or None when the
    register holds none for the client."""
    confirmed = FindingsRegister(open_database(adv.settings)).list(client, user=user, history=True)
    return linked_findings(confirmed, chunks) if confirmed else None


def with_register(adv: Configured, client: str, found: Parsed, chunks: list[Chunk], *, user) -> Parsed:
    """``found`` (parsed from the reports and risk registers) with its findings replaced by the confirmed
    findings register and its risks by the confirmed risk register, each when the client has any."""
    findings = confirmed_findings(adv, client, chunks, user=user)
    db = open_database(adv.settings)
    risks = RiskRegister(db, scale=adv.settings.risk_scale).list(client, user=user)
    return Parsed(
        found.findings if findings is None else findings,
        rank_risks(linked_risks(risks, chunks)) if risks else found.risks,
    )
