"""What kind of answer a question asks for: a duration, a frequency, a number, a date, a person, a level or
an amount (``wanted_types``), the thing a "how many" counts (``COUNTED``), the level a listing filters on
(``level_asked``), an organisation's name (``org_asked``) or a secret's value (``secret_asked``). Read
once, by :func:`advisor.retrieval.question.understand`. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
    ("person", re.compile(r"\b(owner|owns|responsible|accountable|in charge)\b", re.I)),
    (
        "level",
        re.compile(
            r"\b(severity|how severe|rating|rated|level|tier|category|classification|how (high|bad|"
            r"serious|critical))\b",
            re.I,
        ),
    ),
)
# "how many wrong guesses before …", "how many customers does Ledgerly have": up to three words, ending at
# the verb that follows the thing counted.
COUNTED = re.compile(
    r"\bhow many ((?:(?!(?:do|does|did|are|is|were|was|have|has|had|can|will|would|must|should)\b)"
    r"[\w-]{3,}\s*){1,3})",
    re.I,
)

# "How long must passwords be (for Acme)?" asks a length, not a duration ("how long must logs be kept?").
_LENGTH = re.compile(r"\bhow long\b[^?]*?\bbe\b(?=\s*(?:\?|$|for\b|in\b|at\b|on\b))", re.I)


# "When is an incident serious enough to count as major?" asks a condition, not a date.
_CONDITION = re.compile(
    r"\bwhen (?:is|are|does|do) (?:a|an|the|it|they|we)\b[^?]{0,50}?\b(?:enough|considered|counted|count as|"
    r"classed|classified|treated|deemed|qualif(?:y|ies))\b",
    re.I,
)


def wanted_types(text: str, parts: Sequence[str] = ()) -> frozenset[str]:
    """The answer types ``text`` asks for (``parts``: its sub-questions, each may ask "who")."""
    found = {name for name, rx in _WANTS if rx.search(text)}
    if _CONDITION.search(text):
        found.discard("date")
    if _LENGTH.search(text):
        found = (found - {"duration"}) | {"number"}
    if any(_asks_who(part) for part in parts or (text,)):
        found.add("person")
    if "duration" in found or "frequency" in found:
        found.discard("number")  # "how long": a duration, not any number
    return frozenset(found)


_WH = re.compile(r"\b(who|whom|whose|what|which|when|where|why|how)\b", re.I)


def _asks_who(part: str) -> bool:
    """Is "who" the question word of this (sub-)question, not a relative pronoun after another one ("how
    often do we check who can get in?" asks a frequency)?"""
    m = _WH.search(part)
    return m is not None and m.group(1).lower() in ("who", "whom", "whose")


# "Which finding is rated Low?", "List the high-severity findings", "How many findings are critical?": the
# rows of a table whose level column holds that level.
_LEVEL = r"(critical|high|medium|moderate|low)"
_LEVEL_ASKED = re.compile(
    rf"\b(?:rated|ranked|classified|marked|graded|severity(?: of)?|priority(?: of)?)\s+(?:as\s+)?{_LEVEL}\b|"
    rf"\b{_LEVEL}[- ](?:severity|risk|priority|rated)\b|\b(?:is|are|were|was)\s+{_LEVEL}\s*\??\s*$",
    re.I,
)
# "What is the name of the firm that tests us?", "Which outside company …": an organisation's name is asked
# ("which vendor …" is answered by a register row, whose names carry no company form).
_ORG_ASKED = re.compile(
    r"\bname of the (?:firm|company|vendor|provider|supplier|auditor|assessor|insurer|broker|bank|partner)\b|"
    r"\b(?:which|what) (?:firm|(?:outside|external|third-party) (?:firm|company|vendor|provider|supplier|"
    r"auditor|partner))\b",
    re.I,
)
# "What is the password for the guest Wi-Fi?": the value of a secret (not "the password policy", "the minimum
# password length"); vciso does not repeat one even when a document holds it.
_SECRET = re.compile(
    r"\b(?:what(?:'s| is| are)|tell me|give me|share|send me)\s+(?:the|our|my|your)\s+"
    r"(?:(?!of\b)[\w-]+\s+){0,3}?"
    r"(?:password|passcode|passphrase|pin|api key|secret key|private key|access key|token|credentials?)\b"
    r"(?=\s*(?:for|to|of|on|\?|$))",
    re.I,
)
_LISTING = re.compile(r"\b(which|what|list|how many|name|show)\b", re.I)


def level_asked(text: str) -> str:
    """The level a listing filters on ("which findings are rated High?" -> "high"), else ""."""
    m = _LEVEL_ASKED.search(text) if _LISTING.search(text) else None
    return next((g.lower() for g in m.groups() if g), "") if m else ""


def org_asked(text: str) -> bool:
    """Does it ask for an organisation's name ("which firm performs our pen test?")?"""
    return _ORG_ASKED.search(text) is not None


def secret_asked(text: str) -> bool:
    """Does it ask for the value of a password, key or token?"""
    return _SECRET.search(text) is not None
