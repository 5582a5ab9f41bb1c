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
from advisor.drafting.findings import Finding, matches
from advisor.drafting.ledger import Ledger, clean
from advisor.drafting.rewrite import rewrite
from advisor.drafting.templates import PolicyTemplate, Slot, load_template

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


def finding_line(f: Finding, ledger: Ledger, *, with_recommendation: bool = True) -> list[str]:
    assert f.chunk is not None
    mark = ledger.cite(f.chunk, f.quote)
    if f.kind == "risk":
        facts = ", ".join(
            x
            for x in (
                f"score {f.score}" if f.score is not None else "",
                f"owner {f.owner}" if f.owner else "",
                f"target date {f.due}" if f.due else "",
                f.status,
            )
            if x
        )
        line = f"- Risk {f.id} ({facts}): {clean(f.title)} {mark}."
        if with_recommendation and f.recommendation:
            line += f" Treatment: {clean(f.recommendation).rstrip('.')} {mark}."
        return [line]
    facts = ", ".join(
        x
        for x in (
            f.severity,
            f"owner {f.owner}" if f.owner else "",
            f"due {f.due}" if f.due else "",
            f"status {f.status}" if f.status else "",
        )
        if x
    )
    line = f"- Finding {f.id} ({facts}): {clean(f.title)} {mark}."
    if with_recommendation and f.recommendation:
        cite = ledger.cite(f.chunk, "Recommendation: " + f.recommendation)
        line += f" Recommendation: {clean(f.recommendation)} {cite}"
    return [line]


def gaps_for(slot: Slot, found: list[Finding], shown: set[str]) -> list[Finding]:
    if slot.gaps == "top-risks":
        picked = [f for f in found if f.kind == "risk" and f.is_open][:TOP_RISKS]
    else:
        words = slot.gaps or slot.match
        audit_ids = {f.id for f in found if f.kind == "finding"}
        # a risk that restates an audit finding is left out: the finding carries owner and due date
        picked = [
            f
            for f in found
            if f.is_open
            and matches(f, words, slot.clauses)
            and (f.kind == "finding" or not set(f.related) & audit_ids)
        ]
    picked = [f for f in picked if f.id not in shown]
    shown.update(f.id for f in picked)
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


def build_policy(adv, client: str, template: PolicyTemplate) -> tuple[list[Block], Ledger]:
    ledger = Ledger()
    used: set[str] = set()
    frameworks = evidence.applicable_frameworks(adv, client)
    _, found = evidence.client_chunks(adv, client)
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
    from advisor.access.principal import acting_for

    Access.require_read(user, client)
    adv = acting_for(adv, user)
    template = load_template(adv.settings.knowledge_base, policy_type)
    blocks, ledger = build_policy(adv, client, template)
    notes, removed = rewrite(adv, blocks, ledger, kind=f"{template.title.lower()}", audience="consultant")
    intro = Block(
        "",
        [
            f"*Client: {client} · generated {date.today().isoformat()} by vciso ({adv.engine.name}) · "
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
        backend=adv.engine.name,
        notes=(*notes, *getattr(adv.tenant_index(client), "withheld", ())),
        removed=tuple(removed),
    )
