"""Audit findings in a client's documents, and which requirements they contradict.

Findings are the product's one :class:`~advisor.register.findings.Finding`. A finding is a titled item
of an audit report ("F-02 Laptops without full-disk encryption", "L-01 ...", or a heading containing
"Finding"). It is linked to a requirement in one of two ways:

- by citation: the finding names clause ids of the framework being assessed ("HIPAA reference:
  164.312(a)(2)(iv)"); it is then linked to that unit and the units below it (164.314(a) -> 164.314(a)(1),
  164.314(a)(2)(i)) and nowhere else;
- by topic, when it cites nothing in this framework: each finding goes to the one or two requirements
  most similar in meaning (cosine of the finding's title or text to the requirement's claims), above a
  floor and close to its best match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from advisor.drafting.findings import severity_of, status_of
from advisor.register.findings import Finding
from advisor.retrieval.identifiers import find_identifiers
from ingest.frameworks.registry import gap_sets
from ingest.types import Chunk

_FINDING_HEAD = re.compile(r"^([A-Z]{1,4}-\d{1,3})\s+(.+)$")
_SEVERITY = re.compile(r"\bSeverity:\s*(Critical|High|Medium|Low)\b", re.I)
_OBSERVATION = re.compile(r"Observation:\s*(.+?)(?:\s*Recommendation:|$)", re.S)
_OWNER = re.compile(r"Owner:\s*(.+?)(?:,|\.\s)")
_DUE = re.compile(r"(?:Due date|Due|Target date):\s*(\d{4}-\d{2}-\d{2})")
_STATUS = re.compile(r"Status:\s*([A-Za-z ]+?)\.")
TOPIC_FLOOR = 0.42  # cosine of finding to requirement below which a topical link is not made
TOPIC_PER_FINDING = 2  # a finding contradicts at most this many requirements by topic ...
TOPIC_MARGIN = 0.06  # ... each within this much of its best match


def as_gap_json(f: Finding, *, linked_by: str = "citation") -> dict:
    """A finding as a gap item lists it (the `gaps --json` shape)."""
    c = f.chunk
    return {
        "id": f.ref,
        "title": f.title,
        "severity": f.severity.title(),
        "clauses": [r["clause"] for r in f.framework_refs],
        "linked_by": linked_by,
        "source": c.source if c else f.source,
        "page": c.page if c else f.page,
        "section": c.section if c else None,
        "client": c.client if c else f.client,
        "quote": re.sub(r"\s+", " ", f.observation or f.quote)[:400],
    }


def _heading(section: str | None) -> str:
    return (section or "").split(" > ")[-1].strip()


def is_finding_chunk(chunk: Chunk) -> bool:
    """A chunk of an audit report that reports a finding (its heading starts with a finding id)."""
    return chunk.doc_type == "audit_report" and bool(_FINDING_HEAD.match(_heading(chunk.section)))


def extract_findings(chunks: Sequence[Chunk]) -> list[Finding]:
    """Findings from audit-report chunks; one per id, from its longest (detailed) chunk."""
    best: dict[str, Chunk] = {}
    titles: dict[str, str] = {}
    for c in chunks:
        if c.doc_type != "audit_report":
            continue
        head = _heading(c.section)
        m = _FINDING_HEAD.match(head)
        if m:
            fid, title = m.group(1), m.group(2)
        elif re.search(r"\bfinding\b", head, re.I) and not re.search(r"summary|findings$", head, re.I):
            fid, title = head[:40], head
        else:
            continue
        if fid not in best or len(c.text) > len(best[fid].text):
            best[fid] = c
            titles[fid] = title
    out = []
    for fid, c in best.items():
        sev = _SEVERITY.search(c.text)
        obs = _OBSERVATION.search(c.text)
        observation = (obs.group(1) if obs else c.text)[:700]
        text = " ".join(c.text.split())
        owner, due, status = _OWNER.search(text), _DUE.search(text), _STATUS.search(text)
        refs = {(i.framework, i.section): None for i in find_identifiers(c.text)}
        out.append(
            Finding(
                ref=fid,
                title=_clean_title(titles[fid]),
                severity=severity_of(sev.group(1)) if sev else "",
                owner=owner.group(1).strip() if owner else "",
                due=due.group(1) if due else None,
                status=status_of(status.group(1) if status else ""),
                framework_refs=tuple({"framework": fw, "clause": cl} for fw, cl in refs),
                source=c.source,
                page=c.page,
                quote=text[:400],
                client=c.client or "",
                observation=re.sub(r"\s+", " ", observation).strip(),
                chunk=c,
            )
        )
    return sorted(out, key=lambda f: f.ref)


def _clean_title(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip()


def cites_unit(cited: str, unit: str) -> bool:
    """Does a finding citing ``cited`` concern ``unit``? Same clause, a sub-part of it, or ``unit`` is its
    standard when the finding cites an implementation specification's parent paragraph."""
    if unit == cited or unit.startswith(cited + "("):
        return True
    return False


def framework_key(framework: str) -> str:
    """The registry framework id of a gap-analysis set ("800-53-low" -> "nist-800-53")."""
    sets = gap_sets()
    return sets[framework][0].id if framework in sets else framework


def link(
    findings: Sequence[Finding],
    requirement_ids: Sequence[str],
    framework: str,
    similarity: np.ndarray | None = None,
) -> dict[str, list[tuple[Finding, str]]]:
    """requirement id -> [(finding, 'citation' | 'topic')]. ``similarity`` is a findings x requirements
    cosine matrix (only needed for findings that cite no clause of this framework)."""
    key = framework_key(framework)
    out: dict[str, list[tuple[Finding, str]]] = {}
    for i, f in enumerate(findings):
        cited = [r["clause"] for r in f.framework_refs if r["framework"] == key]
        if cited:
            for rid in requirement_ids:
                if any(cites_unit(c, rid) for c in cited):
                    out.setdefault(rid, []).append((f, "citation"))
            continue
        if similarity is None or not len(requirement_ids):
            continue
        row = similarity[i]
        best = float(row.max())
        for j in np.argsort(-row)[:TOPIC_PER_FINDING]:
            if row[j] >= TOPIC_FLOOR and row[j] >= best - TOPIC_MARGIN:
                out.setdefault(requirement_ids[int(j)], []).append((f, "topic"))
    return out
