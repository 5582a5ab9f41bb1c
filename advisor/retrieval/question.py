"""Reading a question once: what kind of answer it wants, what it names, and its sub-questions.

This is the only reader of a question's text. Retrieval (identifiers, frameworks, whether it asks what a
rule demands), abstention (topic words, named items, frameworks the library lacks), sentence selection
(the answer types wanted, yes/no) and the executive bottom line all take the :class:`Question` that
:func:`understand` returns instead of re-parsing the text. A follow-up ("and who owns that?") is read
together with the previous question. Pure functions.

    >>> q = understand("Does our breach notification deadline meet HIPAA's requirement?")
    >>> q.kind, q.frameworks
    ('comparison', ('hipaa',))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from advisor.retrieval.editions import years_in
from advisor.retrieval.identifiers import Identifier, document_ids, find_identifiers
from advisor.retrieval.lexical import words
from advisor.retrieval.synonyms import idiom_terms
from advisor.retrieval.topics import GENERIC, topic_words
from advisor.retrieval.wants import COUNTED, level_asked, org_asked, secret_asked, wanted_types
from ingest.frameworks.registry import FRAMEWORKS, unshipped

# How a question names each framework: the registry's ``names`` patterns.
FRAMEWORK_WORDS: dict[str, re.Pattern[str]] = {
    f.id: rx for f in FRAMEWORKS.values() if (rx := f.names_rx) is not None
}
# Frameworks whose texts are not in the library (their licences forbid redistribution, or they are simply
# not shipped): a question about them is answered from the client's own documents or not at all.
UNSHIPPED: dict[str, re.Pattern[str]] = {u.name: u.rx for u in unshipped()}
# Asking what an outside rule demands (not what the client's own documents say).
_REQUIREMENT = re.compile(
    r"\b(regulat|comply|complian|mandat|obligat|laws?\b|legal|framework|article|clause|safeguard|"
    r"must we|do we (need|have) to|are we (required|obliged)|is it (required|mandatory) (by|under))",
    re.I,
)
# "need", "must", "deadline": asks what is required, even of the client ("what must we report?").
_RULE = re.compile(
    r"\b(need|needs|needed|require|required|requires|requirements?|mandatory|obliged|allowed|permitted|must|"
    r"shall|should|deadline)\b",
    re.I,
)
# The roles a law defines and speaks of ("a controller", "a covered entity", "essential entities"): a
# question put in them asks what the law says, not what a client does ("sub-processor" is a vendor list's).
_LAW_ROLE = re.compile(
    r"(?<![-\w])(controllers?|processors?|data subjects?|covered entit\w+|"
    r"business associates?|(?:essential|important|financial) (?:and important )?entit\w+|manufacturers?|"
    r"importers?|distributors?|deployers?|AI systems?|general-purpose AI|"
    r"data protection impact assessments?)\b",
    re.I,
)
# The client's own records: a question about them is the client's, whatever law its words recall.
_CLIENT_RECORDS = re.compile(
    r"\b(vendors?|suppliers?|sub-?processors?|findings?|assessor|board|minutes|tabletop|risk register|"
    r"polic(?:y|ies)|runbook|playbook)\b",
    re.I,
)
# What only a law speaks of: a right, a fine, an infringement ("When does a person have the right to have
# their data erased?", "What is the maximum administrative fine …?").
_LAW_TERMS = re.compile(
    r"\b(right (?:to|of)|rights of|fines?|penalt(?:y|ies)|infring\w*|sanctions?|supervisory authorit\w*|"
    r"lawful(?:ness)?|legal basis)\b",
    re.I,
)
_OBLIGED = re.compile(
    r"^\s*(?:do|must|should|are|shall) (?:we|i) (?:need|have to|required|obliged|must|be required)\b", re.I
)
_SAYS = re.compile(r"\b(define[sd]?|definition|says?|demands?)\b", re.I)  # what a named framework says
_FIRST_PERSON = re.compile(r"\b([Ww]e|[Oo]urs?|us)\b")  # "US" is a country
_REQUIREMENT_NO = re.compile(
    r"\b(?:requirement|req\.?|clause|control|section)\s+(\d{1,2}(?:\.\d{1,2}){1,3})\b", re.I
)
_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|so|then|but)\b|\b(that|it|this|they|those|these|them|its)\b", re.I
)
# An absence or a failure ("which vendor has no BAA?"): in a question, and in the sentence answering it.
NEGATIVE = re.compile(r"\b(not|no|without|lacks?|lacking|missing|never|unencrypted|overdue|missed)\b", re.I)
# "Which CSF subcategories does AC-2 map to?": a crosswalk between frameworks.
_MAP_VERB = re.compile(
    r"\b(map(s|ped|ping)?|crosswalk|correspond\w*|support\w*|satisf\w*|implement\w*|derived|"
    r"source controls?|equivalent|relate[sd]?|align\w*|cover(s|ed)?)\b",
    re.I,
)
_WHICH = re.compile(r"\b(which|what)\b", re.I)
# "Does NIS2 apply to us?": a law's scope.
_APPLIES = re.compile(
    r"\b(appl(y|ies|icable|icability)|in scope|scope of|subject to|covered by|fall(s)? (under|within)|"
    r"come(s)? under|caught by|qualify as|essential or important entit)",
    re.I,
)
# "the highest-scored risk", "our biggest risk": the extreme of a column, over a whole table.
_MOST = re.compile(
    r"\b(highest|biggest|largest|greatest|worst|riskiest|most (?:severe|serious|critical|significant|"
    r"important|urgent))\b",
    re.I,
)
_LEAST = re.compile(
    r"\b(lowest|smallest|least (?:severe|serious|critical|significant|important|urgent))\b", re.I
)
# "Who is the HIPAA Privacy Officer?", "Who is our cyber insurance broker?": a person in a named role (the
# role's words up to "and"/"of"/"for"; "Who is the CISO and owner of …" asks for the CISO).
_ROLE_ASKED = re.compile(
    r"^\s*who (?:is|are|was) (?:the|our|its|their) (.+?)(?:\s+(?:and|of|for|at|in|on)\b.*)?\?*\s*$", re.I
)
# "What is the travel policy?": with a client selected, the client's own policy (a law has no travel policy).
_THE_POLICY = re.compile(r"\bthe (?:[\w-]+ ){1,3}polic(?:y|ies)\b", re.I)
# "What did the board decide about …": answered by the decision, not by the matter discussed.
_DECISION = re.compile(r"\b(decide[sd]?|decision|resolved?|approved?|agreed?)\b", re.I)
# Words that say which kind of document holds the answer.
_DOC_HINTS = [
    (re.compile(rf"\b({hint})", re.I), doc_type)
    for hint, doc_type in (
        # "audit logs", "audit records", "audit controls" are logging, not an audit report
        (
            r"finding|audit(?!\s*(?:logs?|records?|controls?|trails?|logging|events?)\b)|assess",
            "audit_report",
        ),
        ("risk register|risk score|highest.scored|top risks?", "risk_register"),
        ("vendor|supplier|sub-?processor|third.part", "vendor_list"),
        # "the ransomware exercise" is a record; "practical exercises" in training are not
        (r"board|minutes|tabletop|the (?:[\w-]+ )?exercise\b|after-action|decid", "minutes"),
        ("incident response plan|runbook|playbook", "incident_plan"),
    )
]
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
    kind: str  # one of wants.KINDS: the shape of the answer asked for
    # Answer types the question asks for: number, duration, frequency, date, person, level.
    wants: frozenset[str]
    identifiers: tuple[Identifier, ...]  # clause ids named ("AC-2(3)", "Art. 33")
    document_ids: tuple[str, ...]  # the documents' own item ids named ("F-01", "R-04")
    frameworks: tuple[str, ...]  # framework keys named ("hipaa", "gdpr")
    requirement: bool  # asks what an outside rule demands
    client_side: str = ""  # comparison: what the client's own documents must say
    library_side: str = ""  # comparison: what the requirement says
    parts: tuple[str, ...] = field(default=())  # sub-questions of a multi-part question
    counted: str = ""  # "how many wrong guesses" -> "wrong guesses": words of the thing a number counts
    asked: str = ""  # the text as asked, when ``text`` joined a follow-up to the previous question
    yes_no: bool = False  # "Is …?", "Does …?": the answer opens with Yes/No/Partly
    topics: tuple[str, ...] = ()  # content words naming the topic (unstemmed, in order)
    idioms: tuple[str, ...] = ()  # the documents' terms for its everyday phrases ("get into" -> "access")
    unshipped: tuple[str, ...] = ()  # frameworks named whose texts the library does not hold
    requirement_numbers: tuple[str, ...] = ()  # "requirement 8.3.6" of such a framework
    asks_rule: bool = False  # "need", "must", "deadline": asks what is required
    first_person: bool = False  # "we", "our", "us"
    negative: bool = False  # asks about an absence or a failure
    doc_types: tuple[str, ...] = ()  # kinds of document the question points at ("finding" -> audit_report)
    asks_decision: bool = False  # "what did the board decide": a decision taken
    years: tuple[int, ...] = ()  # years named ("the 2025 assessment")
    extreme: str = ""  # "max" ("the highest-scored risk") or "min" ("the lowest"), else ""
    asks_org: bool = False  # asks for an organisation's name ("which firm performs our pen test?")
    asks_secret: bool = False  # asks for the value of a password, key or token
    role: str = ""  # "who is the HIPAA Privacy Officer?" -> "privacy officer": the role whose holder is asked
    level: str = ""  # the level a listing filters on ("which findings are rated High?" -> "high"), else ""
    asks_mapping: bool = False  # "which … does AC-2 map to": a crosswalk from the clause named
    asks_scope: bool = False  # "does NIS2 apply to us": a law's scope

    @property
    def is_comparison(self) -> bool:
        return self.kind == "comparison"

    @cached_property
    def sides(self) -> tuple[Question, Question]:
        """A comparison's client side and library side, each read as a question of its own."""
        return understand(self.client_side), understand(self.library_side)

    def about_client(self, client: str) -> bool:
        """Does it ask about the client's own state (its documents, controls, cover) rather than what a
        regulation or framework requires? Only the client's documents can answer such a question."""
        if self.requirement or self.asks_rule:
            return False
        return self.first_person or _names_client(self.text, client) or bool(_THE_POLICY.search(self.text))

    def asks_law(self) -> bool:
        """Asks what is required or allowed ("must", "should", "do we need"), or of what only a law speaks (a
        right, a fine)."""
        return self.requirement or self.asks_rule or _LAW_TERMS.search(self.text) is not None

    def about_rules(self, client: str) -> bool:
        """Asks what a rule demands in general words ("How quickly must a breach be reported?"), naming
        neither a clause, the client ("we", "our", its name), its documents nor its items: with that client
        selected, its documents answer for the client and the library for the rule. (A question naming a
        clause is about that clause.)"""
        return (
            self.asks_law()
            and not self.doc_types
            and (self._says_nothing_of(client) or self._asks_own_obligation(client))
        )

    def _asks_own_obligation(self, client: str) -> bool:
        """ "Do we need automatic logoff?": the client's obligation, answered by its practice and the rule."""
        return _OBLIGED.search(self.text) is not None and not (
            self.identifiers or self.is_comparison or self.document_ids or _names_client(self.text, client)
        )

    def rules_only(self, client: str) -> bool:
        """Asks what a law or framework says, in its own terms (it names the framework and asks what the
        rule demands, or it speaks of the law's roles: "a controller", "a covered entity"), and nothing of
        the client or its records: only the library answers it, with or without a client selected."""
        asks_framework = bool(self.frameworks and (self.asks_rule or _SAYS.search(self.text)))
        return (
            (asks_framework or _LAW_ROLE.search(self.text) is not None)
            and not _CLIENT_RECORDS.search(self.text)
            and self._says_nothing_of(client)
        )

    def _says_nothing_of(self, client: str) -> bool:
        """Names no clause, item or client ("we", "our", its name) and sets nothing against a rule."""
        return not (
            self.identifiers
            or self.is_comparison
            or self.first_person
            or self.document_ids
            or _names_client(self.text, client)
        )

    def topics_for(self, client: str | None) -> list[str]:
        """Topic words without the client's own name ("meridian" says nothing about the topic)."""
        own = set(client.split("-")) if client else set()
        return [w for w in self.topics if w not in own]


