"""Cut a loaded document into citable chunks.

Rules, in order of priority:

- a chunk never spans two pages, so its page citation is exact;
- headings start new chunks and give each chunk its ``section`` (the heading path,
  "4 Access Control > 4.2 Passwords"); numbered clauses ("4.2.1 ...", "F-03 ...") start new chunks too;
- every chunk's text begins with its nearest heading line, once, so that it stands alone;
- paragraphs are merged up to ``max_chars`` (the embedding model reads about 256 word pieces, roughly
  1,000 characters); a longer paragraph is split at sentence boundaries;
- a table stays whole when it fits in ``2 * max_chars``; otherwise it is split by rows and every part
  repeats the header row. A register — a table whose first column is a unique id in every row
  ("R-04", "F-01", "V12", "TOB-K8S-038") — gives one chunk per row instead, with the id appended to the
  section
  ("Risk Register > R-04"), so that a row can be cited by its id;
- a tiny chunk (under a fifth of ``max_chars``) is merged into the previous chunk of the same section
  and page when the result still fits.

The function is pure and deterministic: the same document and arguments give the same chunks and ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.doc_ids import is_record_id
from ingest.loaders.headings import is_clause_start
from ingest.sentences import split_sentences
from ingest.types import Chunk, LoadedDocument, chunk_id

SECTION_SEPARATOR = " > "


@dataclass
class _Draft:
    page: int | None
    section: str | None
    heading: str | None
    kind: str  # "text" | "table"
    parts: list[str] = field(default_factory=list)
    label: str | None = None  # printed page number
    ocr: bool = False

    @property
    def body(self) -> str:
        return "\n".join(self.parts)

    def text(self) -> str:
        body = self.body
        if self.heading and body.split("\n", 1)[0] != self.heading:
            return f"{self.heading}\n{body}"
        return body


def chunk_document(
    doc: LoadedDocument,
    *,
    client: str | None,
    source: str,
    doc_type: str,
    sha256: str,
    ingested_at: str,
    max_chars: int = 1000,
    document_id: str | None = None,
) -> list[Chunk]:
    """Chunks of ``doc`` in document order; ``extra["ordinal"]`` is each chunk's 0-based position.

    Chunk ids hash ``document_id`` (the document's stable id within its client; ``source`` when absent),
    so two documents never share a chunk id even when their names or texts are the same.
    """
    if max_chars < 100:
        raise ValueError("max_chars must be at least 100")
    drafts = _merge_tiny(_drafts(doc, max_chars), max_chars)
    chunks: list[Chunk] = []
    for ordinal, draft in enumerate(drafts):
        text = draft.text()
        chunks.append(
            Chunk(
                id=chunk_id(client, document_id or source, f"{draft.page}:{draft.section}:{ordinal}", text),
                text=text,
                client=client,
                source=source,
                title=doc.title or None,
                doc_type=doc_type,
                page=draft.page,
                section=draft.section,
                sha256=sha256,
                ingested_at=ingested_at,
                extra=_page_extra(ordinal, draft),
            )
        )
    return chunks


def _page_extra(ordinal: int, draft: _Draft) -> dict:
    """Chunk metadata: its position, and the printed page label and OCR mark where there are any."""
    extra: dict = {"ordinal": ordinal}
    if draft.label is not None:
        extra["page_label"] = draft.label
    if draft.ocr:
        extra["ocr"] = True
    return extra


def _drafts(doc: LoadedDocument, max_chars: int) -> list[_Draft]:
    drafts: list[_Draft] = []
    stack: list[tuple[int, str]] = []  # (level, heading text), outermost first; it survives page breaks
    for page in doc.pages:
        current: _Draft | None = None

        def close() -> None:
            nonlocal current
            if current is not None and current.parts:
                drafts.append(current)
            current = None

        for block in page.blocks:
            text = block.text.strip()
            if not text:
                continue
            if block.kind == "heading":
                close()
                level = max(1, block.level)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, " ".join(text.split())))
                continue
            section = SECTION_SEPARATOR.join(h for _, h in stack) if stack else None
            heading = stack[-1][1] if stack else None
            head_len = len(heading) + 1 if heading else 0
            budget = max(max_chars - head_len, max_chars // 2)
            if block.kind == "table":
                close()
                records = record_rows(text)
                if records:  # a register: one chunk per row, cited by its id ("Risk Register > R-04")
                    for record_id, part in records:
                        row_section = f"{section}{SECTION_SEPARATOR}{record_id}" if section else record_id
                        drafts.append(
                            _Draft(page.number, row_section, heading, "table", [part], page.label, page.ocr)
                        )
                    continue
                for part in _split_table(text, budget, 2 * max_chars - head_len):
                    drafts.append(
                        _Draft(page.number, section, heading, "table", [part], page.label, page.ocr)
                    )
                continue
            if current is not None and is_clause_start(text):
                close()
            pieces = [text] if len(text) <= budget else split_pieces(text, budget)
            for piece in pieces:
                if current is not None and len(current.body) + 1 + len(piece) > budget:
                    close()
                if current is None:
                    current = _Draft(page.number, section, heading, "text", [], page.label, page.ocr)
                current.parts.append(piece)
        close()
    return drafts


def _merge_tiny(drafts: list[_Draft], max_chars: int) -> list[_Draft]:
    tiny = max_chars // 5
    out: list[_Draft] = []
    for draft in drafts:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(draft.body) < tiny
            and prev.page == draft.page
            and prev.section == draft.section
            and len(prev.text()) + 1 + len(draft.body) <= max_chars
        ):
            prev.parts.append(draft.body)
            if draft.kind == "table":
                prev.kind = "text"
            continue
        out.append(draft)
    return out


def record_rows(table: str) -> list[tuple[str, str]]:
    """For a register — a table whose first column holds a unique id such as "R-04" or "F-01" in every
    row — each row as (id, "header row\nthat row"); otherwise an empty list."""
    header, *rows = table.split("\n")
    if len(rows) < 2:
        return []
    ids = [row.split(" | ", 1)[0].strip() for row in rows]
    if len(set(ids)) != len(ids) or not all(is_record_id(i) for i in ids):
        return []
    return [(record_id, f"{header}\n{row}") for record_id, row in zip(ids, rows)]


def _split_table(text: str, budget: int, whole_limit: int) -> list[str]:
    """The table whole when it fits ``whole_limit``; otherwise row groups of about ``budget`` characters,
    each starting with the header row."""
    if len(text) <= whole_limit:
        return [text]
    header, *rows = text.split("\n")
    parts: list[str] = []
    group: list[str] = []
    size = len(header)
    for row in rows:
        if group and size + 1 + len(row) > budget:
            parts.append("\n".join([header, *group]))
            group, size = [], len(header)
        group.append(row)
        size += 1 + len(row)
    if group:
        parts.append("\n".join([header, *group]))
    return parts or [text]


def split_pieces(text: str, limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters, cutting at sentence ends where possible
    (:func:`ingest.sentences.split_sentences`; line breaks inside a sentence are kept)."""
    sentences = split_sentences(text, lines=False)
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in sentences if s):
        if len(sentence) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.extend(_wrap_words(sentence, limit))
            continue
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces


def _wrap_words(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > limit:  # a URL or base64 blob longer than a whole chunk
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        if current and len(current) + 1 + len(word) > limit:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces
