"""Policy drafts: a template's sections and statement slots filled from the client's own documents.

For each slot the client's own sentences are used verbatim and cited; where the client is silent the
slot's ``[DECIDE: ...]`` placeholder is emitted instead of an invented rule. Audit findings and risks
that concern the slot are listed as known gaps (cited), and the framework clauses the slot satisfies
are cited from the built-in library, for the frameworks that apply to the client.
"""

from __future__ import annotations

import logging
from datetime import date

from advisor.drafting import evidence
from advisor.drafting.document import Block, Draft, assemble
from advisor.drafting.findings import Parsed, matches
from advisor.drafting.ledger import Ledger, clean
from advisor.drafting.rewrite import rewrite
from advisor.drafting.templates import PolicyTemplate, Slot, load_template
from advisor.register.findings import Finding
from advisor.register.risks import Risk

log = logging.getLogger(__name__)
TOP_RISKS = 3


def decide(text: str) -> str:
    return f"**[DECIDE: {text}]**"


def statement_lines(stmts: list[evidence.Statement], ledger: Ledger, *, context: bool = False) -> list[str]:
    """Bullets of verbatim client text, each cited; ``context`` names the document and section first, for
    text read out of its document (a tabletop scenario must not read like an incident)."""
    out = []
    for s in stmts:
        mark = ledger.cite(s.chunk, s.quote)
        first, *rest = s.text.split("\n")
        where = ""
        if context:
            section = (s.chunk.section or "").split(" > ")[-1]
            where = (
                f"*{clean(s.chunk.title or s.chunk.source)}"
                + (f", {clean(section)}" if section else "")
                + ":* "
            )
        out.append(f"- {where}{first} {mark}")
        out += [f"  {r}" for r in rest]
    return out


def cite_item(ledger: Ledger, item: Finding | Risk, quote: str = "") -> str:
    """The citation marker of a finding or risk: the passage it was read from, quoting ``quote`` (default:
    the item's own quote). Items without a passage (never produced by the parsers) get none."""
    return ledger.cite(item.chunk, quote or item.quote) if item.chunk is not None else ""


def finding_line(f: Finding | Risk, ledger: Ledger, *, with_recommendation: bool = True) -> list[str]:
    from advisor.register.drafting import status_text

    mark = cite_item(ledger, f)
    if isinstance(f, Risk):
        facts = ", ".join(
            x
            for x in (
                f"score {f.score}" if f.score is not None else "",
                f"owner {f.owner}" if f.owner else "",
                f"target date {f.review_date}" if f.review_date else "",
                f.status,
            )
            if x
        )
        line = f"- Risk {f.ref} ({facts}): {clean(f.title)} {mark}."
        treatment = ": ".join(x for x in (f.treatment.title(), f.treatment_plan) if x)
        if with_recommendation and treatment:
            line += f" Treatment: {clean(treatment).rstrip('.')} {mark}."
        return [line]
    facts = ", ".join(
        x
        for x in (
            f.severity.title(),
            f"owner {f.owner}" if f.owner else "",
            f"due {f.due}" if f.due else "",
            f"status {status_text(f)}",
        )
        if x
    )
    line = f"- Finding {f.ref} ({facts}): {clean(f.title)} {mark}."
    if with_recommendation and f.recommendation:
        cite = cite_item(ledger, f, "Recommendation: " + f.recommendation)
        line += f" Recommendation: {clean(f.recommendation)} {cite}"
    return [line]


def gaps_for(slot: Slot, found: Parsed, shown: set[str]) -> list[Finding | Risk]:
    picked: list[Finding | Risk]
    if slot.gaps == "top-risks":
        picked = list[Finding | Risk]([r for r in found.risks if r.is_open][:TOP_RISKS])
    else:
        words = slot.gaps or slot.match
        audit_ids = {f.ref for f in found.findings}
        # a risk that restates an audit finding is left out: the finding carries owner and due date
        picked = [f for f in found.findings if f.is_open and matches(f, words, slot.clauses)]
        picked += [
            r
            for r in found.risks
            if r.is_open and matches(r, words, slot.clauses) and not set(r.findings) & audit_ids
        ]
    picked = [f for f in picked if f.ref not in shown]
    shown.update(f.ref for f in picked)
    return picked


def clause_refs(slot: Slot, frameworks: tuple[str, ...], adv, ledger: Ledger) -> str:
    refs = []
    for clause in slot.clauses:
        chunk = evidence.requirement(adv, clause)
        if chunk is None or evidence.framework_of(chunk) not in frameworks:
            continue
        label = evidence.FRAMEWORK_LABELS.get(evidence.framework_of(chunk), chunk.source)
        refs.append(
            f"{label} {evidence.clause_label(chunk)} {ledger.cite(chunk, evidence.requirement_quote(chunk))}"
        )
    return "*Satisfies:* " + "; ".join(refs) if refs else ""


def section_block(adv, client: str, slot: Slot, heading: str, ledger: Ledger, used: set[str]) -> Block:
    block = Block(heading, prose=True)
    if slot.text:
        block.add(slot.text.replace("{client}", client))
        block.add()
    stmts = evidence.client_statements(adv, client, slot.query, slot.match, used=used)
    if stmts:
        block.add(f"From {client}'s documents:")
        block.lines += statement_lines(
            stmts, ledger, context=True
        )  # "This policy ..." names its own document
    elif slot.decide:
        block.add(decide(slot.decide))
    return block


def build_policy(adv, client: str, template: PolicyTemplate, *, user) -> tuple[list[Block], Ledger]:
    from advisor.register.drafting import with_register

    ledger = Ledger()
    used: set[str] = set()
    frameworks = evidence.applicable_frameworks(adv, client)
    chunks, found = evidence.client_chunks(adv, client)
    found = with_register(adv, client, found, chunks, user=user)  # confirmed register entries, when any
    s = template.sections
    statements: list[Block] = []
    shown: set[str] = set()
    for i, slot in enumerate(template.statements, start=1):
        block = Block(f"4.{i} {slot.title}", level=3)
        stmts = evidence.client_statements(adv, client, slot.query, slot.match, used=used)
        if stmts:
            block.lines += statement_lines(stmts, ledger)
        else:
            block.add(f"- {decide(slot.decide or slot.title)}")
        gaps = gaps_for(slot, found, shown)
        if gaps:
            block.add()
            block.add("*Known gaps (from audit findings and the risk register):*")
            for f in gaps:
                block.lines += finding_line(f, ledger)
        refs = clause_refs(slot, frameworks, adv, ledger)
        if refs:
            block.add()
            block.add(refs)
        statements.append(block)
    # statements first, so the specific rules are not taken by the general sections
    heads = [
        section_block(adv, client, s[key], title, ledger, used)
        for key, title in (
            ("purpose", "1. Purpose"),
            ("scope", "2. Scope"),
            ("roles", "3. Roles and responsibilities"),
        )
    ]
    tails = [
        section_block(adv, client, s[key], title, ledger, used)
        for key, title in (
            ("exceptions", "5. Exceptions"),
            ("enforcement", "6. Enforcement"),
            ("review", "7. Review cycle"),
        )
    ]
    return [*heads, Block("4. Policy statements"), *statements, *tails], ledger


def draft_policy(adv, client: str, policy_type: str, *, user) -> Draft:
    """Draft a policy of ``policy_type`` (see ``templates.POLICY_TYPES``) for ``client``, as ``user``."""
    from advisor.access.policy import Access

    Access.require_read(user, client)
    adv = adv.services(user)  # the typed collaborators (advisor.services), bound to user
    template = load_template(adv.settings.knowledge_base, policy_type)
    blocks, ledger = build_policy(adv, client, template, user=user)
    notes, removed = rewrite(adv, blocks, ledger, kind=f"{template.title.lower()}", audience="consultant")
    intro = Block(
        "",
        [
            f"*Client: {client} · generated {date.today().isoformat()} by vciso ({adv.engine}) · "
            "every [n] points to a source listed at the end; every [DECIDE: …] is a decision for a person.*"
        ],
    )
    title = f"{template.title} — {client}"
    text, citations = assemble(title, [intro, *blocks], ledger)
    log.info("policy draft %s for %s: %d citations", policy_type, client, len(citations))
    return Draft(
        kind="policy",
        type=policy_type,
        client=client,
        title=title,
        text=text,
        citations=citations,
        backend=adv.engine,
        notes=(*notes, *adv.index(client).withheld),
        removed=tuple(removed),
    )
