"""Audit findings and risk-register rows read from a client's own chunks. Pure functions.

They produce the product's one :class:`~advisor.register.findings.Finding` (and the risk register's
:class:`~advisor.register.risks.Risk` for risk-register rows), each carrying the chunk it was read from.

Audit reports state each finding as "F-01 Title / Severity: High. HIPAA reference: 164.312(d) (...).
Owner: Name, Role. Due date: YYYY-MM-DD. Status: ... Observation: ... Recommendation: ..."; summary
tables as "F-05 Title Critical 164.314(a) Name 2026-04-30 Open". Risk registers are tables whose header
row names the columns ("Risk ID | Risk | ... | Score | Owner | Treatment | Target date | Status"), read by
:func:`advisor.register.risks.from_documents`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from advisor.register.findings import Finding, RegisterError, normalise_severity, normalise_status
from advisor.register.risks import Risk, from_documents
from advisor.register.supersede import supersede
from advisor.retrieval.identifiers import find_identifiers
from ingest.types import Chunk

_ID = r"[A-Z]{1,3}-\d{1,3}"
_HEAD = re.compile(rf"^({_ID})\s+(.+)$")
_SUMMARY = re.compile(
    rf"^({_ID})\s+(.+?)\s+(Critical|High|Medium|Low)\s+(\S+)\s+(.+?)\s+(\d{{4}}-\d{{2}}-\d{{2}})\s+(.+)$"
)


@dataclass(frozen=True)
class Parsed:
    """What a client's reports and risk registers state: findings and risks, most serious first."""

    findings: list[Finding]
    risks: list[Risk]


def framework_refs(text: str) -> tuple[dict, ...]:
    """``{"framework", "clause"}`` for every clause id the text names, in order, once each."""
    seen: dict[tuple[str, str], dict] = {}
    for i in find_identifiers(text):
        seen.setdefault((i.framework, i.section), {"framework": i.framework, "clause": i.section})
    return tuple(seen.values())


def status_of(text: str) -> str:
    """A report's status words as a register status; free text ("Open; vendor engaged") reads as open."""
    try:
        return normalise_status(text.split(".")[0].split(";")[0]) if text else "open"
    except RegisterError:
        low = text.lower()
        if re.search(r"\b(closed|remediated|resolved)\b", low):
            return "closed"
        return "in_progress" if "progress" in low else "open"


def severity_of(text: str) -> str:
    """A report's severity words as a register severity ("" when none is stated)."""
    try:
        return normalise_severity(text)
    except RegisterError:
        m = re.search(r"\b(critical|high|medium|moderate|low)\b", text or "", re.I)
        return normalise_severity(m.group(1)) if m else ""


def _field(pattern: str, text: str) -> str:
    m = re.search(pattern, text, re.S)
    return " ".join(m.group(1).split()).strip() if m else ""


def parse_detailed(chunk: Chunk) -> Finding | None:
    lines = [ln.strip() for ln in chunk.text.splitlines() if ln.strip()]
    if not lines:
        return None
    head = _HEAD.match(lines[0])
    body = " ".join(" ".join(lines[1:]).split())
    if not head or "Severity:" not in body or "Owner:" not in body:
        return None
    owner_text = _field(r"Owner:\s*(.+?)\.\s+(?:Due|Status|Observation)", body)
    meta_end = body.find("Observation:")
    meta = body[:meta_end] if meta_end > 0 else body
    reference = _field(r"[Rr]eference:\s*(.+?)\s+\(", body)
    return Finding(
        ref=head.group(1),
        title=head.group(2).strip(),
        severity=severity_of(_field(r"Severity:\s*(\w+)", body)),
        owner=owner_text.partition(",")[0].strip(),
        due=_field(r"Due date:\s*(\d{4}-\d{2}-\d{2})", body) or None,
        status=status_of(_field(r"Status:\s*(.+?)\.\s*(?:Observation|Recommendation|$)", body)),
        framework_refs=framework_refs(reference or meta),
        source=chunk.source,
        page=chunk.page,
        quote=f"{lines[0]} {meta}".strip(),
        client=chunk.client or "",
        reference=reference,
        observation=_field(r"Observation:\s*(.+?)\s*(?:Recommendation:|$)", body),
        recommendation=_field(r"Recommendation:\s*(.+)$", body),
        chunk=chunk,
    )


