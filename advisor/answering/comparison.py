"""Answers to "does our X meet requirement Y?": the client's fact, the requirement, and vciso's comparison.

Retrieval runs twice, once per side: the client side (the question without the requirement it names)
in the client's own documents, the library side (the requirement with the topic) in the library. The
answer states the client's fact with its citation, the requirement with its clause citation, and —
when both name comparable quantities (durations, lengths, counts, frequencies) — a comparison sentence
computed by :mod:`advisor.answering.quantities`, marked as vciso's and checked again by verification.
When one side is silent the answer says so plainly.

A rule asked in general words with a client selected ("How quickly must a breach be reported?") gets
both sides without a comparison: the client's answer from its documents, then what the rule says
(:func:`compose_with_rule`).
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.answering.extractive import Candidate, clause_statement, compose, rank_sentences, redundant
from advisor.answering.quantities import compare_texts, quantities
from advisor.answering.sentences import cited
from advisor.answering.support import SupportChecker
from advisor.models import Passage
from advisor.retrieval.question import Question
from ingest.frameworks.registry import FRAMEWORKS

SIDE_K = 4  # passages kept per side


def gather(retrieve, q: Question, client: str) -> tuple[list[Passage], list[Passage]]:
    """(client passages, library passages), each retrieved for its own sub-question by
    ``retrieve(question, tenant)`` (tenant: the client, or None for the library alone)."""
    client_q, library_q = q.sides
    mine = retrieve(client_q, client).passages
    theirs = retrieve(library_q, None).passages
    client_side = [p for p in mine if p.chunk.client == client][:SIDE_K]
    library_side = [p for p in theirs if p.chunk.client is None][:SIDE_K]
    return client_side, library_side


def rule_name(p: Passage) -> str:
    c = p.chunk
    short = next((f.label for f in FRAMEWORKS.values() if f.name == c.source), c.source)  # registry label
    return f"{short} {c.section}".strip() if c.section else short


def _best(
    question: Question, passages: Sequence[Passage], offset: int, checker: SupportChecker, n: int = 3
) -> list[Candidate]:
    ranked = rank_sentences(question, passages, checker)
    return [Candidate(c.text, c.passage + offset, c.score) for c in ranked[:n]]


def compose_comparison(
    q: Question,
    client_passages: Sequence[Passage],
    library_passages: Sequence[Passage],
    audience: str,
    checker: SupportChecker,
) -> str:
    """The answer text with [n] markers over ``[*client_passages, *library_passages]``."""
    passages = [*client_passages, *library_passages]
    offset = len(client_passages)
    client_q, library_q = q.sides
    mine = _best(client_q, client_passages, 0, checker) if client_passages else []
    if library_passages and library_passages[0].exact:
        statement = clause_statement(library_passages[0])
        theirs = [Candidate(statement, offset, 1.0)] if statement else []
        theirs += _best(library_q, library_passages, offset, checker)
    else:
        theirs = _best(library_q, library_passages, offset, checker) if library_passages else []
    pair: tuple[Candidate | None, Candidate | None] | None = None
    sentence = ""
    for c in mine:
        for r in theirs:
            sentence = compare_texts(c.text, r.text, rule_name(passages[r.passage]))
            if sentence:
                pair = (c, r)
                break
        if pair:
            break
    if pair is None:  # no comparable pair: the best sentence of each side, preferring ones with quantities
        pair = (_with_quantity(mine), _with_quantity(theirs))
    client_c, rule_c = pair

    def cite(c: Candidate, label: str = "") -> str:
        return cited(label + c.text, [c.passage + 1])

    lines: list[str] = []
    if sentence and client_c and rule_c:
        lines.append(cited(sentence, [client_c.passage + 1, rule_c.passage + 1]))
    if client_c:
        lines.append(cite(client_c, "The client's documents state: "))
    else:
        lines.append("The client's documents are silent on this: no passage states it.")
    if rule_c:
        lines.append(cite(rule_c, f"The requirement, {rule_name(passages[rule_c.passage])}, says: "))
    else:
        lines.append("The built-in library holds no clause on this requirement.")
    if client_c and rule_c and not sentence:
        lines.append(
            "The two are not directly comparable by number; a reviewer should judge whether the "
            "client's practice satisfies the requirement."
        )
    if audience == "executive":
        head, rest = lines[0], lines[1:]
        return f"Bottom line: {head}" + ("\n\nDetails:\n" + "\n".join(f"- {r}" for r in rest) if rest else "")
    return lines[0] + ("\n\n" + "\n".join(f"- {r}" for r in lines[1:]) if len(lines) > 1 else "")


def _with_quantity(cands: Sequence[Candidate]) -> Candidate | None:
    for c in cands:
        if quantities(c.text):
            return c
    return cands[0] if cands else None


RULE_SENTENCES = 2  # sentences of the rule quoted after the client's answer


def compose_with_rule(
    q: Question,
    client_passages: Sequence[Passage],
    library_passages: Sequence[Passage],
    audience: str,
    checker: SupportChecker,
) -> str:
    """The client's answer (the extractive engine's, over its own documents), then what the rule says, each
    with [n] markers over ``[*client_passages, *library_passages]``."""
    text = compose(q, client_passages, audience, checker, prefer_client=True)
    offset = len(client_passages)
    rule: list[Candidate] = []
    if (
        library_passages
        and library_passages[0].exact
        and (statement := clause_statement(library_passages[0]))
    ):
        rule.append(Candidate(statement, offset, 1.0))
    for c in _best(q, library_passages, offset, checker, n=6):
        same_clause = not rule or c.passage == rule[0].passage
        if len(rule) < RULE_SENTENCES and same_clause and not any(redundant(c.text, r.text) for r in rule):
            rule.append(c)
    if not rule:
        return text
    name = rule_name([*client_passages, *library_passages][rule[0].passage])
    line = f"- The requirement, {name}, says: " + " ".join(cited(c.text, [c.passage + 1]) for c in rule)
    if audience == "executive":
        return text + ("\n" if "\n\nDetails:\n" in text else "\n\nDetails:\n") + line
    return text + ("\n" if "\n- " in text else "\n\n") + line
