"""Sentence splitting and [n] citation markers. Pure functions."""

from __future__ import annotations

import re

_ABBREV = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "Art.",
    "No.",
    "Nos.",
    "Inc.",
    "Ltd.",
    "Co.",
    "Corp.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "Dr.",
    "St.",
    "U.S.",
    "U.K.",
    "E.U.",
    "approx.",
    "Sec.",
    "Fig.",
    "p.",
    "pp.",
    "cf.",
    "al.",
    "Rev.",
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Para.",
    "para.",
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\[(\"'A-Z0-9•\-–])")
_MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\(?[a-z0-9]{1,3}[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; line breaks (list items, table rows, headings) also end a sentence."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _BOUNDARY.finditer(line):
            candidate = line[start : m.start() + 1].rstrip()
            last = candidate.split()[-1] if candidate.split() else ""
            if last in _ABBREV or re.fullmatch(r"(?:[A-Z]\.)+|\(?[0-9a-zA-Z]{1,3}[.)]", last):
                continue  # an abbreviation, initials, or a list label such as "1." or "(a)"
            piece = line[start : m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out


def markers(sentence: str) -> list[int]:
    """The citation numbers in a sentence, in order, without repeats: "x [2][1, 3]" -> [2, 1, 3]."""
    nums: list[int] = []
    for m in _MARKER.finditer(sentence):
        for n in m.group(1).split(","):
            v = int(n)
            if v not in nums:
                nums.append(v)
    return nums


def strip_markers(sentence: str) -> str:
    return _MARKER.sub("", sentence).strip()


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1)


def with_markers(sentence: str, numbers: list[int]) -> str:
    """Put ``numbers`` as markers at the end of the sentence, before its final punctuation mark."""
    body = strip_markers(sentence)
    if not numbers:
        return body
    tag = "".join(f"[{n}]" for n in numbers)
    m = re.search(r"([.!?:;]+)$", body)
    if m:
        return f"{body[: m.start()]} {tag}{m.group(1)}"
    return f"{body} {tag}"