def _names_client(text: str, client: str) -> bool:
    """Does the text name the client ("Meridian's policy" for meridian-health; not "health")?"""
    return re.search(rf"\b{re.escape(client.lower().split('-')[0])}\b", text, re.I) is not None


def frameworks_named(question: str) -> tuple[str, ...]:
    return tuple(key for key, rx in FRAMEWORK_WORDS.items() if rx.search(question))


def unshipped_named(question: str) -> list[str]:
    return [name for name, rx in UNSHIPPED.items() if rx.search(question)]


def with_history(question: str, history: Sequence[str]) -> str:
    """A follow-up ("and who owns that?") is read together with the previous question."""
    if not history:
        return question
    short = len(question.split()) <= 12
    if short and _FOLLOW_UP.search(question):
        return f"{history[-1]} {question}"
    return question


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


def understand(asked: str, history: Sequence[str] = ()) -> Question:
    """The one analysis of a question that retrieval, abstention and answering share (``history``: the
    previous questions of the conversation, for a follow-up)."""
    text = with_history(asked, history)
    idents = tuple(find_identifiers(text))
    frameworks = frameworks_named(text)
    requirement = bool(_REQUIREMENT.search(text) or frameworks or idents)
    wants = wanted_types(text, split_parts(text))
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
    counted = COUNTED.search(text)
    return Question(
        text=text,
        kind=kind,
        wants=wants,
        counted=" ".join(w for w in words(counted.group(1)) if w not in GENERIC) if counted else "",
        identifiers=idents,
        document_ids=tuple(document_ids(text)),
        frameworks=frameworks,
        requirement=requirement,
        client_side=client_side,
        library_side=library_side,
        parts=parts,
        asked=asked,
        yes_no=bool(_YES_NO.search(text)),
        topics=tuple(topic_words(text)),
        idioms=idiom_terms(text),
        unshipped=tuple(unshipped_named(text)),
        requirement_numbers=tuple(_REQUIREMENT_NO.findall(text)),
        asks_rule=bool(_RULE.search(text)),
        first_person=bool(_FIRST_PERSON.search(text)),
        negative=bool(NEGATIVE.search(text)),
        doc_types=tuple(doc_type for rx, doc_type in _DOC_HINTS if rx.search(text)),
        asks_decision=bool(_DECISION.search(text)),
        years=tuple(years_in(text)),
        extreme="max" if _MOST.search(text) else "min" if _LEAST.search(text) else "",
        level=level_asked(text),
        asks_org=org_asked(text),
        role=_role_asked(text),
        asks_secret=secret_asked(text),
        asks_mapping=bool(idents and _WHICH.search(text) and _MAP_VERB.search(text)),
        asks_scope=bool(frameworks and _APPLIES.search(text) and not idents),
    )


def _role_asked(text: str) -> str:
    m = _ROLE_ASKED.search(text)
    named = words(_FRAMEWORK_TEXT.sub(" ", m.group(1))) if m else []
    return " ".join(w for w in named if w not in GENERIC)


def requirement_named(question: Question) -> bool:
    """Does the comparison name the outside requirement precisely enough to search the library for it?"""
    return bool(
        question.identifiers or question.frameworks or _REQUIREMENT_WORDS.search(question.library_side)
    )
