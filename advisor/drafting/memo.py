"""Board memos: posture, top risks, compliance status, recommendations with costs, decisions asked.

Every statement of fact is either a client sentence quoted verbatim or a finding's own fields (id,
severity, owner, due date) cited to the audit report or risk register row that states them. Framework
clauses named by findings are cited from the library when it holds them.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from advisor.drafting import evidence
from advisor.drafting.document import Block, Draft, assemble
from advisor.drafting.findings import Parsed
from advisor.drafting.ledger import Ledger, clean
from advisor.drafting.policy import cite_item, decide, statement_lines
from advisor.drafting.rewrite import rewrite
from advisor.register.findings import Finding
from advisor.register.risks import Risk
from advisor.retrieval.identifiers import find_identifiers
from ingest.frameworks.registry import FRAMEWORKS

log = logging.getLogger(__name__)
TOP_FINDINGS = 6
TOP_RISKS = 3
ALL_CLIENT_TYPES = (
    "policy",
    "incident_plan",
    "vendor_list",
    "other",
    "audit_report",
    "risk_register",
    "minutes",
)
_MONEY = re.compile(r"[$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:EUR|USD|GBP)\b|\bbudget\b", re.I)
_STOP = {
    "what",
    "about",
    "with",
    "from",
    "that",
    "this",
    "have",
    "does",
    "should",
    "board",
    "memo",
    "their",
    "which",
}


def regulation_of(f: Finding) -> str:
    """The registry label of the framework a finding's reference names ("164.312(d)" -> "HIPAA",
    "PCI DSS 8.3.6" -> "PCI DSS"), or ""."""
    named = next((name for name, rx in evidence.OTHER_STANDARDS.items() if rx.search(f.reference)), "")
    if named:
        return named
    ids = find_identifiers(f.reference)
    return FRAMEWORKS[ids[0].framework].label if ids and ids[0].framework in FRAMEWORKS else ""


def topic_words(topic: str) -> list[str]:
    return [w.lower()[:6] for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", topic) if w.lower() not in _STOP]


def cell(text: str) -> str:
    return clean(text).replace("|", "/")


def about(item: Finding | Risk) -> str:
    """The words a topic is matched against."""
    extra = f"{item.reference} {item.observation}" if isinstance(item, Finding) else ""
    return f"{item.ref} {item.title} {extra}".lower()


def status_cell(item: Finding | Risk) -> str:
    from advisor.register.drafting import status_text

    if isinstance(item, Finding):
        return cell(status_text(item))
    return cell(item.status or item.treatment.title())


def posture(adv, client: str, found: Parsed, ledger: Ledger, used: set[str]) -> Block:
    block = Block("1. Security posture — bottom line", prose=True)
    stmts = evidence.client_statements(
        adv,
        client,
        "executive summary overall risk rated findings critical high",
        ["overall", "rated", "findings:", "we report", "critical finding"],
        limit=3,
        used=used,
        doc_types=("audit_report",),
        # An audit report's findings table is chunked one row per finding, and those rows (full of
        # "critical" and "high") fill the first few places; the executive summary with the overall rating
        # must still be reached.
        k=12,
    )
    block.lines += statement_lines(stmts, ledger)
    risks = [r for r in found.risks if r.is_open]
    if risks and risks[0].chunk is not None:
        r = risks[0]
        block.add(
            f"- The highest-scored risk in the risk register is {r.ref}, "
            f'"{clean(r.title)}" (score {r.score}, '
            f"owner {r.owner}) {cite_item(ledger, r)}."
        )
    if not block.lines:
        block.add(decide("the overall security posture: no audit report or risk register was found"))
    return block


def top_risks(ledger: Ledger, order: Parsed) -> Block:
    block = Block("2. Top risks")
    # Every open critical or high finding is named; the others fill the table up to TOP_FINDINGS.
    open_findings = [f for f in order.findings if f.is_open]
    severe = [f for f in open_findings if f.severity in ("critical", "high")]
    audit = severe + [f for f in open_findings if f not in severe][: max(0, TOP_FINDINGS - len(severe))]
    if audit:
        block.add("Open audit findings, most severe first:")
        block.add()
        block.add("| Finding | Severity | Owner | Due date | Status |")
        block.add("|---|---|---|---|---|")
        for f in audit:
            mark = cite_item(ledger, f)
            block.add(
                f"| {f.ref} {cell(f.title)} {mark} | {f.severity.title()} | {cell(f.owner)} | {f.due or ''} "
                f"| {status_cell(f)} |"
            )
        block.add()
    risks = [r for r in order.risks if r.is_open and r.chunk is not None][:TOP_RISKS]
    if risks:
        block.add("Highest-scored risks in the risk register:")
        block.add()
        block.add("| Risk | Score | Owner | Target date | Status |")
        block.add("|---|---|---|---|---|")
        for r in risks:
            block.add(
                f"| {r.ref} {cell(r.title)} {cite_item(ledger, r)} | {r.score} | {cell(r.owner)} | "
                f"{r.review_date or ''} | {status_cell(r)} |"
            )
    if not audit and not risks:
        block.add(decide("the top risks: no audit findings or risk register entries were found"))
    return block


def compliance(adv, client: str, found: Parsed, ledger: Ledger, used: set[str]) -> Block:
    block = Block("3. Compliance status")
    # Regulations the client's documents show it is subject to (not the frameworks that apply to everyone).
    names = [
        FRAMEWORKS[k].label for k in evidence.applicable_frameworks(adv, client) if FRAMEWORKS[k].applies
    ]
    names += [n for n in evidence.other_standards(adv, client) if n not in names]
    if not names:
        block.add(decide("which regulations and standards apply: the client's documents name none"))
        return block
    for name in names:
        stmts = evidence.client_statements(
            adv,
            client,
            f"{name} assessment compliance requirements scope",
            [name.lower()],
            limit=1,
            used=used,
            doc_types=ALL_CLIENT_TYPES,
        )
        against = [f for f in found.findings if regulation_of(f) == name]
        block.add(f"**{name}**")
        block.add()
        block.lines += statement_lines(stmts, ledger, context=True)
        if against:
            parts = []
            for f in against:
                req = evidence.requirement(adv, f.reference) if name not in evidence.OTHER_STANDARDS else None
                ref = f.reference
                if req is not None:
                    label = evidence.clause_label(req).split(" ", 1)[-1]
                    ref = f"{f.reference}, {label} {ledger.cite(req, evidence.requirement_quote(req))}"
                parts.append(f"{f.ref} ({ref}; {status_cell(f)}) {cite_item(ledger, f)}")
            block.add(f"- Findings against {name}: " + "; ".join(parts) + ".")
        elif not stmts:
            block.add(f"- {decide(f'the compliance status against {name}: the documents state none')}")
        block.add()
    return block


def recommendations(adv, client: str, order: Parsed, ledger: Ledger, used: set[str], topic: str) -> Block:
    block = Block("4. Recommendations")
    urgent = [f for f in order.findings if f.is_open and f.recommendation][:5]
    for f in urgent:
        block.add(
            f"- **{f.ref}** ({f.severity.title()}; owner {f.owner}; due {f.due}) "
            f"{cite_item(ledger, f)}: "
            f"{clean(f.recommendation)} {cite_item(ledger, f, 'Recommendation: ' + f.recommendation)}"
        )
    chunks, _ = evidence.client_chunks(adv, client)
    money = [
        u
        for c in chunks
        if c.doc_type in ALL_CLIENT_TYPES
        for u in evidence.units(c)
        if _MONEY.search(u.quote) and u.quote not in used
    ]
    if topic:
        words = topic_words(topic)
        money.sort(key=lambda u: -sum(w in u.quote.lower() for w in words))
    block.add()
    if money:
        block.add("Costs and budget stated in the documents:")
        block.lines += statement_lines(money[:4], ledger, context=True)
        used.update(u.quote for u in money[:4])
    else:
        block.add(decide("the cost of these recommendations: the documents give no figures"))
    return block


def accepted(r: Risk) -> bool:
    """Accepted in the document's status column, or (a register risk) by its treatment."""
    return r.status.lower().startswith("accept") if r.status else r.treatment == "accept"


