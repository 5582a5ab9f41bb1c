"""Findings proposed from a client's audit, assessment and pen-test reports (pure functions over chunks).

Three shapes are read, in order of preference for the same id:

- detailed numbered sections: a heading or first line "F-01 Title" (any id shape the drafting and
  assessment parsers know: "F-01", "L-03", "AC-7 ...", a heading containing "Finding") with
  "Severity: ...", "Owner: ...", "Due date: ..." fields in its text;
- summary rows: "F-05 Title Critical 164.314(a) Name 2026-04-30 Open";
- tables whose header row names the columns (" | "-separated: "ID | Finding | Severity | Owner | Due");
- discovery tables keyed by NIST SP 800-53 control (CISA's assessment reports: "Security Control Category |
  Assessment Discovery | Consequence/Risk | Recommendations"): the control id is the ref ("SI-4", a second
  discovery under the same control "SI-4 #2"), the discovery sentence the title; such reports rate no
  severity and name no owner or due date, so none is proposed.

Of two reports stating the same id, the later one's reading (its "Report date") is proposed; a later
report supersedes an earlier one's findings it lists as closed or does not restate
(:mod:`advisor.register.supersede`: such a finding is proposed closed, dated by the later report). Only
admissible chunks (the evidence rule) of report document types are read. Framework references are
the clause ids the finding's text names (advisor.retrieval.identifiers); their framework keys come from the
registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from advisor.answering.evidence_rule import admit_chunks
from advisor.assessment.findings import extract_findings
from advisor.drafting.findings import collect, framework_refs, report_dates, severity_of, status_of
from advisor.register.findings import SEVERITIES, Finding
from advisor.register.supersede import supersede
from advisor.retrieval.identifiers import find_identifiers
from ingest.types import Chunk

REPORT_TYPES = ("audit_report",)
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_COLUMNS = {
    "ref": ("id", "finding id", "ref", "reference", "#", "no.", "no"),
    "title": ("finding", "title", "issue", "observation", "vulnerability", "finding title"),
    "severity": ("severity", "risk rating", "rating", "risk", "priority"),
    "owner": ("owner", "responsible", "assigned to", "action owner"),
    "due": ("due", "due date", "target date", "deadline", "remediation date"),
    "status": ("status",),
}


def _column(header: list[str], name: str) -> int | None:
    for i, h in enumerate(header):
        if h in _COLUMNS[name]:
            return i
    return None


def table_rows(chunk: Chunk) -> list[Finding]:
    """Findings from " | " tables whose header names at least an id and a severity column."""
    out: list[Finding] = []
    cols: dict[str, int | None] | None = None
    for line in chunk.text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 3:
            cols = None if not line.strip() else cols
            continue
        header = [c.lower().rstrip(":") for c in cells]
        found = {k: _column(header, k) for k in _COLUMNS}
        if found["ref"] is not None and found["severity"] is not None and found["title"] is not None:
            cols = found
            continue
        if cols is None:
            continue

        def get(name: str, cols: dict = cols, cells: list = cells) -> str:
            i = cols.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        ref, sev = get("ref"), severity_of(get("severity"))
        if not ref or not re.search(r"\d", ref) or sev not in SEVERITIES:
            continue
        due = _DATE.search(get("due"))
        out.append(
            Finding(
                ref=ref,
                title=get("title"),
                severity=sev,
                owner=get("owner"),
                due=due.group(1) if due else None,
                status=status_of(get("status")),
                framework_refs=framework_refs(line),
                source=chunk.source,
                page=chunk.page,
                quote=" ".join(line.split()),
                client=chunk.client or "",
                chunk=chunk,
            )
        )
    return out


_DISCOVERY_HEADER = re.compile(r"\b(discovery|weakness)\b", re.I)


def discovery_rows(chunks: Iterable[Chunk]) -> list[Finding]:
    """Findings of discovery tables, in document order, one per distinct discovery (a table repeated later in
    the report, such as a feedback form listing the same discoveries, adds none)."""
    out: list[Finding] = []
    seen: dict[str, str] = {}  # discovery text (normalised) -> ref
    for chunk in chunks:
        in_table = False
        for line in chunk.text.splitlines():
            cells = [c.strip() for c in line.split("|")]
            if len(cells) < 3:
                continue
            if _DISCOVERY_HEADER.search(line) and "control" in line.lower():
                in_table = True
                continue
            controls = [i for i in find_identifiers(" ".join(cells[:3])) if i.framework == "nist-800-53"]
            if not in_table or not controls:
                continue
            start = next(k for k, c in enumerate(cells) if controls[0].raw in c)
            title = next((c for c in cells[start + 1 :] if c.endswith(".")), "")
            key = re.sub(r"\W+", " ", title.lower()).strip()[:60]
            if not title or key in seen:
                continue
            base = controls[0].section
            taken = sum(1 for r in seen.values() if r == base or r.startswith(base + " #"))
            ref = base if not taken else f"{base} #{taken + 1}"
            seen[key] = ref
            out.append(
                Finding(
                    ref=ref,
                    title=title,
                    framework_refs=({"framework": "nist-800-53", "clause": base},),
                    source=chunk.source,
                    page=chunk.page,
                    quote=" ".join(line.split())[:400],
                    client=chunk.client or "",
                    chunk=chunk,
                )
            )
    return out


def _score(f: Finding) -> int:
    """How complete a reading is; a cell boundary inside a field (a " | " table row read as a line of text,
    "164.312(d) | Priya Raman |") makes it a misreading, so the table's own reading wins."""
    fields = (f.severity, f.owner, f.due, f.title)
    return sum(bool(x) for x in fields) - 2 * sum("|" in x for x in fields if x)


def extract(chunks: Iterable[Chunk]) -> list[Finding]:
    """One proposal per finding id across the client's reports, the most complete reading of each."""
    reports = [c for c in admit_chunks(chunks) if c.doc_type in REPORT_TYPES]
    dates = report_dates(reports)
    best: dict[str, Finding] = {}
    stated: dict[str, set[str]] = {}

    def offer(f: Finding) -> None:
        """The later report's reading wins (a follow-up states the finding as it is now); of readings of
        the same report, the most complete."""
        if not f.ref:
            return
        stated.setdefault(f.source, set()).add(f.ref)
        if f.ref not in best:
            best[f.ref] = f
            return
        mine, theirs = dates.get(f.source, ""), dates.get(best[f.ref].source, "")
        if mine > theirs or (mine == theirs and _score(f) > _score(best[f.ref])):
            best[f.ref] = f

    for f in collect(reports).findings:
        offer(f)
    for f in extract_findings(reports):
        offer(f)
    for c in reports:
        for f in table_rows(c):
            offer(f)
    for f in discovery_rows(reports):
        offer(f)
    current = supersede(list(best.values()), reports, dates, stated)
    return sorted(current, key=lambda f: f.rank)


def extract_for_client(adv, client: str, *, user) -> list[Finding]:
    """Proposals from ``client``'s indexed reports, read as ``user`` (the core checks access)."""
    return extract(adv.tenant_index(client, user=user).chunks)
