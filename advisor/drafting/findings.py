"""Audit findings and risk register entries, parsed from a client's own chunks. Pure functions.

Audit reports state each finding as "F-01 Title / Severity: High. HIPAA reference: 164.312(d) (...).
Owner: Name, Role. Due date: YYYY-MM-DD. Status: ... Observation: ... Recommendation: ..."; summary
tables as "F-05 Title Critical 164.314(a) Name 2026-04-30 Open". Risk registers are tables whose header
row names the columns ("Risk ID | Risk | ... | Score | Owner | Treatment | Target date | Status").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.types import Chunk

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
_ID = r"[A-Z]{1,3}-\d{1,3}"
_HEAD = re.compile(rf"^({_ID})\s+(.+)$")
_SUMMARY = re.compile(
    rf"^({_ID})\s+(.+?)\s+(Critical|High|Medium|Low)\s+(\S+)\s+(.+?)\s+(\d{{4}}-\d{{2}}-\d{{2}})\s+(.+)$"
)


@dataclass(frozen=True)
class Finding:
    """An audit finding (kind 'finding') or a risk register entry (kind 'risk')."""

    id: str
    kind: str
    title: str
    severity: str = ""
    owner: str = ""
    owner_role: str = ""
    due: str = ""
    status: str = ""
    reference: str = ""
    observation: str = ""
    recommendation: str = ""
    score: int | None = None
    related: tuple[str, ...] = ()  # finding ids a risk refers to, e.g. ("F-01",)
    chunk: Chunk | None = None
    quote: str = ""  # the source text stating id, severity/score, owner and due date

    @property
    def rank(self) -> tuple:
        if self.kind == "risk":
            return (1, -(self.score or 0), self.id)
        return (0, SEVERITY_ORDER.get(self.severity.lower(), 9), self.due or "9999", self.id)

    @property
    def is_open(self) -> bool:
        return not re.match(r"(closed|remediated)", self.status, re.I)

    def text(self) -> str:
        return f"{self.id} {self.title} {self.reference} {self.observation}".lower()


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
    owner, _, role = owner_text.partition(",")
    meta_end = body.find("Observation:")
    meta = body[:meta_end] if meta_end > 0 else body
    return Finding(
        id=head.group(1),
        kind="finding",
        title=head.group(2).strip(),
        severity=_field(r"Severity:\s*(\w+)", body),
        owner=owner.strip(),
        owner_role=role.strip(),
        due=_field(r"Due date:\s*(\d{4}-\d{2}-\d{2})", body),
        status=_field(r"Status:\s*(.+?)\.\s*(?:Observation|Recommendation|$)", body),
        reference=_field(r"[Rr]eference:\s*(.+?)\s+\(", body),
        observation=_field(r"Observation:\s*(.+?)\s*(?:Recommendation:|$)", body),
        recommendation=_field(r"Recommendation:\s*(.+)$", body),
        chunk=chunk,
        quote=f"{lines[0]} {meta}".strip(),
    )


def parse_summary_rows(chunk: Chunk) -> list[Finding]:
    out = []
    for line in chunk.text.splitlines():
        m = _SUMMARY.match(line.strip())
        if m and not m.group(1).startswith("R-"):
            out.append(
                Finding(
                    id=m.group(1),
                    kind="finding",
                    title=m.group(2),
                    severity=m.group(3),
                    reference=m.group(4),
                    owner=m.group(5),
                    due=m.group(6),
                    status=m.group(7),
                    chunk=chunk,
                    quote=line.strip(),
                )
            )
    return out


def parse_risk_rows(chunk: Chunk) -> list[Finding]:
    header: list[str] | None = None
    out = []
    for line in chunk.text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 4:
            continue
        if header is None or cells[0].lower() in ("risk id", "id"):
            if any(c.lower() in ("risk id", "id") for c in cells[:1]):
                header = [c.lower() for c in cells]
            continue
        if not re.fullmatch(r"R-\d{1,3}", cells[0]):
            continue
        row = dict(zip(header, cells))
        score = row.get("score", "")
        title = row.get("risk", "")
        out.append(
            Finding(
                id=cells[0],
                kind="risk",
                title=title,
                owner=row.get("owner", ""),
                due=row.get("target date", ""),
                status=row.get("status", ""),
                recommendation=row.get("treatment", ""),
                score=int(score) if score.isdigit() else None,
                related=tuple(re.findall(rf"\(({_ID})\)", title)),
                chunk=chunk,
                quote=line.strip(),
            )
        )
    return out


def collect(chunks: Iterable[Chunk]) -> list[Finding]:
    """Findings from audit reports (detailed entries preferred over summary rows) and register risks."""
    detailed: dict[str, Finding] = {}
    summary: dict[str, Finding] = {}
    risks: dict[str, Finding] = {}
    for c in chunks:
        if c.doc_type == "audit_report":
            f = parse_detailed(c)
            if f:
                detailed.setdefault(f.id, f)
            for s in parse_summary_rows(c):
                summary.setdefault(s.id, s)
        elif c.doc_type == "risk_register":
            for r in parse_risk_rows(c):
                risks.setdefault(r.id, r)
    merged = {**summary, **detailed}
    return sorted([*merged.values(), *risks.values()], key=lambda f: f.rank)


def matches(finding: Finding, words: Iterable[str], clauses: Iterable[str] = ()) -> bool:
    """Does the finding concern a slot: one of its words in the finding's title, or a cited clause."""
    title = f"{finding.title} {finding.recommendation if finding.kind == 'risk' else ''}".lower()
    if any(re.search(rf"\b{re.escape(w)}", title) for w in words):
        return True
    ref = finding.reference
    return bool(ref) and any(c == ref or c.startswith(ref + "(") for c in clauses)
