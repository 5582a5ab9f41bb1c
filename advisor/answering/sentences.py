"""[n] citation markers in sentences, the project's one sentence splitter (:mod:`ingest.sentences`), and
the heading a client sentence is read under (and the share of topic words it holds there). Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.models import Passage
from advisor.retrieval.synonyms import share
from ingest.sentences import split_sentences

__all__ = [
    "cited",
    "heading",
    "markers",
    "split_sentences",
    "strip_bullet",
    "strip_markers",
    "topic_share",
    "with_markers",
]

_MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\(?[a-z0-9]{1,3}[.)])\s+")


def heading(passage: Passage) -> str:
    """The section heading a client passage's sentences are read under ("5.3 Account Lockout": "Owner:
    Priya Raman." answers "who owns the lockout finding" only under it); "" for a regulation clause, whose
    text carries its topic."""
    c = passage.chunk
    return c.section.split(" > ")[-1] if c.client is not None and c.section else ""


def topic_share(words: Sequence[str], passage: Passage, sentence: str) -> float:
    """The share of ``words`` (by stem or synonym) that ``sentence`` of ``passage`` holds, read under its
    section heading."""
    return share(words, f"{heading(passage)} {sentence}")


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


def cited(sentence: str, numbers: Sequence[int]) -> str:
    """``sentence`` with its [n] markers before its final . ! or ? (a full stop when it has none):
    how the answer engines cite a sentence they quote. ``cited("MFA is required", [2])`` -> "MFA is
    required [2]."."""
    s = sentence.rstrip()
    end = s[-1] if s and s[-1] in ".!?" else "."
    body = s[:-1].rstrip() if s and s[-1] in ".!?" else s
    return f"{body} {''.join(f'[{n}]' for n in numbers)}{end}"


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
