"""The extractive engine: an answer composed only of sentences taken from the retrieved passages.

It cannot invent a fact. It reads as an answer: the sentence that best answers the question comes
first (the one with the asked-for number, name or date when the question asks for one), followed by a
few supporting sentences, each with its [n] marker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.answering.answer_types import counts, holds
from advisor.answering.names import has_person_name
from advisor.answering.polarity import AFFIRMS, DENIES, PARTIAL, polarity, severity_verdict
from advisor.answering.sentences import cited, heading, split_sentences, strip_bullet, topic_share
from advisor.answering.support import SupportChecker
from advisor.models import Passage
from advisor.retrieval.items import own_section
from advisor.retrieval.lexical import stems
from advisor.retrieval.question import NEGATIVE, Question
from ingest.doc_ids import mentions

_DIGIT = re.compile(r"\d")
ON_TOPIC = 0.5  # share of the question's topic words a sentence must hold to say yes or no to it
# A quantity, not a year or an id: "12 characters", "6 findings", "$480,000" (but not "2026", "F-01").
_QUANTITY = re.compile(r"(?<![\w-])(?!(?:19|20)\d\d\b)\$?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\w-])%?")
_FREQUENCY = re.compile(
    r"\b(daily|nightly|weekly|monthly|quarterly|annually|yearly|semi-annual\w*|"
    r"every (day|night|week|month|quarter|year)|each (day|week|month|quarter|year))\b",
    re.I,
)
_DATE = re.compile(
    r"\b(20\d\d-\d\d-\d\d|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? "
    r"20\d\d|Q[1-4] 20\d\d)\b"
)
_POINTER = re.compile(
    r"\b(are|is) (defined|described|set out|documented) in\b|\bdetails are in\b|^see\b|\brefer to\b", re.I
)
_QUALIFIER = re.compile(r"\b(deputy|alternate|backup|assistant|former|interim|acting)\b", re.I)
_AFFIRM = re.compile(r"\b(must|required|requires|shall|is enforced|are enforced|mandatory)\b", re.I)
_BOILERPLATE = re.compile(
    r"^(?:this|the purpose of this) "
    r"(?:document|policy|report|plan|section|runbook|procedure|standard)\b.{0,60}?"
    r"\b(?:explains?|describes?|sets? out|establish\w*|defines?|provides?|outlines?|covers?|applies|is "
    r"intended)\b|"
    r"\bpurpose of this (?:document|policy|report|plan)\b|\btable of contents\b|\.{4,}|…{2,}|"
    r"\bshould also be reviewed\b",
    re.I,
)
_PRACTICE = ("audit_report", "risk_register", "minutes")  # documents that record what is actually done


# Hand-set. ``python -m evals.lead_weights`` cross-validates them against a grid on 146 labelled questions
# (demo clients, paraphrase, executive, real-world): fitted (0.8, 0.45, 0.5, 1.5) put a right sentence first
# in 0.747 of held-out questions against 0.719, but left fact accuracy unchanged on every eval dataset and
# lowered gold-source hits (comparison 1.0 -> 0.92, executive 0.67 -> 0.62), so these stay.
SEMANTIC_WEIGHT = 0.6  # how close in meaning a sentence is to the question
COVERAGE_WEIGHT = 0.3  # share of the question's topic words the sentence contains
PRIOR_WEIGHT = 1.0  # the passage's rank, an exact clause hit, the client's own or the hinted document type
SHAPE_WEIGHT = 1.0  # the sentence holds an answer of the asked shape; boilerplate and pointers count against


@dataclass(frozen=True)
class Candidate:
    text: str
    passage: int  # index into passages
    score: float
    features: tuple[float, ...] = ()  # (semantic, coverage, prior, shape): the score is their weighted sum


_ITEM = re.compile(r"^\s*(?:\(?[a-z0-9]{1,4}[.)]|[-*•–]|Ex\d+:)\s+")
_SKIP_LINE = re.compile(r"^\s*(Context:|Implementation Examples:\s*$)")


def _groups(lines: list[str]) -> list[tuple[str, bool]]:
    """Regulation text: join a lead-in line ending in ':' with the list items that follow it, so a
    requirement and its conditions stay one unit (marked True); other lines stand alone."""
    out: list[tuple[str, bool]] = []
    for line in lines:
        stripped = line.strip()
        if not stripped or _SKIP_LINE.match(stripped):
            continue
        if (
            out
            and _ITEM.match(stripped)
            and not stripped.startswith("Ex")
            and len(out[-1][0]) < 700
            and (out[-1][1] or out[-1][0].endswith((":", ";", "; or", "; and", ",")))
        ):
            out[-1] = (f"{out[-1][0]} {stripped}", True)
        else:
            out.append((stripped, False))
    return out


def _table_row(line: str) -> list[str] | None:
    if line.count("|") < 2:
        return None
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _units(passage: Passage) -> list[str]:
    """Sentences of a passage; a table row becomes 'Header: value; …' so it reads on its own."""
    lines = passage.text.splitlines()
    out: list[str] = []
    header: list[str] | None = None
    prose: list[str] = []
    for i, line in enumerate(lines):
        cells = _table_row(line)
        if cells is not None:
            if set("".join(cells)) <= set("-: "):
                continue
            if header is None:
                header = cells
                continue
            out.append("; ".join(f"{h}: {v}" for h, v in zip(header, cells) if v.strip("-– ")) + ".")
            continue
        header = None
        if i == 0 and len(line) < 160 and not line.rstrip().endswith("."):
            continue  # the chunk's heading line: context, not an answer
        prose.append(line)
    regulation = passage.chunk.client is None
    for group, joined in _groups(prose) if regulation else _client_groups(prose):
        if joined:
            out.append(group)
        else:
            sentences = map(_without_run_in_heading, split_sentences(group))
            out.extend(s for s in sentences if len(s) >= 15 and not _heading_like(s))
    return [u.removeprefix("Discussion: ") for u in out]


# "7 Vulnerability Scan Results For this period, ..." (a PDF's numbered heading run into the first sentence
# of its section): the heading is context, not part of the quote.
_RUN_IN_HEADING = re.compile(
    r"^\s*\d{1,2}(?:\.\d{1,2})*\s+(?:[A-Z][\w-]*\s+){1,6}?(?=(?:For|The|This|These|In|During|On|As|Our|We|A|An)"
    r"\s+\w)"
)


def _without_run_in_heading(sentence: str) -> str:
    return _RUN_IN_HEADING.sub("", sentence, count=1)


def _client_groups(lines: list[str]) -> list[tuple[str, bool]]:
    """Client text: a short lead-in ending in ':' keeps its list items ("MFA is required for: - remote
    access; - admin access"), marked True; other lines, bullets included, stand alone."""
    out: list[tuple[str, bool]] = []
    joining = False
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if joining and _ITEM.match(line) and len(out[-1][0]) + len(line) <= 600:
            out[-1] = (f"{out[-1][0]} {line}", True)
            continue
        joining = line.endswith(":") and len(line) < 200
        out.append((line if joining else strip_bullet(line), False))
    return out


def _heading_like(s: str) -> bool:
    """A section heading that ended up inside a passage ("4. SECURITY BUDGET – FY2027", "F-08 Incomplete
    …")."""
    return len(s) < 110 and not s.rstrip().endswith((".", "?", "!")) and ":" not in s


def clause_statement(passage: Passage) -> str:
    """For a regulation clause: its requirement text (before the discussion), as one unit."""
    body = passage.text.split("\n\nDiscussion:")[0]
    lines = [ln for ln in body.splitlines()[1:] if ln.strip() and not _SKIP_LINE.match(ln.strip())]
    text = " ".join(ln.strip() for ln in lines)
    return text if len(text) <= 900 else text[:900].rsplit(". ", 1)[0] + "."


_COUNTS = frozenset({"number", "duration", "frequency", "money"})  # answered by a quantity
# "Status: In progress", "Reference: PCI DSS Req. 11.3.2": a field of a record, a few words after its label.
_FIELD = re.compile(r"^\s*([A-Z][A-Za-z /&()-]{1,30}):\s+(.+)$")
_DECIDED = re.compile(
    r"\b(decided|resolved|resolution|approved|agreed|voted|decision|direct(?:s|ed)|instruct(?:s|ed))\b", re.I
)


def _shape_bonus(question: Question, sentence: str) -> float:
    bonus = 0.0
    if question.wants & _COUNTS and (
        _QUANTITY.search(_DATE.sub(" ", sentence)) or _FREQUENCY.search(sentence)
    ):
        bonus += 0.12
    if "person" in question.wants and has_person_name(sentence):
        bonus += 0.15
    if question.asks_decision and _DECIDED.search(sentence):
        bonus += 0.1
    for q in _QUALIFIER.findall(sentence):
        if q.lower() not in question.text.lower():
            bonus -= 0.12  # "the Deputy Incident Commander" does not answer "who leads"
    if question.negative and NEGATIVE.search(sentence):
        bonus += 0.08  # "which vendor has no BAA" is answered by a "no", not by the rule
    if question.counted and counts(question.counted, sentence):
        bonus += 0.4  # "how many problems" is answered by "6 findings", not by any number: that is the answer
    wants = question.wants & {"duration", "frequency", "level"}
    if wants and holds(wants, sentence):
        bonus += 0.1  # "how long" is answered by a duration, "how severe" by a level
    if fragment(sentence, question):
        bonus -= 0.25  # a record's field the question does not ask about answers nothing by itself
    if _BOILERPLATE.search(sentence):
        bonus -= 0.25  # "This document explains ...", TOC leader lines: about the document, not an answer
    if _POINTER.search(sentence):
        bonus -= 0.2  # "details are in …": points elsewhere instead of answering
    if "date" in question.wants and _DATE.search(sentence):
        bonus += 0.12
    return bonus


def _item_bonus(question: Question, context: str, sentence: str) -> float:
    """A question naming items ("which clause does F-01 cite?") is answered by sentences about them (in their
    text or their section heading), not by the rows of the other items next to them."""
    if not question.document_ids:
        return 0.0
    about = f"{context} {sentence}"
    return 0.3 if any(mentions(about, d) for d in question.document_ids) else -0.3


def fragment(sentence: str, question: Question) -> bool:
    """A short field line ("Status: In progress") whose label the question does not name and whose value is
    not of the asked type ("Owner: Priya Raman" does answer "who owns"): not an answer to lead with, nor
    one to read a yes or no from."""
    m = _FIELD.match(sentence)
    if m is None or ";" in sentence or len(re.sub(r"\([^)]*\)", " ", m.group(2)).split()) >= 8:
        return False
    if question.wants and holds(question.wants, m.group(2), question.counted):
        return False
    return not set(stems(m.group(1))) & set(stems(question.text))


def rank_sentences(
    question: Question, passages: Sequence[Passage], checker: SupportChecker, prefer_client: bool = False
) -> list[Candidate]:
    # Passages flagged at ingest as holding instructions to an AI are data, never answer material.
    units = [(u, i) for i, p in enumerate(passages) if not p.chunk.extra.get("injection") for u in _units(p)]
    if not units:
        return []
    # A sentence is judged with its section heading: "Owner: Priya Raman." answers "who owns the VPN
    # MFA finding" only under the heading "F-01 Multi-factor authentication not enforced on the legacy VPN".
    contexts = [heading(passages[i]) for _, i in units]
    sims = checker.similarity(question.text, [f"{c}: {u}" if c else u for (u, _), c in zip(units, contexts)])
    topic = set(stems(" ".join(question.topics))) or set(stems(question.text))
    out: list[Candidate] = []
    for (text, i), sim, context in zip(units, sims, contexts):
        words = set(stems(f"{context} {text}"))
        coverage = len(topic & words) / len(topic) if topic else 0.0
        prior = 1.0 / (1 + i) * 0.1 + (0.15 if passages[i].exact else 0.0)
        if prefer_client and passages[i].chunk.client is not None:
            prior += 0.15
        if passages[i].chunk.doc_type in question.doc_types:
            prior += 0.12
        features = (
            float(sim),
            coverage,
            prior,
            _shape_bonus(question, text) + _item_bonus(question, context, text),
        )
        weights = (SEMANTIC_WEIGHT, COVERAGE_WEIGHT, PRIOR_WEIGHT, SHAPE_WEIGHT)
        score = sum(w * f for w, f in zip(weights, features))
        out.append(Candidate(text, i, round(score, 4), features))
    return sorted(out, key=lambda c: (-c.score, c.passage))


def _shapes(text: str) -> set[str]:
    found = set()
    if _DIGIT.search(text):
        found.add("number")
    if _DATE.search(text):
        found.add("date")
    if has_person_name(text):
        found.add("person")
    return found


def complete_lead(question: Question, lead: Candidate, ranked: Sequence[Candidate]) -> list[Candidate]:
    """A two-part question ("who owns it and when is it due?") gets both parts in its first line: the
    best sentence of the same passage that carries what the lead lacks joins the lead."""
    missing = question.wants & {"person", "date"} - _shapes(lead.text)
    extra: list[Candidate] = []
    for shape in sorted(missing):
        for c in ranked:
            if c.passage == lead.passage and c is not lead and c not in extra and shape in _shapes(c.text):
                extra.append(c)
                break
    return extra


def _item_detail(
    lead: Candidate, ranked: Sequence[Candidate], passages: Sequence[Passage]
) -> list[Candidate]:
    """When the lead is a summary-table row, the sentences of that item's own section among the passages,
    best first: the row is an index line, the detailed finding is where a reviewer checks it."""
    row = passages[lead.passage].chunk
    return [c for c in ranked if c.passage != lead.passage and own_section(row, passages[c.passage].chunk)]


def redundant(a: str, b: str) -> bool:
    sa, sb = set(stems(a)), set(stems(b))
    return bool(sa and sb) and len(sa & sb) / min(len(sa), len(sb)) > 0.7


def compose(
    question: Question,
    passages: Sequence[Passage],
    audience: str,
    checker: SupportChecker,
    prefer_client: bool = False,
) -> str:
    """The answer text with [n] markers (n = passage index + 1).

    ``prefer_client``: the question is about the client's own practice, so its documents lead."""
    ranked = rank_sentences(question, passages, checker, prefer_client)
    if not ranked:
        return ""
    lead = ranked[0]
    floor = 0.6 * ranked[0].score
    if passages[0].exact and passages[0].chunk.client is None:
        # The question names a clause: its own words are the direct answer.
        statement = clause_statement(passages[0])
        if statement:
            lead = Candidate(statement, 0, ranked[0].score + 1.0)
            ranked = [lead] + [c for c in ranked if c.text not in statement]
    first = [lead, *complete_lead(question, lead, ranked)]
    limit = 3 if audience == "executive" else 4
    rest: list[Candidate] = [
        c for c in _item_detail(lead, ranked, passages) if not any(redundant(c.text, p.text) for p in first)
    ][:1]
    for c in ranked[1:]:
        if 1 + len(rest) >= limit or c.score < floor:
            break
        if c in first or any(redundant(c.text, p.text) for p in [*first, *rest]):
            continue
        rest.append(c)

    def cite(c: Candidate) -> str:
        s = c.text.rstrip()
        p = passages[c.passage].chunk
        if audience == "consultant" and p.client is None and p.section and p.section not in s[:40]:
            s = f"{p.section}: {s}"
        return cited(s, [c.passage + 1])

    # Policy versus practice: a finding or record of the client that denies what the lead affirms is
    # stated next to it, and the yes/no turns "No"/"Partly" (polarity decides, as everywhere).
    asks_in_place = prefer_client and question.yes_no  # "is MFA enforced ...?", not "what is ..."
    counter = _counter_evidence(question, lead, ranked, passages, floor) if asks_in_place else None
    if counter is not None:
        first.append(counter)
    lead_text = " ".join(cite(c) for c in first)
    on_topic = topic_share(question.topics, passages[lead.passage], lead.text) >= ON_TOPIC
    verdict = _verdict(question, lead, counter, ranked, on_topic)
    if verdict:
        lead_text = f"{verdict} {lead_text}"
    details = [cite(c) for c in rest]
    if audience == "executive":
        text = f"Bottom line: {lead_text}"
        if details:
            text += "\n\nDetails:\n" + "\n".join(f"- {r}" for r in details)
    else:
        text = lead_text + ("\n\n" + "\n".join(f"- {r}" for r in details) if details else "")
    return text


def _counter_evidence(
    question: Question,
    lead: Candidate,
    ranked: Sequence[Candidate],
    passages: Sequence[Passage],
    floor: float,
) -> Candidate | None:
    """A close sentence from an audit report, risk register or minutes that denies what the (affirming)
    lead says — the client's practice contradicting its policy."""
    if polarity(lead.text, question.text) != AFFIRMS or passages[lead.passage].chunk.doc_type in _PRACTICE:
        return None
    for c in ranked[1:]:
        if c.score < floor:
            break
        on_topic = topic_share(question.topics, passages[c.passage], c.text) >= ON_TOPIC
        if (
            passages[c.passage].chunk.doc_type in _PRACTICE
            and c.passage != lead.passage
            and on_topic
            and polarity(c.text, question.text) == DENIES
        ):
            return c
    return None


def _verdict(
    question: Question,
    lead: Candidate,
    counter: Candidate | None,
    ranked: Sequence[Candidate],
    on_topic: bool,
) -> str:
    """The opening word(s) of a yes/no answer, derived from the cited evidence (never from the question). A
    lead that is not about the question's topic (``on_topic``) says neither yes nor no: "Systems log failed
    log-ins" does not answer "do we need automatic logoff?"."""
    if not question.yes_no:
        return ""
    for c in [lead, *ranked[:8]]:  # "did the audit find anything critical?": the severity tally answers it
        tallied = severity_verdict(question.text, c.text)
        if tallied:
            return f"{tallied} [{c.passage + 1}]."
    if counter is not None:
        return "Partly."
    if fragment(lead.text, question) or not on_topic:
        return ""  # no yes or no read from a bare field, or from a sentence about something else
    said = polarity(lead.text, question.text)
    if said == DENIES:
        return "No."
    if said == PARTIAL:
        return "Partly."
    return "Yes." if _AFFIRM.search(lead.text) else ""
