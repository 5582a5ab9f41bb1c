"""From a retrieval trace to the evidence an engine answers from and the decision whether to answer.

The question is read once (:mod:`advisor.retrieval.question`) and travels in the retrieval trace; a
comparison of the client against a named requirement is retrieved per side
(:mod:`advisor.answering.comparison`); the abstention decision uses the calibrated evidence signals
(:mod:`advisor.answering.confidence`), so a regulation question asked with a client selected, or a
paraphrase, is answered when the evidence is there.

    plan = make_plan(lambda q, tenant: adv.retrieve(q, tenant), checker, trace, client)
    if not plan.decision.abstain:
        text = draft_extractive(plan, audience, checker, client)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from advisor.answering.abstention import Decision, decide
from advisor.answering.answer_types import holds, names_organisation
from advisor.answering.comparison import SIDE_K, compose_comparison, compose_with_rule, gather
from advisor.answering.confidence import LIBRARY_THRESHOLD, TYPED_SHARE, Signals, answerability, signals
from advisor.answering.extractive import ON_TOPIC, compose, rank_sentences
from advisor.answering.sentences import topic_share
from advisor.models import Passage, RetrievalTrace
from advisor.retrieval.question import Question, understand

Retrieve = Callable[[Question, "str | None"], RetrievalTrace]


@dataclass(frozen=True)
class Plan:
    question: Question
    passages: tuple[Passage, ...]  # what the engine answers from and verification checks against
    decision: Decision
    signals: Signals
    client_passages: tuple[Passage, ...] = ()  # a comparison's client side (also the head of ``passages``)
    library_passages: tuple[Passage, ...] = ()  # a comparison's library side
    with_rule: bool = (
        False  # the client's answer, then what the rule says (a rule question, in general words)
    )


def make_plan(retrieve: Retrieve, checker, trace: RetrievalTrace, client: str | None) -> Plan:
    """``retrieve(question, tenant)``: the advisor's retrieval (access check and evidence rule included) for
    a sub-question, in the client's scope (``tenant`` = the client) or the library's (``None``)."""
    q, topics, passages = evidence(trace, client)
    if q.is_comparison and client is not None and not q.unshipped:
        mine, theirs = gather(retrieve, q, client)
        # Each side must hold on its own evidence; a silent side is said plainly, not filled with neighbours.
        client_q, library_q = q.sides
        mine = _if_answered(client_q, mine, client, checker)
        theirs = _if_answered(library_q, theirs, None, checker)
        if mine or theirs:
            both = [*mine, *theirs]
            sig = signals(q, topics, both, checker)
            decision = Decision(
                False, "the comparison's sides were retrieved separately", (), sig.coverage, sig.dense
            )
            return Plan(q, tuple(both), decision, sig, tuple(mine), tuple(theirs))
    sig = signals(q, topics, passages, checker)
    decision = decide(q, passages, client=client, signals=sig)
    if decision.abstain and client is not None and not q.unshipped and not q.about_client(client):
        # The client's documents do not answer it: a regulation question asked with a client selected is
        # answered from the library alone, as it would be without a client. A question about the client's
        # own state ("do we have cyber insurance?") is not: a library clause that mentions insurance says
        # nothing about whether the client has it.
        # A question asking what is required, or of a right or a fine, is the law's: it is held to the bar it
        # meets without a client. Any other needs the stricter one ("Who sits on the steering committee?" must
        # not be answered with a clause about committees).
        library = list(retrieve(q, None).passages)
        lib_sig = signals(q, topics, library, checker)
        lib_decision = decide(q, library, signals=lib_sig)
        if not lib_decision.abstain and (q.asks_law() or answerability(lib_sig) >= LIBRARY_THRESHOLD):
            return Plan(q, tuple(library), lib_decision, lib_sig)
    if not decision.abstain and client is not None and not q.unshipped and q.about_rules(client):
        # "How quickly must a breach be reported?" asked with a client selected: the client's documents say
        # what the client does, the library what the rule demands; when both hold an answer, both are given.
        # The rule is given when the library's evidence is strong or its best sentence is about the question.
        library = [p for p in retrieve(q, None).passages if p.chunk.client is None]
        lib_sig = signals(q, topics, library, checker)
        if not decide(q, library, signals=lib_sig).abstain and (
            answerability(lib_sig) >= LIBRARY_THRESHOLD or _leads_on_topic(q, library, checker)
        ):
            mine = _if_answered(q, [p for p in passages if p.chunk.client == client], client, checker)
            theirs = library[:SIDE_K]
            if not mine:
                return Plan(q, tuple(library), decision, lib_sig)
            return Plan(q, (*mine, *theirs), decision, sig, tuple(mine), tuple(theirs), with_rule=True)
    if not decision.abstain:
        decision = _typed_lead(q, passages, checker, client, decision)
    return Plan(q, tuple(passages), decision, sig)


TYPED = frozenset({"number", "money", "duration", "frequency"})  # answers a sentence plainly holds or not
TYPED_LEAD = 3  # best-ranked sentences of which one must hold the asked-for answer


def _typed_lead(
    q: Question, passages: list[Passage], checker, client: str | None, decision: Decision
) -> Decision:
    """A question about the client asking for a number, an amount, a duration, a frequency or an
    organisation's name is answered only when one of the best sentences gives one (of the thing counted,
    for "how many X"): nearby text without it ("Phishing simulations are run quarterly" for "how many
    phishing emails were reported?", "An external penetration test is performed annually" for "which firm
    performs it?") is no answer. A rule's text may answer in other terms ("an organization-defined period"),
    so questions about rules, and a named clause, are left to the evidence signals."""
    wants = q.wants & TYPED
    if client is None or any(p.exact for p in passages):
        return decision
    if q.role:
        return _role_lead(q, passages, checker, decision)
    if not (wants or q.asks_org):
        return decision
    # "the 2026 HIPAA assessment" names a client document, "under NIST SP 800-53" a rule
    if q.rules_only(client) or (q.requirement and not q.doc_types):
        return decision
    # "How often" is also answered by a period: "keys are rotated every 12 months", "a 12-month cryptoperiod".
    accepted = [wants] + ([wants - {"frequency"} | {"duration"}] if "frequency" in wants else [])
    best = rank_sentences(q, passages, checker, prefer_client=not q.requirement)[:TYPED_LEAD]  # as compose
    # ... in the lead, or in a sentence about the question's topic: a risk row's "Score: 9" below "An external
    # penetration test is performed annually" is not the pen test's score.
    topics = q.topics_for(client)
    if any(
        holds(w, c.text, q.counted)
        and (not q.asks_org or names_organisation(c.text))
        and (rank == 0 or topic_share(topics, passages[c.passage], c.text) >= TYPED_SHARE)
        for w in accepted
        for rank, c in enumerate(best)
    ):
        return decision
    if q.asks_org and not wants:
        asked = "the name of the organisation"
    else:
        asked = f"the number of {q.counted}" if q.counted else "a " + " or ".join(sorted(wants))
    return replace(decision, abstain=True, reason=f"no passage gives {asked}", lacks=asked)


def _leads_on_topic(q: Question, passages: Sequence[Passage], checker) -> bool:
    """Is the best sentence of ``passages`` (under its heading) about the question's topic?"""
    best = rank_sentences(q, passages, checker)[:1]
    return bool(best) and topic_share(q.topics, passages[best[0].passage], best[0].text) >= ON_TOPIC


def _role_lead(q: Question, passages: list[Passage], checker, decision: Decision) -> Decision:
    """A client's "Who is the Privacy Officer?" asks for the client's holder of that role: one of the best
    sentences (read under its section heading) must name the role, by its words or synonyms. A Data
    Protection Officer is not a HIPAA Privacy Officer, nor is a clause on a privacy official the client's."""
    best = rank_sentences(q, passages, checker, prefer_client=True)[:TYPED_LEAD]
    role = q.role.split()
    if any(topic_share(role, passages[c.passage], c.text) == 1.0 for c in best):
        return decision
    asked = f"who the {q.role} is"
    return replace(decision, abstain=True, reason=f"no passage names the {q.role}", lacks=asked)


def evidence(trace: RetrievalTrace, client: str | None) -> tuple[Question, list[str], list[Passage]]:
    """The question (as retrieval read it), its topic words and the passages that may answer it."""
    q = trace.reading
    passages = list(trace.passages)
    if q.unshipped:  # no library clause is evidence about a framework it lacks
        passages = [p for p in passages if p.chunk.client is not None]
    return q, q.topics_for(client), passages


def draft_extractive(plan: Plan, audience: str, checker, client: str | None) -> str:
    """The extractive engine's draft for ``plan``. A follow-up was retrieved together with the previous
    question; its sentences are chosen for the question as asked."""
    q = plan.question
    asked = q if q.asked in ("", q.text) else understand(q.asked)
    if plan.with_rule:
        return compose_with_rule(asked, plan.client_passages, plan.library_passages, audience, checker)
    if plan.client_passages or plan.library_passages:
        return compose_comparison(
            plan.question, plan.client_passages, plan.library_passages, audience, checker
        )
    prefer_client = client is not None and not q.requirement
    return compose(asked, list(plan.passages), audience, checker, prefer_client)


def _if_answered(q: Question, passages: list[Passage], client: str | None, checker) -> list[Passage]:
    """``passages`` when they answer the sub-question ``q``, else nothing."""
    if not passages:
        return []
    sig = signals(q, list(q.topics), passages, checker)
    return [] if decide(q, passages, client=client, signals=sig).abstain else passages
