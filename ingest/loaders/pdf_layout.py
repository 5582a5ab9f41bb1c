"""Page furniture of PDFs: running headers and footers, and the page numbers printed on the pages.

Pure functions over the text lines of each page (lines already normalised, blank lines kept as "").

- :func:`printed_page_numbers` finds the number printed in each page's header or footer ("5",
  "Page 5 of 23", "Page | 3 of 23", "April 2, 2018 5", "iv") and keeps those that follow the physical
  page order with a constant offset on several pages, so a stray number in a header is not taken for
  a page number;
- :func:`strip_furniture` removes page numbers and running headers/footers from the top and bottom
  lines of each page: a line with the same text on most pages, or a text whose number follows the
  page number on three pages or more.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.loaders.headings import is_page_furniture

_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_PAGE_WORD = re.compile(r"(?:^|\s|\|)page\s*\|?\s*(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?\b", re.IGNORECASE)
_N_OF_M = re.compile(r"(?:^|\s)(\d{1,4})\s*(?:of|/)\s*\d{1,4}$", re.IGNORECASE)
_EDGE_NUMBER = re.compile(r"^(\d{1,4})(?:\s+\S.*)?$|^.*\S\s+(\d{1,4})$")


def edge_indexes(lines: list[str], depth: int = 2) -> list[int]:
    """Indexes of the first and last ``depth`` non-blank lines (the header and footer zone)."""
    nonblank = [i for i, ln in enumerate(lines) if ln]
    return sorted(set(nonblank[:depth] + nonblank[-depth:]))


def _candidates(line: str) -> list[str]:
    """Page numbers a header/footer line may hold, as printed ("5", "iv")."""
    line = line.strip()
    low = line.lower()
    if _ROMAN.match(low) and len(low) <= 6:
        return [low]
    if m := _PAGE_WORD.search(line):
        return [m.group(1)]
    if m := _N_OF_M.search(line):
        return [m.group(1)]
    found: list[str] = []
    if m := _EDGE_NUMBER.match(line):
        found.extend(g for g in m.groups() if g)
    return found


def printed_page_numbers(pages: list[list[str]]) -> list[str | None]:
    """The printed page number of each page (None where none is found).

    Arabic numbers count only when the offset between the physical page and the printed number is
    shared by at least three pages (or by every page with a number, in a document of two or three
    pages); roman numerals count when at least two pages have one in the header/footer zone.
    """
    per_page: list[list[str]] = []
    offsets: Counter[int] = Counter()
    for number, lines in enumerate(pages, 1):
        cands = [c for i in edge_indexes(lines) for c in _candidates(lines[i])]
        per_page.append(cands)
        offsets.update({number - int(c) for c in cands if c.isdigit()})
    numbered_pages = sum(1 for c in per_page if any(x.isdigit() for x in c))
    need = 3 if len(pages) > 3 else max(1, numbered_pages)
    good = {off for off, n in offsets.items() if n >= need}
    romans = sum(1 for c in per_page if any(not x.isdigit() for x in c))
    labels: list[str | None] = []
    for number, cands in enumerate(per_page, 1):
        label = next((c for c in cands if c.isdigit() and number - int(c) in good), None)
        if label is None and romans >= 2:
            label = next((c for c in cands if not c.isdigit()), None)
        labels.append(label)
    return labels


def strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines with page numbers and running headers/footers in its edge zone blanked."""
    with_text = [p for p in pages if any(p)]
    edges = [set(edge_indexes(lines)) for lines in pages]
    numbered: Counter[tuple[str, int]] = Counter()
    counts: Counter[str] = Counter()
    for number, (lines, idx) in enumerate(zip(pages, edges), 1):
        counts.update({running_key(lines[i]) for i in idx})
        numbered.update({k for i in idx if (k := _numbered_key(lines[i], number)) is not None})
    repeated: set[str] = set()
    if len(with_text) >= 3:
        repeated = {ln for ln, c in counts.items() if ln and c >= max(3, 0.6 * len(with_text))}
    running = {k for k, c in numbered.items() if c >= 3}
    cleaned: list[list[str]] = []
    for number, (lines, idx) in enumerate(zip(pages, edges), 1):
        cleaned.append(
            [
                ""
                if i in idx
                and (
                    is_page_furniture(ln)
                    or _is_page_marker(ln)
                    or running_key(ln) in repeated
                    or _numbered_key(ln, number) in running
                )
                else ln
                for i, ln in enumerate(lines)
            ]
        )
    return cleaned


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys (see :func:`running_key`) of lines that recur in the edge zone of most pages."""
    with_text = [p for p in pages if any(p)]
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({running_key(lines[i]) for i in edge_indexes(lines)})
    if len(with_text) < 3:
        return set()
    return {k for k, c in counts.items() if k and c >= max(3, 0.6 * len(with_text))}


def _is_page_marker(line: str) -> bool:
    """ "Page | 3 of 23", "- 4 -", "iv" alone on a line."""
    low = line.strip().lower()
    return bool(
        re.fullmatch(r"page\s*\|?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]", low)
        or (_ROMAN.match(low) and len(low) <= 6)
    )


def _numbered_key(line: str, page: int) -> tuple[str, int] | None:
    """(text without its leading or trailing number, page minus that number), or None."""
    m = re.fullmatch(r"(?P<text>.*[^\d\s.])\s+(?P<n>\d{1,4})|(?P<n2>\d{1,4})\s+(?P<text2>[^\d\s.].*)", line)
    if m is None:
        return None
    text, n = (m.group("text"), m.group("n")) if m.group("n") else (m.group("text2"), m.group("n2"))
    return text.strip().lower(), page - int(n)


def running_key(line: str) -> str:
    """A running header/footer with its page number masked ("Acme – page 3" and "Acme – page 4" match).

    A bare leading or trailing number is masked only next to a separator ("Acme Corp | 3"), so that
    headings such as "Finding 1", "Finding 2" at the top of consecutive pages are kept.
    """
    line = line.strip().lower()
    line = re.sub(r"\bpage\s*\|?\s*\d+(?:\s*(?:of|/)\s*\d+)?|\b\d+\s*(?:of|/)\s*\d+\b", "page #", line)
    return re.sub(r"(?:^\d+\s+|\s+\d+$)", " #", line) if re.search(r"[|–—·•-]", line) else line