def decisions(adv, client: str, order: Parsed, ledger: Ledger, used: set[str]) -> Block:
    block = Block("5. Decisions asked of the board")
    for f in [f for f in order.findings if f.is_open and f.severity in ("critical", "high")]:
        block.add(
            f"- Confirm the remediation plan for {f.ref} ({clean(f.title)}), owned by {f.owner} "
            f"and due {f.due} {cite_item(ledger, f)}."
        )
    for r in [r for r in order.risks if accepted(r) and r.chunk is not None]:
        block.add(
            f"- Ratify the acceptance of risk {r.ref} ({clean(r.title)}), owned by {r.owner} "
            f"{cite_item(ledger, r)}."
        )
    prior = evidence.client_statements(
        adv,
        client,
        "board resolution decisions approves management shall",
        ["resolution"],
        limit=3,
        used=used,
        doc_types=("minutes", "other"),
    )
    if prior:
        block.add()
        block.add("Earlier board decisions to follow up:")
        block.lines += statement_lines(prior, ledger)
    block.add()
    block.add(
        decide(
            "any further decision to put to the board, such as risk appetite, additional funding "
            "or risk acceptance"
        )
    )
    return block


def topic_block(adv, client: str, topic: str, ledger: Ledger, used: set[str]) -> Block:
    block = Block(f"Topic: {clean(topic)}", prose=True)
    stmts = evidence.client_statements(adv, client, topic, [], limit=4, used=used, doc_types=ALL_CLIENT_TYPES)
    block.lines += statement_lines(stmts, ledger, context=True)
    if not stmts:
        block.add(decide(f'what to tell the board about "{clean(topic)}": the documents do not address it'))
    return block


