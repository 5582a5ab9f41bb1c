"""Does a piece of evidence affirm or deny what a question asks? One decision, shared by every feature.

Chat (the "Yes."/"No." of an answer and the executive bottom line), questionnaire autofill, gap status
and memos all ask this module, so a finding that says "MFA is not enforced for front-desk users" is a
denial everywhere. Pure functions over text.

    >>> polarity("MFA is not enforced for front-desk users.")
    'denies'
    >>> polarity("MFA is required for all remote access, except the Lakeside clinic.")
    'partial'
    >>> polarity("No restore test has been performed since 2024-11-07.")
    'denies'
    >>> polarity("Notify individuals no later than 60 calendar days after discovery.")
    'affirms'
    >>> polarity("TranscribeRight has no business associate agreement.", "Which vendor has no BAA?")
    'affirms'
"""

from __future__ import annotations

import re

AFFIRMS, DENIES, PARTIAL = "affirms", "denies", "partial"

# Phrases with a negative word that state a bound or a rule, not an absence.
_BOUNDS = re.compile(
    r"\b(no later than|not later than|in no case later than|no more than|not more than|no less than|"
    r"not less than|no fewer than|not to exceed|not exceed|not only|no matter|not limited to|"
    r"no longer than|without undue delay|without unreasonable delay|unless|whether or not|"
    r"if not|no exceptions?|non-?compliance with this policy|there is no evidence of compromise|"
    r"failed (?:log-?in |login |sign-?in )?attempts?|failed (?:log-?ins?|logins?|sign-?ins?))\b",
    re.I,
)
_PROHIBITION = re.compile(
    r"\b(must not|may not|shall not|should not|are not (?:allowed|permitted)|is not "
    r"(?:allowed|permitted)|not allowed|not permitted|prohibited|forbidden|never (?:be )?"
    r"(?:shared|used|sent|pasted|stored)|(?:^|(?<=[.;:!?] ))(?:do not|don't|never) (?=[a-z]+))\b",
    re.I | re.M,
)
_NEGATION = re.compile(
    r"\b(not|no|never|none|nobody|nothing|without|lacks?|lacking|lacked|missing|absent|fails?|failed|failing|"
    r"cannot|can't|isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|doesn't|don't|didn't|unencrypted|unsigned|"
    r"unpatched|unsupported|disabled|stopped|ceased|overdue|expired|outstanding|incomplete|inconsistent(?:ly)?|missed|skipped|"
    r"lapsed|gaps?|deficien\w*|ineffective|not\s+\w+ed)\b",
    re.I,
)
_EXCEPTION = re.compile(
    r"\b(except(?: for)?|excluding|other than|apart from|with the exception of|save for|"
    r"but not|aside from|exempt(?:ed)?|only (?:for|on|in) (?:some|part))\b",
    re.I,
)
_ZERO = re.compile(
    r"\b(0|zero|no|none of the)\s+(\w+\s+)?(findings?|issues?|critical|high|exceptions?)\b", re.I
)
_ASKS_PERMISSION = re.compile(
    r"\b(allowed|permitted|allow|permit|may (?:we|staff|users|employees|i)|can (?:we|staff|"
    r"users|employees|i))\b",
    re.I,
)
_ASKS_NEGATIVE = re.compile(
    r"\b(no|not|without|lack\w*|missing|never|fail\w*|overdue|unencrypted|unsigned|"
    r"miss(?:ed)?)\b",
    re.I,
)
LEVELS = ("critical", "high", "medium", "low")
_TALLY = re.compile(
    r"\b(\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+(critical|high|medium|low)\b", re.I
)
_WORDS = {
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def negated(text: str) -> bool:
    """Does ``text`` state an absence or a failure (bounds such as "no later than" aside)?"""
    return bool(_NEGATION.search(_BOUNDS.sub(" ", text)))


def polarity(evidence: str, question: str = "") -> str:
    """'affirms', 'denies' or 'partial' (an exception narrows it): does ``evidence`` say yes to ``question``?

    A question that itself asks about an absence ("which vendor has no BAA?", "did we miss any scans?") is
    affirmed by evidence of that absence. A question asking whether something is allowed is denied by a
    prohibition."""
    text = _BOUNDS.sub(" ", evidence)
    if question and _ASKS_PERMISSION.search(question):
        return DENIES if _PROHIBITION.search(evidence) else AFFIRMS
    if _PROHIBITION.search(text):
        text = _PROHIBITION.sub(" ", text)  # a rule against something is a rule, not a failure
    denies = bool(_ZERO.search(text)) or bool(_NEGATION.search(text))
    if question and _ASKS_NEGATIVE.search(_BOUNDS.sub(" ", question)):
        return AFFIRMS if denies else DENIES
    if denies:
        return DENIES
    if _EXCEPTION.search(text):
        return PARTIAL
    return AFFIRMS


def tally(text: str) -> dict[str, int]:
    """Counts per severity level stated in ``text`` ("1 Critical, 4 High" -> {"critical": 1, "high": 4})."""
    out: dict[str, int] = {}
    for num, level in _TALLY.findall(text):
        n = _WORDS.get(num.lower(), None)
        out.setdefault(level.lower(), int(num) if n is None else n)
    return out


def levels_asked(question: str) -> tuple[str, ...]:
    return tuple(level for level in LEVELS if re.search(rf"\b{level}\b", question, re.I))


def severity_verdict(question: str, text: str) -> str:
    """For "did the audit find anything critical or high?": "Yes — 1 Critical and 4 High" / "No — none rated
    Critical; the most severe: 2 High" from a tally in ``text``; "" when the question asks no level or the
    text gives no tally."""
    asked = levels_asked(question)
    counts = tally(text)
    if not asked or not counts:
        return ""
    found = [(level, counts[level]) for level in asked if counts.get(level)]
    if found:
        return "Yes — " + " and ".join(f"{n} {level.title()}" for level, n in found)
    worst = next((level for level in LEVELS if counts.get(level)), None)
    tail = f"; the most severe: {counts[worst]} {worst.title()}" if worst else ""
    return "No — none rated " + " or ".join(level.title() for level in asked) + tail


_VERDICT = re.compile(r"^(?:Bottom line:\s*)?(Yes|No) — (.+?)\.?$")


def is_verdict(sentence: str) -> bool:
    return bool(_VERDICT.match(sentence.strip()))


def check_verdict(sentence: str, evidence: list[str]) -> bool:
    """Is a severity verdict ("Yes — 1 Critical and 4 High", "No — none rated Critical") what the cited
    evidence's tally says?"""
    m = _VERDICT.match(re.sub(r"\s*\[\d+\]", "", sentence.strip()))
    if not m:
        return False
    counts: dict[str, int] = {}
    for text in evidence:
        for level, n in tally(text).items():
            counts.setdefault(level, n)
    if not counts:
        return False
    if m.group(1) == "Yes":
        stated = tally(m.group(2))
        return bool(stated) and all(counts.get(level) == n and n > 0 for level, n in stated.items())
    none, _, worst = m.group(2).partition("; the most severe: ")
    asked = levels_asked(none)
    if worst:  # the most severe level the evidence tallies, with its count
        stated = tally(worst)
        top = next((level for level in LEVELS if counts.get(level)), None)
        if list(stated) != [top] or top is None or stated[top] != counts[top]:
            return False
    return bool(asked) and none.startswith("none rated") and not any(counts.get(lv) for lv in asked)
