"""Text normalisation at ingest: one place that every loader's output goes through.

Real documents carry characters that look right on screen but break matching: ligatures ("certiﬁcate"
does not match "certificate"), non-breaking and other odd spaces, soft hyphens, zero-width characters,
NUL bytes where a PDF glyph was lost, control characters, and words broken across lines with a hyphen.

- :func:`normalise_text` cleans a whole text (lines kept, a hyphenated line break rejoined);
- :func:`normalise_line` cleans one line (no line breaks in the result);
- :func:`normalise_document` applies ``normalise_text`` to every block of a ``LoadedDocument``.

All are pure. Injection detection and any other text check should look at normalised text, so that
"ig\u200bnore previous instructions" cannot hide behind an invisible character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ingest.types import Block, LoadedDocument, Page

# Characters dropped outright: soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c"
        "\u202d\u202e\u2066\u2067\u2068\u2069\u180e",
    ),
    None,
)
# Control characters other than tab and newline (NUL included) become nothing; form feed and
# vertical tab are line breaks.
_CONTROLS = {
    **{c: None for c in range(32) if c not in (9, 10, 11, 12, 13)},
    127: None,
    **{c: None for c in range(0x80, 0xA0)},
    11: "\n",
    12: "\n",
}
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHEN_BREAK = re.compile(r"([A-Za-zÀ-ÖØ-öø-ÿ]{2,})-\n[ \t]*([a-zà-öø-ÿ]{2,})")


def normalise_line(line: str) -> str:
    """One line, cleaned: NFKC (ligatures, full-width forms, odd spaces), invisible and control
    characters removed, runs of spaces collapsed, ends stripped. Line breaks become spaces."""
    return " ".join(_clean(line).split())


def normalise_text(text: str) -> str:
    """A text, cleaned like :func:`normalise_line` line by line; a word hyphenated at a line end is
    rejoined ("authen-\\ntication" -> "authentication"); more than one blank line becomes one."""
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_INVISIBLE).translate(_CONTROLS)


def normalise_document(doc: LoadedDocument) -> LoadedDocument:
    """Every block of every page normalised; blocks left empty are dropped, and so are pages left
    without blocks (their numbering is kept by the others)."""
    pages: list[Page] = []
    for page in doc.pages:
        blocks = []
        for block in page.blocks:
            text = _one_block(block)
            if text:
                blocks.append(Block(block.kind, text, block.level))
        if blocks:
            pages.append(replace(page, blocks=tuple(blocks)))
    return replace(doc, title=normalise_line(doc.title) or doc.title, pages=tuple(pages))


def _one_block(block: Block) -> str:
    if block.kind == "heading":
        return normalise_line(block.text)
    if block.kind == "table":  # rows stay rows: no hyphen joining across them
        rows = (
            " | ".join(normalise_line(cell) for cell in row.split(" | ")) for row in block.text.split("\n")
        )
        return "\n".join(row for row in rows if row.strip(" |"))
    return normalise_text(block.text)
