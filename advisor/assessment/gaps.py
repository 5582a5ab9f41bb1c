"""Gap analysis: where does one client stand against a framework?

For each requirement unit (see :mod:`advisor.assessment.frameworks`) the client's own documents are
searched (the library is never evidence), the support of the best passages is scored with the project's
SupportChecker, and audit findings that contradict the policy on the same topic are linked. The status:

- ``not_applicable``: the unit applies only to entities the client's documents never mention
  (e.g. health care clearinghouses, group health plans);
- ``partial`` when a finding contradicts supported policy text (a policy that requires MFA plus a finding
  that MFA is not enforced is not ``covered``), ``missing`` when a finding exists and no policy text does;
- otherwise by evidence strength: ``covered`` >= COVERED, ``partial`` >= PARTIAL, else ``missing``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from advisor.answering.sentences import split_sentences
from advisor.answering.support import SupportChecker, lexical_overlap
from advisor.assessment.evidence import ClientEvidence, citations
from advisor.assessment.findings import as_gap_json, extract_findings, is_finding_chunk, link
from advisor.assessment.frameworks import FRAMEWORKS, Requirement, requirements
from advisor.errors import NotFound
from advisor.models import Passage
from advisor.register.findings import Finding
from advisor.services import Services
from ingest.frameworks.registry import gap_sets

if TYPE_CHECKING:
    from advisor.access.users import User
    from advisor.service import Advisor

log = logging.getLogger(__name__)

STATUSES = ("covered", "partial", "missing", "not_applicable")
COVERED = 0.62  # evidence strength at or above which a requirement counts as covered
PARTIAL = 0.50  # ... as partially covered
# CSF subcategories are outcomes in abstract words ("personnel are provided with awareness and training")
# that policies rarely repeat; calibrated on the demo clients, the same evidence scores ~0.06 lower.
THRESHOLDS = {"csf-2.0": (0.56, 0.46)}
EVIDENCE_FLOOR = 0.40  # passages weaker than this are not cited as evidence
EVIDENCE_MAX = 3


@dataclass(frozen=True)
class GapItem:
    id: str
    title: str
    group: str
    group_title: str
    status: str
    confidence: float
    evidence: tuple[dict, ...]
    findings: tuple[dict, ...]
    strength: float = 0.0
    mapping: str = ""  # the official mapping through which evidence for other clauses counted here

    def as_contract(self) -> dict:
        out = {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "confidence": self.confidence,
            "evidence": list(self.evidence),
            "findings": list(self.findings),
            "group": self.group,
            "group_title": self.group_title,
            "strength": self.strength,
        }
        return {**out, "mapping": self.mapping} if self.mapping else out


@dataclass(frozen=True)
class GapReport:
    framework: str
    client: str
    items: tuple[GapItem, ...]
    summary: dict
    timings: dict = field(default_factory=dict)

    def as_contract(self) -> dict:
        """The `vciso gaps --json` shape."""
        return {
            "framework": self.framework,
            "items": [i.as_contract() for i in self.items],
            "summary": self.summary,
        }


# -- pure decisions --------------------------------------------------------------------------------
def strength(sentence: float, lexical: float) -> float:
    """Evidence strength in [0, 1]: the best cosine of a client sentence to the requirement claim, and the
    share of the claim's words found in the best passages."""
    return round(max(0.0, min(1.0, 0.6 * sentence + 0.4 * lexical)), 4)


def weigh(
    checker: SupportChecker, claims: Sequence[str], passages: Sequence[Passage]
) -> tuple[list[Passage], float]:
    """The passages worth citing (best first) and the evidence strength: the best, over the claims, of
    the closest client sentence's cosine combined with the share of the claim's words found."""
    sentences = [(i, s) for i, p in enumerate(passages) for s in split_sentences(p.text) if len(s) > 8]
    if not sentences:
        return [], 0.0
    sims = checker.vectors([s for _, s in sentences]) @ checker.vectors(list(claims)).T
    best_score, best_claim, per_passage = -1.0, 0, [0.0] * len(passages)
    for j, claim in enumerate(claims):
        col = sims[:, j]
        best_of: dict[int, float] = {}
        for (i, _), sim in zip(sentences, col):
            best_of[i] = max(best_of.get(i, -1.0), float(sim))
        near = sorted(best_of, key=lambda i: -best_of[i])[:EVIDENCE_MAX]
        lexical = lexical_overlap(claim, "\n".join(passages[i].text for i in near))
        score = strength(best_of[near[0]], lexical)
        if score > best_score:
            best_score, best_claim = score, j
    for (i, _), sim in zip(sentences, sims[:, best_claim]):
        per_passage[i] = max(per_passage[i], float(sim))
    order = sorted(range(len(passages)), key=lambda i: -per_passage[i])
    top = [passages[i] for i in order if per_passage[i] >= EVIDENCE_FLOOR][:EVIDENCE_MAX]
    return top, best_score


def decide_status(
    score: float,
    *,
    findings: int = 0,
    applicable: bool = True,
    cited_finding: bool = False,
    covered: float = COVERED,
    partial: float = PARTIAL,
) -> tuple[str, float]:
    """(status, confidence) for one requirement with evidence strength ``score``."""
    if not applicable:
        return "not_applicable", 0.7
    if findings:
        conf = 0.9 if cited_finding else 0.6
        return ("partial", conf) if score >= partial else ("missing", conf)
    if score >= covered:
        return "covered", round(min(0.95, 0.6 + (score - covered)), 2)
    if score >= partial:
        return "partial", 0.5
    return "missing", round(min(0.9, 0.5 + (partial - score)), 2)


