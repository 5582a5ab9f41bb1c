"""Structure from unmarked text: headings, list items and paragraphs found in plain lines.

Plain text and PDF page text carry no markup, so headings are found heuristically: a line that starts
with a section number ("4", "4.2", "4.2.1", "F-03", "Section 5") followed by a short title, or a
short all-caps or title-case line standing on its own. Wrapped lines of a paragraph are rejoined and
words hyphenated at a line end are put back together.
"""

from __future__ import annotations

import re

from ingest.types import Block

# --- heading and list detection ----------------------------------------------------------------------

_SECTION_ID = r"(?:\d{1,3}(?:\.\d{1,3})*|(?-i:[A-Z]|[IVXLC]{1,6})(?:\.\d{1,3})*)"
_NUMBER = (
    r"(?:(?:section|chapter|part|article|art\.|appendix|annex|clause|schedule)\s+"
    + _SECTION_ID
    + r"|\d{1,3}(?:\.\d{1,3}){0,5}"
    r"|(?-i:[A-Z]{1,4})-\d{1,4}(?:\.\d{1,3})*"
    r")"
)
_NUMBERED = re.compile(r"^(?P<num>" + _NUMBER + r")(?P<sep>[.):]?)\s+(?P<title>\S.*)$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(
    r"^(?:section|chapter|part|article|appendix|annex)\s+" + _SECTION_ID + r"[.:]?$", re.IGNORECASE
)
_BULLET = re.compile(r"^(?:[-*•◦▪●○■–]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\d{1,2}[.)](?!\d))\s+\S", re.IGNORECASE)
_MODAL = re.compile(
    r"\b(?:must|shall|should|will|may|can|is|are|was|were|has|have|be|being|been|"
    r"need|needs|requires?|do|does)\b",
    re.IGNORECASE,
)
_SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "vs",
    "vs.",
    "via",
    "per",
    "into",
    "&",
    "-",
    "–",
    "/",
}
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_NUMERIC = re.compile(r"(?<!\S)\d\S*")
_FIELD = re.compile(r"^[A-Z][\w /&().-]{0,30}:\s+\S")
_CODE_CHARS = set("_*=<>{}[]#@\\|~^$;")
_TOC = re.compile(r"(?:\.\s?){4,}\s*[\divxlc]+$|…{2,}\s*[\divxlc]+$", re.IGNORECASE)
_PAGE_FOOTER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)

MAX_HEADING_CHARS = 90
MAX_HEADING_WORDS = 12


def number_level(number: str) -> int:
    """Heading level from a section number: "4" → 1, "4.2" → 2, "F-03" → 2, "Section 5" → 1."""
    number = number.rstrip(".:)")
    words = number.split()
    if len(words) > 1:  # "Section 5.1"
        return 1 + words[-1].count(".")
    if number[:1].isdigit():
        return 1 + number.count(".")
    return 2 + number.count(".")  # "F-03", "AC-2": identifiers sit below a chapter


def is_numbered_heading(line: str) -> tuple[bool, int]:
    """(True, level) when ``line`` is a section number followed by a short title."""
    if _NUMBER_ONLY.match(line):
        return True, number_level(line)
    m = _NUMBERED.match(line)
    if m is None:
        return False, 0
    num, sep, title = m.group("num"), m.group("sep"), m.group("title").strip()
    if sep == ")":
        return False, 0  # "1) item" is a list item
    if not _short_title(title) or any(c in _CODE_CHARS for c in title):
        return False, 0
    if not (title[0].isupper() or title[0].isdigit() or title[0] in "(\"'“"):
        return False, 0
    if re.fullmatch(r"[\d.,%/\s-]+", title) or _DATE.search(title) or len(_NUMERIC.findall(title)) >= 2:
        return False, 0  # "F-05 No BAA Critical 164.314(a) 2026-04-30 Open" is a table row, not a heading
    return True, number_level(num)


def _short_title(title: str) -> bool:
    if len(title) > MAX_HEADING_CHARS or len(title.split()) > MAX_HEADING_WORDS:
        return False
    if title[-1] in ".,;:!?" and not title.endswith("..."):
        return False
    return _MODAL.search(title) is None


