"""Reading grade of an answer (Flesch-Kincaid), after removing citation markers and Markdown.

Pure functions: no I/O, no project imports, deterministic.
"""

from __future__ import annotations

import re
from typing import Any

_SPACE = re.compile(r"\s+")
_MARKERS = re.compile(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+")
_LIST_OR_HEADING = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s)")
_EMPHASIS = re.compile(r"[*_`~]+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def _plain_text(text: str) -> str:
    text = _LINK.sub(r"\1", _MARKERS.sub("", text))
    lines = []
    for line in text.splitlines():
        if _TABLE_RULE.match(line) or line.strip() in {"---", "***", "___"}:
            continue
        item = bool(_LIST_OR_HEADING.match(line))
        line = _EMPHASIS.sub("", _LINE_PREFIX.sub("", line)).replace("|", " ")
        line = _SPACE.sub(" ", line).strip()
        if not line:
            continue
        if item and line[-1] not in ".!?:;":
            line += "."  # a heading or bullet is its own sentence, not part of the next one
        lines.append(line)
    return _SPACE.sub(" ", " ".join(lines)).strip()


_READABILITY: Any = None


def flesch_kincaid_grade(text: str) -> float:
    """Flesch-Kincaid grade = 0.39 · words/sentences + 11.8 · syllables/words − 15.59 (textstat).

    Citation markers ("[1]", "[1, 2]", "[3-5]") and Markdown (headings, emphasis, code ticks,
    links -> link text, list bullets, blockquotes, table pipes and rules) are stripped first; a
    heading or bullet without final punctuation ends a sentence. Syllables are counted with
    textstat's Pyphen hyphenation (lang "en-US") rather than CMUdict: textstat's CMUdict path
    downloads NLTK data at run time, which fails offline. Unrounded. Empty text -> 0.0.
    """
    global _READABILITY
    if _READABILITY is None:
        from textstat.textstat import textstatistics

        scorer = textstatistics()
        scorer.set_lang("en-US")  # root "en-US" != "en": textstat skips CMUdict, uses Pyphen
        if hasattr(scorer, "set_rounding_points"):
            scorer.set_rounding_points(None)
        _READABILITY = scorer
    plain = _plain_text(text)
    return float(_READABILITY.flesch_kincaid_grade(plain)) if plain else 0.0
