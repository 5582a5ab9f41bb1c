"""Understanding a question once: what kind of answer it wants, what it names, and its sub-questions.

Every part of answering reads this one analysis: retrieval (per sub-question, client side and library
side separately for a comparison), abstention (does any passage hold an answer of the asked type?),
sentence selection (prefer sentences holding that type) and the executive bottom line. Pure functions.

    >>> q = understand("Does our breach notification deadline meet HIPAA's requirement?")
    >>> q.kind, q.frameworks
    ('comparison', ('hipaa',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from advisor.retrieval.identifiers import Identifier, document_ids, find_identifiers
from advisor.retrieval.retriever import frameworks_named, is_requirement_question

KINDS = (
    "fact",
    "number",
    "duration",
    "frequency",
    "date",
    "person",
    "level",
    "list",
    "yes_no",
    "comparison",
    "multi",
)

_WANTS = (
    (
        "frequency",
        re.compile(
            r"\bhow (often|frequently)\b|\bwhat (is the )?(frequency|schedule|cadence)\b|"
            r"\bat what (interval|frequency)\b",
            re.I,
        ),
    ),
    (
        "duration",
        re.compile(
            r"\bhow (long|quickly|soon|fast)\b|\bwithin how\b|\bdeadline\b|\btime ?frame\b|"
            r"\bhow many (minutes|hours|days|weeks|months|years)\b|\brecovery time\b|\bretain",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(r"\b(cost|costs|budget|spend|spent|fee|fees|price|paid|pay|pays|fine|fines)\b", re.I),
    ),
    (
        "number",
        re.compile(
            r"\bhow (many|much)\b|\b(minimum|maximum|length|number of|percentage|budget|cost|"
            r"threshold|score|limit|count)\b",
            re.I,
        ),
    ),
    (
        "date",
        re.compile(
            r"\bwhen (was|were|did|is|will|does)\b|\b(what|which) date\b|\bsince when\b|\bby when\b|"
            r"\bdue\b|\blast (rotated|tested|performed|held|signed|reviewed)\b",
            re.I,
        ),
    ),
    ("person", re.compile(r"\b(who|whom|whose)\b|\b(owner|owns|responsible|accountable|in charge)\b", re.I)),
    (
        "level",
        re.compile(
            r"\b(severity|how severe|rating|rated|level|tier|category|classification|how (high|bad|"
            r"serious|critical))\b",
            re.I,
        ),
    ),
)
_COUNTED = re.compile(r"\bhow many (\w{3,})", re.I)
_YES_NO = re.compile(
    r"^\s*(?:bottom line:\s*)?(is|are|does|do|did|must|should|can|has|have|was|were|will|would|"
    r"could|may)\b",
    re.I,
)
_LIST = re.compile(
    r"^\s*(which|what) \w+ (are|do|have|were)\b|\blist\b|\bwhich (vendors|risks|findings|"
    r"sub-?processors|suppliers|controls)\b",
    re.I,
)
# The client's own practice ("our", "we", "the client's") set against an outside requirement.
_OWN = re.compile(r"\b(our|we|us|the client'?s?|the company'?s?|this client)\b", re.I)
_COMPARE = re.compile(
    r"\b(meets?|meeting|satisf(?:y|ies|ied)|compl(?:y|ies|iant) with|in line with|consistent with|"
    r"enough for|sufficient for|align(?:s|ed)? with|match(?:es)?|exceeds?|stricter than|as strict as|"
    r"(?:shorter|longer|faster|slower) than|within what|comply|compliant|fall short of|"
    r"what .{0,40} allows?|allowed by|required by|requires? under)\b",
    re.I,
)
_PART_SPLIT = re.compile(
    r"\?\s+(?=[A-Z])|,?\s+and\s+(?=(?:who|when|what|how|which|where|why|is|are|does|do)\b)", re.I
)
_FRAMEWORK_TEXT = re.compile(
    r"\b(?:the\s+)?(?:HIPAA|GDPR|NIST(?:\s+SP)?(?:\s+800-\d+)?|SP\s*800-\d+|CSF(?:\s*2\.0)?|ASVS|PCI(?:[- "
    r"]DSS)?|"
    r"ISO(?:/IEC)?\s*2700[12]|SOC ?2|NIS ?2|DORA)(?:'s)?\b(?:\s+(?:rule|requirements?|regulation|standard))?",
    re.I,
)
_CLAUSE_TEXT = re.compile(
    r"\b(?:(?:AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)-\d{1,2}"
    r"(?:\s*\(\d{1,2}\))?|(?:Art\.?|Article)\s*\d{1,2}(?:\(\d{1,2}\))?|§?\s*16[04]\.\d{3}"
    r"(?:\([a-zA-Z0-9]{1,4}\))*)",
    re.I,
)
_REQUIREMENT_WORDS = re.compile(
    r"\b(requirements?|allows?|demands?|requires?|mandates?|obligations?|"
    r"expectations?|rules?)\b",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # one of KINDS: the shape of the answer asked for
    wants: frozenset[
        str
    ]  # answer types the question asks for: number, duration, frequency, date, person, level
    identifiers: tuple[Identifier, ...]  # clause ids named ("AC-2(3)", "Art. 33")
    document_ids: tuple[str, ...]  # the documents' own item ids named ("F-01", "R-04")
    frameworks: tuple[str, ...]  # framework keys named ("hipaa", "gdpr")
    requirement: bool  # asks what an outside rule demands
    client_side: str = ""  # comparison: what the client's own documents must say
    library_side: str = ""  # comparison: what the requirement says
    parts: tuple[str, ...] = field(default=())  # sub-questions of a multi-part question
    counted: str = ""  # "how many customers" -> "customers": the thing a number must count

    @property
    def is_comparison(self) -> bool:
        return self.kind == "comparison"

    @property
    def yes_no(self) -> bool:
        return bool(_YES_NO.search(self.text))


def wanted_types(text: str) -> frozenset[str]:
    found = {name for name, rx in _WANTS if rx.search(text)}
    if "duration" in found or "frequency" in found:
        found.discard("number")  # "how long": a duration, not any number
    return frozenset(found)


def split_parts(text: str) -> tuple[str, ...]:
    """Sub-questions of "Who owns F-01 and when is it due?" -> ("Who owns F-01", "when is it due?")."""
    parts = [p.strip(" ,?") for p in _PART_SPLIT.split(text) if p and p.strip(" ,?")]
    return tuple(parts) if len(parts) > 1 else ()


def _strip_requirement(text: str) -> str:
    """The client side of a comparison: the question without the outside requirement it names."""
    head = _COMPARE.split(text, maxsplit=1)[0]
    head = _FRAMEWORK_TEXT.sub(" ", _CLAUSE_TEXT.sub(" ", head))
    head = re.sub(r"^\s*(?:bottom line:\s*)?(does|do|is|are|will|would|can)\s+", "What is ", head, flags=re.I)
    return re.sub(r"\s+", " ", head).strip(" ,?'s") + "?"


def _requirement_side(text: str, client_side: str) -> str:
    """The library side: the requirement named, with the topic of the client side."""
    topic = re.sub(r"\b(what is|our|we|us|the client'?s?)\b", " ", client_side, flags=re.I).strip(" ?")
    tail = _COMPARE.split(text, maxsplit=1)[-1]
    if not (_FRAMEWORK_TEXT.search(tail) or _CLAUSE_TEXT.search(tail)):
        named = [m.group(0) for rx in (_FRAMEWORK_TEXT, _CLAUSE_TEXT) for m in rx.finditer(text)]
        tail = " ".join(named) + " " + tail
    return re.sub(r"\s+", " ", f"{tail.strip(' ?')} {topic}").strip(" ,?") + "?"


def understand(text: str) -> Question:
    """The one analysis of a question that retrieval, abstention and answering share."""
    idents = tuple(find_identifiers(text))
    frameworks = frameworks_named(text)
    requirement = is_requirement_question(text)
    wants = wanted_types(text)
    names_rule = bool(idents or frameworks or _FRAMEWORK_TEXT.search(text))
    comparison = bool(_OWN.search(text) and _COMPARE.search(text) and names_rule)
    parts = () if comparison else split_parts(text)
    client_side = library_side = ""
    if comparison:
        kind = "comparison"
        client_side = _strip_requirement(text)
        library_side = _requirement_side(text, client_side)
    elif parts:
        kind = "multi"
    elif _YES_NO.search(text):
        kind = "yes_no"
    elif len(wants) == 1:
        kind = next(iter(wants))
    elif _LIST.search(text):
        kind = "list"
    else:
        kind = "fact"
    counted = _COUNTED.search(text)
    return Question(
        text=text,
        kind=kind,
        wants=wants,
        counted=counted.group(1).lower() if counted else "",
        identifiers=idents,
        document_ids=tuple(document_ids(text)),
        frameworks=frameworks,
        requirement=requirement,
        client_side=client_side,
        library_side=library_side,
        parts=parts,
    )


def requirement_named(question: Question) -> bool:
    """Does the comparison name the outside requirement precisely enough to search the library for it?"""
    return bool(
        question.identifiers or question.frameworks or _REQUIREMENT_WORDS.search(question.library_side)
    )


_HOLDS = {
    "duration": re.compile(
        r"\b\d+(?:[.,]\d+)?\s*(?:-\s*)?(?:calendar |business |working )?(?:minutes?|hours?|days?|"
        r"weeks?|months?|years?)\b|\b(?:without (?:undue|unreasonable) delay|immediately|"
        r"promptly)\b",
        re.I,
    ),
    "frequency": re.compile(
        r"\b(daily|nightly|weekly|monthly|quarterly|annually|yearly|semi-?annual\w*|biennial\w*|"
        r"every \w+(?: \w+)?|each (?:day|week|month|quarter|year)|at least once|"
        r"(?:once|twice) (?:a|per) \w+|periodic\w*)\b",
        re.I,
    ),
    "money": re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:USD|EUR|GBP|dollars|euros)\b", re.I),
    "number": re.compile(
        r"(?<![\w-])\$?\d[\d,]*(?:\.\d+)?%?(?![\w-])|\b(one|two|three|four|five|six|seven|eight|"
        r"nine|ten|eleven|twelve)\b",
        re.I,
    ),
    "date": re.compile(
        r"\b(?:19|20)\d\d-\d\d-\d\d\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? "
        r"(?:\d{1,2},? )?(?:19|20)\d\d\b|\bQ[1-4] (?:19|20)\d\d\b|\b(?:19|20)\d\d\b"
    ),
    "person": re.compile(
        r"\b[A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]{2,}\b|\b(?:Chief \w+ Officer|CISO|CIO|CEO|CTO|DPO|"
        r"Privacy Officer|Security Officer|officer|manager|team|committee|director|head of)\b"
    ),
    "level": re.compile(
        r"\b(critical|high|medium|moderate|low|elevated|severe|SEV-?\d|S\d|P\d|tier \d|level \d)\b", re.I
    ),
}


def holds(wants: frozenset[str], text: str, counted: str = "") -> bool:
    """Does ``text`` contain an answer of every asked-for type? (True when no type is asked for.) With
    ``counted`` ("how many customers"), a number must come shortly before that word's stem."""
    if not all(_HOLDS[w].search(text) for w in wants if w in _HOLDS):
        return False
    if counted and "number" in wants:
        stem = re.escape(counted[: max(4, len(counted) - 2)])
        return bool(re.search(rf"\b\d[\d,]*(?:\s+of\s+\d[\d,]*)?\s+(?:\S+\s+){{0,3}}{stem}", text, re.I))
    return True
