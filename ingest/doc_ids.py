"""Identifiers that documents give their own items, found by shape rather than from a list.

Audit and penetration-test reports number their findings in many ways: "F-01", "R-04",
"TOB-K8S-038", "NCC-E003660-4Y7", "CVE-2021-44228", or in words: "Recommendation 8", "Finding 3.2",
"Observation 4". Two shapes cover them:

- a code: a capital letter, then capitals/digits, then one to three dash-separated parts, with at
  least one digit somewhere ("F-01", "TOB-K8S-038"); dates and plain numbers are not codes;
- a named item: an item word ("Finding", "Recommendation", "Observation", "Issue", "Risk", "Action",
  "Item", "Discovery", "Vulnerability", "Exception", "Table", "Figure", "Appendix") and a number
  ("3", "3.2", "A.1").

:func:`doc_ids` returns them in a canonical form (codes upper-case, named items "Recommendation 8")
that is also the exact-match key; :func:`mentions` tells whether a text mentions a given id.
Pure functions.
"""

from __future__ import annotations

import re

_CODE = re.compile(
    r"(?<![\w.-])(?=[A-Za-z0-9-]*\d)([A-Z][A-Z0-9]{0,11}(?:-[A-Z0-9]{1,12}){1,3})(?![\w-])(?!\s*\()"
)
ITEM_WORDS = (
    "finding",
    "recommendation",
    "observation",
    "issue",
    "risk",
    "action",
    "item",
    "discovery",
    "vulnerability",
    "exception",
    "deficiency",
    "table",
    "figure",
    "appendix",
)
_NAMED = re.compile(
    r"\b("
    + "|".join(ITEM_WORDS)
    + r")s?\s+(?:no\.\s*|#\s*)?([A-Z]?\d{1,3}(?:\.\d{1,3}){0,2}|[A-Z])\b(?![.-]\d)",
    re.IGNORECASE,
)


def doc_ids(text: str) -> list[str]:
    """Item identifiers in ``text``, canonical, in order of appearance, without duplicates."""
    found: list[tuple[int, str]] = []
    for m in _CODE.finditer(text):
        found.append((m.start(), m.group(1).upper()))
    for m in _NAMED.finditer(text):
        word, number = m.group(1), m.group(2)
        if len(number) == 1 and number.isalpha() and word.lower() != "appendix":
            continue  # "Risk A" is not an id, "Appendix A" is
        found.append((m.start(), f"{word.capitalize()} {number.upper()}"))
    return list(dict.fromkeys(i for _, i in sorted(found)))


def mentions(text: str, ident: str) -> bool:
    """Whether ``text`` names the item ``ident`` (as :func:`doc_ids` spells it)."""
    if " " in ident:
        word, number = ident.split(" ", 1)
        rx = rf"\b{re.escape(word)}s?\s+(?:no\.\s*|#\s*)?{re.escape(number)}\b(?![.-]\d)"
        return re.search(rx, text, re.IGNORECASE) is not None
    return re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", text, re.IGNORECASE) is not None


def id_key(ident: str) -> str:
    """The lexical-index token for an id: "doc:tob-k8s-038", "doc:recommendation_8"."""
    return "doc:" + re.sub(r"\s+", "_", ident.lower())


def is_record_id(cell: str) -> bool:
    """Whether a table cell looks like a row id of a register ("R-04", "F-01", "TOB-K8S-038", "V12")."""
    cell = cell.strip()
    return bool(re.fullmatch(r"[A-Za-z]{1,6}[-_.]?\d{1,5}(?:\.\d{1,3})?", cell) or _CODE.fullmatch(cell))