def summarize(items: Sequence[GapItem], framework: str) -> dict:
    """Counts per status and coverage % by group and overall. Coverage = (covered + partial / 2) /
    applicable units."""

    def block(rows: Sequence[GapItem]) -> dict:
        counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
        applicable = len(rows) - counts["not_applicable"]
        pct = (
            round(100 * (counts["covered"] + 0.5 * counts["partial"]) / applicable, 1) if applicable else None
        )
        return {**counts, "total": len(rows), "coverage_pct": pct}

    groups: dict[str, list[GapItem]] = {}
    for it in items:
        groups.setdefault(it.group, []).append(it)
    label = gap_sets()[framework][1].group_by if framework in gap_sets() else "family"
    return {
        "framework_title": FRAMEWORKS.get(framework, framework),
        "group_by": label,
        "overall": block(items),
        "groups": [{"group": g, "title": rows[0].group_title, **block(rows)} for g, rows in groups.items()],
    }


# -- the analysis ----------------------------------------------------------------------------------
def analyze(
    adv: Advisor,
    client: str,
    framework: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    user: User,
) -> GapReport:
    """Gap analysis of ``client`` against ``framework`` (one of FRAMEWORKS), as ``user``."""
    from advisor.access.policy import Access

    Access.require_read(user, client)
    services = adv.services(user)
    adv.events.record("gap_run", user=user, client=client, obj=framework)
    return assess(services, client, framework, progress=progress)


def assess(
    services: Services, client: str, framework: str, *, progress: Callable[[int, int], None] | None = None
) -> GapReport:
    """The analysis itself, with the typed collaborators of one principal (see :func:`analyze`)."""
    checker = services.checker
    t0 = time.perf_counter()
    reqs = requirements(services.library().chunks, framework)
    evidence = ClientEvidence(services, client)
    if not evidence:
        raise NotFound(f"client {client!r} has no ingested documents")
    t1 = time.perf_counter()
    claims = [r.claim for r in reqs]
    qvec = checker.vectors(claims)
    found = evidence.search(
        [r.lexical_query for r in reqs], k=6, drop=is_finding_chunk, vectors=qvec, progress=progress
    )
    t2 = time.perf_counter()
    # the confirmed findings register when the client has one (closed findings no longer count as gaps)
    from advisor.register.drafting import confirmed_findings

    register = confirmed_findings(services, client, list(evidence.chunks), user=services.user)
    findings = extract_findings(evidence.chunks) if register is None else [f for f in register if f.is_open]
    sim = None
    if findings and checker.embeddings is not None:
        # finding x requirement: the best cosine of the finding's title or whole text to any of the claims
        fvec = checker.vectors([f.text for f in findings] + [f.title for f in findings])
        both = np.stack([(fvec @ checker.vectors(list(r.claims)).T).max(axis=1) for r in reqs], axis=1)
        sim = np.maximum(both[: len(findings)], both[len(findings) :])
    links = link(findings, [r.id for r in reqs], framework, sim)
    # warm the checker's cache in two batches: every claim, every sentence of the client's documents
    checker.vectors(list(dict.fromkeys(c for r in reqs for c in r.claims)))
    checker.vectors(
        list(dict.fromkeys(s for c in evidence.chunks for s in split_sentences(c.text) if len(s) > 8))
    )
    cuts = THRESHOLDS.get(framework, (COVERED, PARTIAL))
    items = [
        _assess(checker, evidence, r, passages, links.get(r.id, []), cuts) for r, passages in zip(reqs, found)
    ]
    t3 = time.perf_counter()
    summary = summarize(items, framework)
    summary.update(
        client=client, requirements=len(items), findings_found=len(findings), runtime_s=round(t3 - t0, 2)
    )
    timings = {"load_s": t1 - t0, "retrieval_s": t2 - t1, "scoring_s": t3 - t2, "total_s": t3 - t0}
    log.info("gaps %s for %s: %d units in %.1fs", framework, client, len(items), t3 - t0)
    return GapReport(framework=framework, client=client, items=tuple(items), summary=summary, timings=timings)


def _assess(
    checker: SupportChecker,
    evidence: ClientEvidence,
    req: Requirement,
    passages: list[Passage],
    linked: list[tuple[Finding, str]],
    cuts: tuple[float, float],
) -> GapItem:
    applicable = not req.applies_if or evidence.mentions(req.applies_if)
    top, score = weigh(checker, req.claims, passages)
    status, conf = decide_status(
        score,
        findings=len(linked),
        applicable=applicable,
        cited_finding=any(how == "citation" for _, how in linked),
        covered=cuts[0],
        partial=cuts[1],
    )
    cited = top if status in ("covered", "partial") and score >= cuts[1] else []
    return GapItem(
        id=req.id,
        title=req.title,
        group=req.group,
        group_title=req.group_title,
        status=status,
        confidence=conf,
        evidence=tuple(citations(checker, req.claim, cited)),
        findings=tuple(as_gap_json(f, linked_by=how) for f, how in linked),
        strength=score,
        mapping=req.mapping if cited else "",
    )
