"""Plain text and Markdown loaders, and the text decoding that every text-based loader uses.

Headings in plain text are found by ``ingest.loaders.headings``; Markdown says where its headings are.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.headings import lines_to_blocks
from ingest.types import Block, LoadedDocument, Page

# --- decoding -----------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Scripts for which a single-byte guess other than cp1252 is believable.
_LATIN_ALPHABETS = {
    "Basic Latin",
    "Latin-1 Supplement",
    "Latin Extended-A",
    "Latin Extended-B",
    "General Punctuation",
    "Currency Symbols",
    "Letterlike Symbols",
    "Spacing Modifier Letters",
}


def decode_text(data: bytes, path: str) -> str:
    """Decode bytes of a text file: BOM first, then strict UTF-8, then charset-normalizer's best guess.

    For Latin-script text the detector often cannot tell cp1250, cp1252 and their relatives apart, so
    cp1252 (a superset of latin-1's printable range that also holds the "–" and curly quotes Word writes)
    is preferred unless it yields symbols in the middle of words.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(
                    path,
                    f"text file starts with a {encoding.upper()} byte-order mark "
                    "but is not valid in that encoding",
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data):
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    if b"\x00" in data:
        raise IngestError(path, "file is not text: it contains binary data")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    guessed = str(best)
    if not set(best.alphabets) <= _LATIN_ALPHABETS | {"Control character"}:
        return guessed  # Cyrillic, Greek, CJK ...: trust the detector
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return guessed
    # Short Latin-script texts are ambiguous between cp1250, cp1252 and friends; prefer cp1252 unless it
    # puts symbols inside words ("Has³a" is Polish "Hasła" read as cp1252).
    return western if _oddities(western) <= _oddities(guessed) else guessed


def _oddities(text: str) -> int:
    """Count non-letters (other than apostrophes and hyphens) squeezed between two letters."""
    return sum(
        1
        for i in range(1, len(text) - 1)
        if not text[i].isalpha()
        and text[i] not in "'’‘-–."
        and not text[i].isspace()
        and not text[i].isascii()
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > 0.3 * half and min(even_nuls, odd_nuls) < 0.05 * half


# --- loaders ------------------------------------------------------------------------------------------


def load_text(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(data, str(path)).replace("\r\n", "\n").replace("\r", "\n")
    blocks = lines_to_blocks(text.split("\n"))
    if not blocks:
        raise IngestError(str(path), "text file contains only whitespace")
    title = next((b.text for b in blocks if b.kind == "heading"), "") or path.stem
    return LoadedDocument(str(path), title, (Page(None, tuple(blocks)),))


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_TABLE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_MD_FENCE = re.compile(r"^(```|~~~)")


def md_table_row(line: str) -> str:
    cells = line.strip().strip("|").split("|")
    return " | ".join(md_inline(c).strip() for c in cells)


def md_inline(text: str) -> str:
    """Drop inline Markdown markup that would only add noise: images, link targets, emphasis markers."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return text.replace("`", "")


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(data, str(path)).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[0].strip() in ("---", "+++"):  # YAML (or TOML) front matter
        fence = ("---", "...") if lines[0].strip() == "---" else ("+++",)
        end = next((i for i, ln in enumerate(lines[1:], 1) if ln.strip() in fence), None)
        if end is not None:
            lines = lines[end + 1 :]
    lines = strip_markup_noise("\n".join(lines)).split("\n")
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        blocks.extend(lines_to_blocks([md_inline(ln) for ln in pending], detect_headings=False))
        pending.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        m = _MD_HEADING.match(stripped)
        if m:
            flush()
            title = md_inline(m.group(2)).strip()
            if title:
                blocks.append(Block("heading", title, len(m.group(1))))
            i += 1
            continue
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        setext = re.fullmatch(r"=+|-{3,}", nxt) is not None
        if stripped and setext and not pending_is_open(pending) and not stripped.startswith("|"):
            flush()
            blocks.append(Block("heading", stripped, 1 if nxt[0] == "=" else 2))
            i += 2
            continue
        if _MD_FENCE.match(stripped):
            flush()
            marker = stripped[:3]
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(marker):
                j += 1
            code = "\n".join(lines[i + 1 : j]).strip()
            if code:
                blocks.append(Block("paragraph", code))
            i = j + 1
            continue
        if "|" in stripped and _MD_TABLE_SEP.match(nxt) and "|" in nxt + stripped.strip("|"):
            flush()
            rows = [md_table_row(stripped)]
            j = i + 2
            while j < len(lines) and "|" in lines[j]:
                rows.append(md_table_row(lines[j]))
                j += 1
            blocks.append(Block("table", "\n".join(rows)))
            i = j
            continue
        pending.append("" if re.fullmatch(r"(?:[-*_]\s*){3,}", stripped) else line)  # thematic break
        i += 1
    flush()
    if not blocks:
        raise IngestError(str(path), "Markdown file contains only whitespace")
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "") or path.stem
    return LoadedDocument(str(path), title, (Page(None, tuple(blocks)),))


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_MACRO = re.compile(r"\{%-?.*?-?%\}|\{\{-?.*?-?\}\}|\{#.*?#\}", re.DOTALL)


def strip_markup_noise(text: str) -> str:
    """HTML comments and template macros (Jinja/Liquid "{% ... %}", "{{ ... }}", "{# ... #}") removed;
    a line that held only them becomes blank, so no text is glued together."""

    def blank(m: re.Match[str]) -> str:
        return "\n" * m.group(0).count("\n")

    return _MACRO.sub(blank, _COMMENT.sub(blank, text))


def pending_is_open(pending: list[str]) -> bool:
    """True when the previous line belongs to a paragraph; a setext underline then ends that paragraph
    instead of making a heading (a simplification of CommonMark)."""
    return bool(pending and pending[-1].strip())
