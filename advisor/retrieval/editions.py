"""Editions of one document series: "HIPAA_Risk_Assessment_2025.pdf" and "HIPAA_Risk_Assessment_2026.pdf"
are two editions of the client's risk assessment, and the later one supersedes the earlier for a question
that names neither year. Pure functions over (source, document type) pairs.

    >>> superseded([("Pentest_2024.pdf", "audit_report"), ("Pentest_2025.pdf", "audit_report")])
    {'Pentest_2024.pdf': 'Pentest_2025.pdf'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

RECORDS = frozenset({"minutes"})  # records of events: an older one is history, not an outdated edition
# What varies between editions of one series: dates, years, quarters, months, version and draft markers.
_EDITION = re.compile(
    r"(?<![a-z0-9])(?:(?:fy)?(?:19|20)\d\d(?:[-_.]?(?:19|20)?\d\d){0,2}|q[1-4]|h[12]|fy|v\d+(?:[._]\d+)*|rev\d*|draft|final|"
    r"jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)(?![a-z0-9])",
    re.I,
)


def years_in(text: str) -> list[int]:
    """The years a text names ("the 2025 assessment" -> [2025]; not "12025" or "2025-3")."""
    return [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]


def year_of(source: str) -> int | None:
    """The latest year the file name carries ("SOC2_2024-2025.pdf" -> 2025), or None."""
    years = years_in(PurePosixPath(source).stem)
    return max(years) if years else None


def series_key(source: str) -> str:
    """The file name without what changes from one edition to the next."""
    stem = PurePosixPath(source).stem.lower()
    return " ".join(re.split(r"[^a-z0-9]+", _EDITION.sub(" ", stem.replace("_", " ")))).strip()


def superseded(documents: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{older edition: the latest edition} among documents of one type whose names differ only by their
    year, date, quarter or version; documents without a year in their name, and records such as minutes,
    are never superseded."""
    series: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for source, doc_type in set(documents):
        if doc_type in RECORDS:
            continue
        year = year_of(source)
        key = series_key(source)
        if year is not None and key:
            series.setdefault((doc_type, key), []).append((year, source))
    out: dict[str, str] = {}
    for editions in series.values():
        latest_year, latest = max(editions)
        out.update({source: latest for year, source in editions if year < latest_year})
    return out
