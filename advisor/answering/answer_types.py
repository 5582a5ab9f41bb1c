"""Does a text hold an answer of the type a question asks for (a duration, a date, a person, a level…)?

The question's side is read once by :func:`advisor.retrieval.question.understand` (``Question.wants``);
this module reads the evidence side: abstention asks whether any passage holds such an answer, sentence
selection prefers sentences that do. Pure functions.

    >>> holds(frozenset({"duration"}), "Notify within 72 hours.")
    True
"""

from __future__ import annotations

import re

from advisor.retrieval.synonyms import expanded

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


# An organisation's name: capitalised words ending in a company form ("TranscribeRight Inc.", "Northbridge
# Assurance Partners", "Deskly Support Inc.") or a word with a capital inside it ("TranscribeRight").
_ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w&.-]*\s+){0,4}(?:Inc|Ltd|LLC|LLP|GmbH|B\.V\.|BV|SARL|SAS|AG|plc|Corp|Partners|Group|"
    r"Associates|Consulting|Assurance)\b|\b[A-Z][a-z]+[A-Z][A-Za-z]*\b"
)


def names_organisation(text: str) -> bool:
    """Does ``text`` name an organisation (see ``_ORGANISATION``)?"""
    return _ORGANISATION.search(text) is not None


def holds(wants: frozenset[str], text: str, counted: str = "") -> bool:
    """Does ``text`` contain an answer of every asked-for type? (True when no type is asked for.) With
    ``counted`` ("how many customers"), a number must come shortly before that word or a synonym of it."""
    if not all(_HOLDS[w].search(text) for w in wants if w in _HOLDS):
        return False
    if counted and "number" in wants:
        return counts(counted, text)
    return True


def counts(counted: str, text: str) -> bool:
    """Does ``text`` give a number of ``counted`` (words of the thing counted; one of them, or a synonym,
    must follow the number: "6 findings" for "problems", "3 of 40 laptops", "5 failed attempts" for "wrong
    guesses", "10% of merchants" for "shops")?"""
    heads = sorted(
        re.escape(w[: max(4, len(w) - 2)]) for word in counted.lower().split() for w in expanded(word)
    )
    return bool(
        re.search(rf"\b\d[\d,.]*%?(?:\s+of\s+\d[\d,]*)?\s+(?:\S+\s+){{0,3}}(?:{'|'.join(heads)})", text, re.I)
    )