def draft_memo(adv, client: str, *, topic: str = "", user) -> Draft:
    """A board memo for ``client`` as ``user``, optionally focused on ``topic`` (findings on it come
    first)."""
    from advisor.access.policy import Access

    Access.require_read(user, client)
    adv = adv.services(user)  # the typed collaborators (advisor.services), bound to user
    chunks, found = evidence.client_chunks(adv, client)
    from advisor.register.drafting import with_register

    found = with_register(adv, client, found, chunks, user=user)  # confirmed register entries, when any
    order = found
    if topic:
        words = topic_words(topic)
        order = Parsed(
            sorted(found.findings, key=lambda f: (not any(w in about(f) for w in words), f.rank)),
            sorted(found.risks, key=lambda r: not any(w in about(r) for w in words)),
        )
    ledger = Ledger()
    used: set[str] = set()
    blocks = [
        Block(
            "",
            [
                f"*To: the Board of Directors · Client: {client} · Prepared by: "
                f"{decide('name and role of the presenter')} · generated {date.today().isoformat()} by vciso "
                f"({adv.engine}) · every [n] points to a source listed at the end.*"
            ],
        )
    ]
    if topic:
        blocks.append(topic_block(adv, client, topic, ledger, used))
    blocks += [
        posture(adv, client, found, ledger, used),
        top_risks(ledger, order),
        compliance(adv, client, found, ledger, used),
        recommendations(adv, client, order, ledger, used, topic),
        decisions(adv, client, order, ledger, used),
    ]
    notes, removed = rewrite(adv, blocks, ledger, kind="board memo", audience="executive")
    title = f"Board memo — {clean(topic) if topic else 'information security posture'} — {client}"
    text, citations = assemble(title, blocks, ledger)
    log.info("board memo for %s: %d citations", client, len(citations))
    return Draft(
        kind="memo",
        type="board-memo",
        client=client,
        title=title,
        text=text,
        citations=citations,
        backend=adv.engine,
        notes=(*notes, *adv.index(client).withheld),
        removed=tuple(removed),
    )
