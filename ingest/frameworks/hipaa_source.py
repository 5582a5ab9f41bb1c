"""The HIPAA sections as published in Markdown (Aptible's transcription of 45 CFR, one file per section).

``sections/<part>-<section>-<slug>.md`` holds one CFR section without its heading. Paragraph nesting is
blockquote depth (``(a)`` at depth 0, ``> (1)`` at 1, ``> > (i)`` at 2, …), paragraphs are separated by
blank lines, some files hard-wrap a paragraph over several lines (the continuation lines carry no
``>``), a literal "(" is sometimes written ``&#40;``, and cross-references are site links such as
``[§ 164.306](/hipaa/regulations/164-306-security-general/)``. The Federal Register source note
(``[68 FR 8376, …]``) closes the section, in one hard-wrapped file without a blank line before it.

:func:`paragraph_lines` turns a file into one line per paragraph, two spaces of indent per nesting
level, links as their text, entities decoded and whitespace squashed: the layout the HIPAA parser splits.
The section headings are not in the files (the site keeps them in its ``data/hipaa.yml``): ``HEADINGS``
holds the CFR's official section headings and subpart titles.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.frameworks import file_digest

SECTIONS_DIR = "sections"

_SUBPART_A = ("Subpart A", "General Provisions")
_SUBPART_C = ("Subpart C", "Security Standards for the Protection of Electronic Protected Health Information")
_SUBPART_D = ("Subpart D", "Notification in the Case of Breach of Unsecured Protected Health Information")

# section -> (CFR section heading, (subpart, subpart title)), in CFR order
HEADINGS: dict[str, tuple[str, tuple[str, str]]] = {
    "160.103": ("Definitions", _SUBPART_A),
    "164.102": ("Statutory basis", _SUBPART_A),
    "164.103": ("Definitions", _SUBPART_A),
    "164.104": ("Applicability", _SUBPART_A),
    "164.105": ("Organizational requirements", _SUBPART_A),
    "164.106": ("Relationship to other parts", _SUBPART_A),
    "164.302": ("Applicability", _SUBPART_C),
    "164.304": ("Definitions", _SUBPART_C),
    "164.306": ("Security standards: General rules", _SUBPART_C),
    "164.308": ("Administrative safeguards", _SUBPART_C),
    "164.310": ("Physical safeguards", _SUBPART_C),
    "164.312": ("Technical safeguards", _SUBPART_C),
    "164.314": ("Organizational requirements", _SUBPART_C),
    "164.316": ("Policies and procedures and documentation requirements", _SUBPART_C),
    "164.318": ("Compliance dates for the initial implementation of the security standards", _SUBPART_C),
    "164.400": ("Applicability", _SUBPART_D),
    "164.402": ("Definitions", _SUBPART_D),
    "164.404": ("Notification to individuals", _SUBPART_D),
    "164.406": ("Notification to the media", _SUBPART_D),
    "164.408": ("Notification to the Secretary", _SUBPART_D),
    "164.410": ("Notification by a business associate", _SUBPART_D),
    "164.412": ("Law enforcement delay", _SUBPART_D),
    "164.414": ("Administrative requirements and burden of proof", _SUBPART_D),
}

_FILE = re.compile(r"^(?P<part>\d{3})-(?P<section>\d{3})-[a-z0-9-]+\.md$")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\s]*\)")
_NOTE = re.compile(r"^\[\d+ FR ")  # the Federal Register source note


@dataclass(frozen=True)
class SectionText:
    number: str  # "164.308"
    title: str  # the CFR section heading
    part: str  # "164"
    subpart: str  # "Subpart C"
    subpart_title: str
    lines: tuple[str, ...]  # one line per paragraph (see ``paragraph_lines``)
    path: Path
    digest: str  # sha256 of the Markdown file


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_LINK.sub(r"\1", text))).strip()


def paragraph_lines(markdown: str) -> list[str]:
    """One line per paragraph: two spaces per blockquote level, then the paragraph's text on one line."""
    paragraphs: list[tuple[int, list[str]]] = []
    open_paragraph = False
    for raw in markdown.splitlines():
        rest = raw.lstrip("> ")
        depth = raw[: len(raw) - len(rest)].count(">")
        if not rest.strip():
            open_paragraph = False  # a blank line (or a bare ">") ends the paragraph
            continue
        if open_paragraph and not depth and not _NOTE.match(rest):
            paragraphs[-1][1].append(rest)  # a hard-wrapped continuation line
            continue
        paragraphs.append((depth, [rest]))
        open_paragraph = True
    return ["  " * depth + _clean(" ".join(parts)) for depth, parts in paragraphs]


def read_sections(folder: Path) -> list[SectionText]:
    """Every section of ``HEADINGS`` from ``folder/sections``, in CFR order."""
    directory = Path(folder) / SECTIONS_DIR
    files: dict[str, Path] = {}
    for path in sorted(directory.glob("*.md")):
        m = _FILE.match(path.name)
        number = f"{m['part']}.{m['section']}" if m else ""
        if number not in HEADINGS:
            raise ValueError(f"HIPAA: {path} is not one of the {len(HEADINGS)} known CFR sections")
        files[number] = path
    out: list[SectionText] = []
    for number, (title, (subpart, subpart_title)) in HEADINGS.items():
        if number not in files:
            pattern = directory / f"{number.replace('.', '-')}-*.md"
            raise FileNotFoundError(2, f"no Markdown file for 45 CFR {number}", str(pattern))
        path = files[number]
        lines = paragraph_lines(path.read_text(encoding="utf-8"))
        if not lines:
            raise ValueError(f"HIPAA: {path} holds no text")
        out.append(
            SectionText(
                number,
                title,
                number.split(".")[0],
                subpart,
                subpart_title,
                tuple(lines),
                path,
                file_digest(path),
            )
        )
    return out
