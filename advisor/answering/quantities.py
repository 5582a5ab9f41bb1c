"""Comparing a client's fact with a requirement: quantities read from text, compared by code. Pure functions.

    >>> sentence = compare_texts("notify within 4 hours", "without unreasonable delay and in no case later "
    ...                          "than 60 calendar days", "HIPAA")
    >>> sentence
    'Comparison (computed by vciso): 4 hours is within the 60 calendar days that HIPAA allows.'
    >>> check(sentence, ["notify within 4 hours"], ["... no case later than 60 calendar days ..."])
    True

The comparison sentence is vciso's own statement, marked as such; :func:`check` re-reads both
quantities from the cited texts and recomputes the relation, so verification can reject a comparison
that the evidence does not give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

PREFIX = "Comparison (computed by vciso):"

_WORD_NUMBERS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
_NUM = r"(\d+(?:[.,]\d+)?|" + "|".join(_WORD_NUMBERS) + r")"
_UNITS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.0, "year": 8760.0}
_DURATION = re.compile(
    _NUM + r"(?:\s*\(\d+\))?\s*(?:-\s*)?((?:calendar|business|working)\s+)?"
    r"(minute|hour|day|week|month|year)s?\b",
    re.I,
)
_COUNT = re.compile(
    _NUM + r"\s+(?:consecutive\s+)?(?:failed\s+)?(?:log-?in\s+)?(characters?|attempts?)\b", re.I
)
_FREQUENCY = (
    (re.compile(r"\b(daily|nightly|every (?:day|night))\b", re.I), 1, "daily"),
    (re.compile(r"\b(weekly|every week)\b", re.I), 7, "weekly"),
    (re.compile(r"\b(monthly|every month|each month)\b", re.I), 30, "monthly"),
    (re.compile(r"\b(quarterly|every quarter|every (?:3|three) months)\b", re.I), 91, "quarterly"),
    (
        re.compile(r"\b(semi-?annual(?:ly)?|twice a year|every (?:6|six) months)\b", re.I),
        182,
        "semi-annually",
    ),
    (
        re.compile(r"\b(annual(?:ly)?|yearly|every year|each year|once a year|at least annually)\b", re.I),
        365,
        "annually",
    ),
)
_MAXIMUM = re.compile(
    r"\b(within|no later than|not later than|in no case later than|at most|maximum|"
    r"not (?:to )?exceed|up to|deadline)\b",
    re.I,
)
_MINIMUM = re.compile(
    r"\b(at least|minimum|no (?:less|fewer) than|retain\w*|kept for|keep\w*|for a period of|"
    r"length)\b",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    kind: str  # duration | characters | attempts | frequency
    value: float  # hours for a duration, the count, or days between events for a frequency
    text: str  # as written ("60 calendar days", "quarterly")


def _number(raw: str) -> float:
    raw = raw.lower()
    return float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw.replace(",", ""))


def quantities(text: str) -> list[Quantity]:
    """Durations, character and attempt counts, and frequencies named in ``text``, in order."""
    found: list[tuple[int, Quantity]] = []
    spans: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:  # one phrase is one quantity ("at least annually" is not two)
        if any(m.start() < e and s < m.end() for s, e in spans):
            return False
        spans.append(m.span())
        return True

    for m in _DURATION.finditer(text):
        if not free(m):
            continue
        found.append(
            (
                m.start(),
                Quantity("duration", _number(m.group(1)) * _UNITS[m.group(3).lower()], m.group(0).strip()),
            )
        )
    for m in _COUNT.finditer(text):
        if not free(m):
            continue
        unit = m.group(2).lower().rstrip("s") + "s"
        found.append((m.start(), Quantity(unit, _number(m.group(1)), f"{m.group(1)} {unit}")))
    for rx, days, label in _FREQUENCY:
        for m in rx.finditer(text):
            if not free(m):
                continue
            found.append((m.start(), Quantity("frequency", float(days), label)))
    return [q for _, q in sorted(found, key=lambda t: t[0])]


def bound(requirement: str) -> str:
    """Does the requirement set a maximum ("within 60 days") or a minimum ("at least 12 characters")?"""
    if _MAXIMUM.search(requirement) and not _MINIMUM.search(requirement):
        return "maximum"
    if _MINIMUM.search(requirement):
        return "minimum"
    return "maximum" if _MAXIMUM.search(requirement) else ""


def _relation(kind: str, client: float, required: float, limit: str) -> str:
    """'meets' or 'misses' (a frequency is met by one at least as frequent: fewer days between events)."""
    if kind == "frequency":
        return "meets" if client <= required else "misses"
    if limit == "maximum":
        return "meets" if client <= required else "misses"
    return "meets" if client >= required else "misses"


def phrase(kind: str, client: Quantity, required: Quantity, limit: str, rule: str) -> str:
    met = _relation(kind, client.value, required.value, limit) == "meets"
    if kind == "frequency":
        how = "at least as often as" if met else "less often than"
        return f"{PREFIX} {client.text} is {how} the {required.text} schedule that {rule} requires."
    if limit == "maximum":
        how = "is within" if met else "exceeds"
        return f"{PREFIX} {client.text} {how} the {required.text} that {rule} allows."
    how = "meets" if met else "falls short of"
    return f"{PREFIX} {client.text} {how} the minimum of {required.text} that {rule} requires."


def compare_texts(client_text: str, requirement_text: str, rule: str) -> str:
    """The comparison sentence for the first comparable pair of quantities, or "" when none is comparable."""
    req = quantities(requirement_text)
    mine = quantities(client_text)
    limit = bound(requirement_text)
    for r in req:
        for c in mine:
            if c.kind != r.kind:
                continue
            if r.kind != "frequency" and not limit:
                continue
            return phrase(r.kind, c, r, limit, rule)
    return ""


_SENTENCE = re.compile(
    re.escape(PREFIX) + r"\s+(?P<a>.+?) (?P<rel>is at least as often as|is less often than|is within|"
    r"exceeds|meets|falls short of) the (?:minimum of )?(?P<b>.+?)(?: schedule)? that .+$"
)


def is_comparison(sentence: str) -> bool:
    return sentence.strip().startswith(PREFIX)


def check(sentence: str, client_texts: Sequence[str], requirement_texts: Sequence[str]) -> bool:
    """Is the comparison sentence right? Both quantities must be read from the cited texts (the client's
    and the requirement's) and the stated relation must be the computed one."""
    m = _SENTENCE.match(re.sub(r"\s*\[\d+\]", "", sentence.strip()))
    if not m:
        return False
    a, b = quantities(m.group("a")), quantities(m.group("b"))
    if len(a) != 1 or len(b) != 1 or a[0].kind != b[0].kind:
        return False
    client = [q for t in client_texts for q in quantities(t) if q.kind == a[0].kind]
    required = [q for t in requirement_texts for q in quantities(t) if q.kind == b[0].kind]
    if not any(q.value == a[0].value for q in client) or not any(q.value == b[0].value for q in required):
        return False
    rel = m.group("rel")
    if a[0].kind == "frequency":
        limit = ""
        met = rel.startswith("is at least")
    else:
        limit = "maximum" if rel in ("is within", "exceeds") else "minimum"
        met = rel in ("is within", "meets")
    return met == (_relation(a[0].kind, a[0].value, b[0].value, limit) == "meets")