def _wordy(line: str) -> bool:
    """Starts with a letter and is mostly letters and spaces (not code, a number or a formula)."""
    if not line[:1].isalpha() or any(c in _CODE_CHARS for c in line):
        return False
    if re.search(r":\s*\S", line):
        return False  # "Effective Date: 2024-01-01" is a field, not a heading
    return sum(c.isalpha() or c == " " for c in line) >= 0.75 * len(line)


def is_toc_line(line: str) -> bool:
    """A table-of-contents entry: "2.1 Naming . . . . . 5" or "Scope ........ 3"."""
    return bool(_TOC.search(line))


def is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 3 or len(line) > 70 or len(line.split()) > 10 or not _wordy(line):
        return False
    if line[-1] in ".,;!?" or _BULLET.match(line):
        return False
    return sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def is_title_heading(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 8 or len(line) > 70 or line[-1] in ".,;:!?" or _BULLET.match(line):
        return False
    if not words[0][:1].isupper() or sum(c.isalpha() for c in line) < 4 or not _wordy(line):
        return False
    for word in words:
        w = word.strip("()\"'“”")
        if not w or w.lower() in _SMALL_WORDS or not w[0].isalpha():
            continue
        if not w[0].isupper():
            return False
    return _MODAL.search(line) is None


def is_clause_start(text: str) -> bool:
    """True when a paragraph begins with a clause number ("4.2.1 Passwords must ...", "F-03: ...")."""
    m = _NUMBERED.match(text)
    return (
        m is not None
        and m.group("sep") != ")"
        and ("." in m.group("num").rstrip(".") or "-" in m.group("num") or " " in m.group("num"))
    )


# --- lines → blocks -----------------------------------------------------------------------------------


class Numbering:
    """The last accepted section number, carried across the pages of one document.

    A numbered line only becomes a heading when its number plausibly follows the previous one
    (4.2 → 4.3, 4.2.1 or 5; one number may be skipped at the current depth), so numbered rows of a
    table ("1 Weak Passwords High") under "5 Findings" are not taken for section 1. Numbering may
    restart at 0 or 1 after an unnumbered top-level heading ("APPENDIX", "Annex B").

    In a document with numbered sections, only the first unnumbered heading before section 1 is a
    heading (the title); later short lines there are subtitles and cover-page fields.
    """

    def __init__(self, numbered_document: bool = False) -> None:
        self.last: tuple[int, ...] | None = None
        self.level = 0  # level of the last numbered heading; unnumbered title headings go below it
        self.restart_ok = False
        self.numbered_document = numbered_document
        self.title_seen = False

    @classmethod
    def for_lines(cls, lines: list[str]) -> Numbering:
        """A state for a document whose lines are ``lines`` (it looks ahead for numbered sections)."""
        count = 0
        for line in lines:
            line = " ".join(line.split())
            if line[:1].isdigit() and is_numbered_heading(line)[0]:
                count += 1
                if count >= 2:
                    return cls(numbered_document=True)
        return cls()

    def in_front_matter(self) -> bool:
        return self.numbered_document and self.last is None and self.title_seen

    def top_level_break(self) -> None:
        """An unnumbered level-1 heading was seen: a new numbering may begin."""
        self.restart_ok = True

    def accept(self, number: str) -> bool:
        parts = number.rstrip(".").split(".")
        if not all(p.isdigit() for p in parts):
            return True  # "F-03", "Section 5": identifiers, not a sequence
        c = tuple(int(p) for p in parts)
        restart = self.restart_ok and c[0] <= 1 and all(x <= 1 for x in c[1:])
        if self.last is None or _follows(self.last, c) or restart:
            self.last, self.restart_ok = c, False
            return True
        return False


def _follows(last: tuple[int, ...], c: tuple[int, ...]) -> bool:
    if len(c) == len(last) + 1 and c[:-1] == last and 1 <= c[-1] <= 20:
        return True  # the first subsection of the current section may be any number: "4" -> "4.4" (a report
        # whose template dropped 4.1-4.3); the parent must match exactly, so table rows rarely pass
    for k in range(len(c)):
        if c[:k] != last[:k]:
            return False
        base = last[k] if k < len(last) else 0
        skip = 2 if len(last) == k + 1 or base == 0 else 1  # a skipped number only at the depth we are at
        if base < c[k] <= base + skip and all(x <= 1 for x in c[k + 1 :]):
            return True
    return False


def lines_to_blocks(
    lines: list[str], *, detect_headings: bool = True, numbering: Numbering | None = None
) -> list[Block]:
    """Group text lines into heading and paragraph blocks.

    Blank lines end paragraphs; bullets and numbered clauses start new ones; other lines are joined to
    the paragraph they continue (a word hyphenated at the line end is rejoined). Pass one ``numbering``
    for all pages of a document so that section numbers are checked across page breaks.
    """
    cleaned = [" ".join(raw.replace("\u00ad", "").split()) for raw in lines]
    numbering = numbering or Numbering.for_lines(cleaned)
    toc = _toc_lines(cleaned)
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = _join_lines(para)
            if text:
                blocks.append(Block("paragraph", text))
            para.clear()

    for i, line in enumerate(cleaned):
        if not line:
            flush()
            continue
        if i in toc or is_toc_line(line):
            flush()
            blocks.append(Block("paragraph", line))
            continue
        ends_sentence = not para or para[-1][-1] in '.:;!?)”"' or para[-1].endswith("...")
        if detect_headings:
            numbered, level = is_numbered_heading(line)
            first = line.split()[0]
            if numbered and first[:1].isdigit():
                mid_sentence = not ends_sentence and "." not in first.rstrip(".")
                if mid_sentence and numbering.last is None and first.rstrip(".:") not in ("0", "1"):
                    numbered = False  # "... every\n90 Days" is a wrapped sentence, not section 90
                elif not numbering.accept(first):
                    numbered = False
            if numbered:
                flush()
                blocks.append(Block("heading", line, level))
                numbering.level = level
                if not first[:1].isdigit() and level == 1:
                    numbering.top_level_break()  # "Appendix A", "Part 2"
                continue
            nxt = next((ln for ln in cleaned[i + 1 :] if ln), "")
            starts_next = not nxt or nxt[0].isupper() or nxt[0].isdigit() or _BULLET.match(nxt) is not None
            may_head = (
                (not para or para[-1][-1] in ".:;!?") and starts_next and not numbering.in_front_matter()
            )
            if may_head and not is_clause_start(line):
                if is_caps_heading(line):
                    flush()
                    blocks.append(Block("heading", line, 1))
                    numbering.top_level_break()
                    numbering.title_seen = True
                    continue
                if is_title_heading(line):
                    flush()
                    blocks.append(Block("heading", line, numbering.level + 1))
                    numbering.title_seen = True
                    continue
        field = _FIELD.match(line) is not None and _FIELD.match(para[-1]) is not None if para else False
        if para and (_BULLET.match(line) or is_clause_start(line) or field):
            flush()  # a list item, a clause, or the next "Owner: CISO" field of a document header
        para.append(line)
    flush()
    return blocks


def _toc_lines(lines: list[str]) -> set[int]:
    """Indexes of table-of-contents entries without dot leaders ("2.1 Naming 5"): numbered title lines
    ending in a page number, when at least three of them stand together on a page."""
    hits = {
        i
        for i, ln in enumerate(lines)
        if re.search(r"\D\s\d{1,3}$", ln) and is_numbered_heading(re.sub(r"\s\d{1,3}$", "", ln))[0]
    }
    return hits if len(hits) >= 3 else set()


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif re.search(r"[A-Za-zÀ-ÿ]-$", out) and line[:1].islower():
            out = out[:-1] + line  # "authen-\ntication" → "authentication"
        else:
            out = f"{out} {line}"
    return out.strip()


def is_page_furniture(line: str) -> bool:
    """Page numbers such as "3", "Page 3", "Page 3 of 10", "3/10"."""
    return bool(_PAGE_FOOTER.match(line.strip()))