def parse_summary_rows(chunk: Chunk) -> list[Finding]:
    out = []
    for line in chunk.text.splitlines():
        m = _SUMMARY.match(line.strip())
        if m and not m.group(1).startswith("R-"):
            out.append(
                Finding(
                    ref=m.group(1),
                    title=m.group(2),
                    severity=severity_of(m.group(3)),
                    owner=m.group(5),
                    due=m.group(6),
                    status=status_of(m.group(7)),
                    framework_refs=framework_refs(m.group(4)),
                    source=chunk.source,
                    page=chunk.page,
                    quote=line.strip(),
                    client=chunk.client or "",
                    reference=m.group(4),
                    chunk=chunk,
                )
            )
    return out


def newer(a: Finding, b: Finding, dates: dict[str, str]) -> bool:
    """Is ``a`` read from a later report than ``b`` (a follow-up states the finding as it is now)?"""
    return dates.get(a.source, "") > dates.get(b.source, "")


def collect(chunks: Iterable[Chunk]) -> Parsed:
    """Findings from audit reports (detailed entries preferred over summary rows; of two reports stating
    the same id, the later one; a later report's supersession applied, so a finding it closes or does not
    restate is not open) and the rows of risk registers."""
    chunks = list(chunks)
    dates = report_dates(chunks)
    detailed: dict[str, Finding] = {}
    summary: dict[str, Finding] = {}
    registers: list[Chunk] = []
    stated: dict[str, set[str]] = {}

    def keep(table: dict[str, Finding], f: Finding) -> None:
        stated.setdefault(f.source, set()).add(f.ref)
        if f.ref not in table or newer(f, table[f.ref], dates):
            table[f.ref] = f

    for c in chunks:
        if c.doc_type == "audit_report":
            f = parse_detailed(c)
            if f:
                keep(detailed, f)
            for s in parse_summary_rows(c):
                keep(summary, s)
        elif c.doc_type == "risk_register":
            registers.append(c)
    merged = {
        **summary,
        **{k: f for k, f in detailed.items() if k not in summary or not newer(summary[k], f, dates)},
    }
    reports = [c for c in chunks if c.doc_type == "audit_report"]
    current = supersede(list(merged.values()), reports, dates, stated)
    return Parsed(sorted(current, key=lambda f: f.rank), rank_risks(from_documents(registers)))


_REPORT_DATE = re.compile(r"\b(?:Report date|Date of report|Issued)\W{0,3}(\d{4}-\d{2}-\d{2})", re.I)


def report_dates(chunks: Iterable[Chunk]) -> dict[str, str]:
    """source -> the date the report states it was issued ("Report date: 2026-03-16"), where it does."""
    out: dict[str, str] = {}
    for c in chunks:
        m = _REPORT_DATE.search(c.text) if c.doc_type == "audit_report" else None
        if m and c.source not in out:
            out[c.source] = m.group(1)
    return out


def rank_risks(risks: Iterable[Risk]) -> list[Risk]:
    return sorted(risks, key=lambda r: (-(r.score or 0), r.ref))


def matches(item: Finding | Risk, words: Iterable[str], clauses: Iterable[str] = ()) -> bool:
    """Does a finding or risk concern a slot: one of its words in the title (a risk's treatment too), or
    a clause the finding cites."""
    title = item.title if isinstance(item, Finding) else f"{item.title} {item.treatment_plan}"
    if any(re.search(rf"\b{re.escape(w)}", title.lower()) for w in words):
        return True
    if not isinstance(item, Finding):
        return False
    cited = [item.reference] if item.reference else [r["clause"] for r in item.framework_refs]
    return any(c == ref or c.startswith(ref + "(") for ref in cited for c in clauses)
