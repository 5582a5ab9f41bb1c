"""The one sentence splitter: chunking, answer verification, quoting and drafting all cut text here.

Pure functions. A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes or brackets) followed by
white space and the start of a new sentence (a capital, a digit, a quote, a bracket, a bullet), except
after an abbreviation ("e.g.", "Art.", "U.S.", "Sept."), initials ("J. R."), a list label ("1.",
"(a)", "iv.") or a paragraph number run in after its heading ("Reporting obligations 4. Member States").
With ``lines=True`` (the default) a line break also ends a sentence, so list items,
table rows and headings stand alone; chunking passes ``lines=False`` because it keeps a paragraph's
line breaks inside its pieces.

    >>> split_sentences("Use MFA, e.g. TOTP. See Art. 32 for details.\\nDone!")
    ['Use MFA, e.g. TOTP.', 'See Art. 32 for details.', 'Done!']
"""

from __future__ import annotations

import re

# Lower case, without the final dot: compared with the last word before a candidate boundary.
ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "etc", "vs", "cf", "al", "approx", "incl", "ref", "nr", "no", "nos", "vol", "ch",
        "req", "reqs", "std", "appx", "cl",
        "art", "sec", "para", "fig", "p", "pp", "rev", "dept",
        "inc", "ltd", "co", "corp", "mr", "mrs", "ms", "dr", "st",
        "u.s", "u.k", "e.u",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\[(\"'“‘A-Z0-9•\-–])")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # "J." "U.S.A."
_LABEL = re.compile(r"\(?[0-9a-zA-Z]{1,3}[.)]")  # a list label ("1.", "(a)", "iv.") opening a sentence
_NUMBER = re.compile(r"(?:\d{1,3}|[a-z])\.")  # a paragraph number or letter run in after a heading


def _ends_sentence(candidate: str) -> bool:
    """Whether ``candidate`` (text up to a boundary's punctuation) ends a sentence, not an abbreviation."""
    words = candidate.split()
    last = words[-1] if words else ""
    if last.rstrip(".").lower() in ABBREVIATIONS or _INITIALS.fullmatch(last):
        return False
    if len(words) >= 2 and _NUMBER.fullmatch(last) and words[-2].rstrip(".").lower() not in ABBREVIATIONS:
        return False  # "obligations 4. Member", "Scanning a. Monitor"; not a reference ("p. 7.", "No. 4.")
    return not (len(words) == 1 and _LABEL.fullmatch(last))


def split_sentences(text: str, *, lines: bool = True) -> list[str]:
    """Sentences of ``text``, stripped, empty ones dropped; with ``lines`` a line break ends one too."""
    out: list[str] = []
    for line in text.splitlines() if lines else [text]:
        line = line.strip()
        start = 0
        for m in _BOUNDARY.finditer(line):
            if not _ends_sentence(line[start : m.start() + 1]):
                continue
            piece = line[start : m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out
