"""Exports: Markdown and DOCX. An unapproved version always carries the banner "DRAFT — requires human
review"."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from advisor.drafting.document import BANNER
from advisor.models import Citation
from ingest.frameworks.registry import attribution_lines

_BOLD = re.compile(r"(\*\*[^*]+\*\*|\*[^*\s][^*]*\*)")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def _where(c: Citation) -> str:
    owner = "regulatory library" if c.client is None else c.client
    parts = [
        c.title or c.source,
        f"file {c.source}" if c.title and c.title != c.source else "",
        c.locator(", "),  # the one citation formatter's page and section
        owner,
    ]
    return ", ".join(p for p in parts if p)


def sources_markdown(citations: Sequence[Citation]) -> str:
    lines = ["## Sources", ""]
    for c in citations:
        lines.append(f"[{c.n}] {_where(c)} — “{c.quote}”")
        lines.append("")
    for line in _attributions(citations):
        lines += [f"*{line}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _attributions(citations: Sequence[Citation]) -> list[str]:
    """The registry's attribution line of each library framework the citations quote."""
    return attribution_lines(c.source for c in citations if c.client is None)


def status_line(
    status: str, version: int, reviewer: str | None = None, reviewed_at: str | None = None
) -> str:
    if status == "approved":
        return (
            f"Approved version {version}"
            + (f" — approved by {reviewer}" if reviewer else "")
            + (f" on {reviewed_at[:10]}" if reviewed_at else "")
        )
    return f"{BANNER} (version {version}, status: {status.replace('_', ' ')})"


def to_markdown(
    text: str,
    citations: Sequence[Citation],
    *,
    status: str = "draft",
    version: int = 1,
    reviewer: str | None = None,
    reviewed_at: str | None = None,
) -> str:
    head = f"> **{status_line(status, version, reviewer, reviewed_at)}**\n\n"
    body = text.rstrip() + "\n\n"
    return head + body + (sources_markdown(citations) if citations else "")


def _runs(paragraph, text: str) -> None:
    for piece in _BOLD.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def _table(doc, rows: list[str]) -> None:
    cells = [
        [c.strip() for c in r.strip().strip("|").split("|")] for r in rows if not _TABLE_RULE.match(r.strip())
    ]
    if not cells:
        return
    width = max(len(r) for r in cells)
    table = doc.add_table(rows=len(cells), cols=width)
    table.style = "Table Grid"
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            para = table.cell(i, j).paragraphs[0]
            _runs(para, f"**{value}**" if i == 0 and value else value)


def to_docx(
    text: str,
    citations: Sequence[Citation],
    *,
    status: str = "draft",
    version: int = 1,
    reviewer: str | None = None,
    reviewed_at: str | None = None,
) -> bytes:
    """A Word document: headings, lists, tables, [n] markers as written, and a Sources appendix.

    Characters XML forbids (control characters from a document's text) are dropped."""
    from dataclasses import replace

    from docx import Document
    from docx.shared import Pt, RGBColor

    from advisor.xml_text import xml_safe

    text = xml_safe(text)
    citations = [
        replace(
            c,
            quote=xml_safe(c.quote),
            source=xml_safe(c.source),
            title=xml_safe(c.title),
            section=xml_safe(c.section),
        )
        for c in citations
    ]
    doc = Document()
    label = status_line(status, version, reviewer, reviewed_at)
    header = doc.sections[0].header.paragraphs[0]
    header.text = label
    banner = doc.add_paragraph()
    run = banner.add_run(label)
    run.bold = True
    if status != "approved":
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        run.font.size = Pt(14)
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            _table(doc, rows)
            continue
        i += 1
        if not stripped:
            continue
        m = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if m:
            doc.add_heading(m.group(2), level=min(len(m.group(1)) - 1, 3) if len(m.group(1)) > 1 else 0)
        elif re.match(r"^[-*]\s+", stripped):
            nested = len(line) - len(line.lstrip()) >= 2
            _runs(doc.add_paragraph(style="List Bullet 2" if nested else "List Bullet"), stripped[2:].strip())
        elif stripped.startswith(">"):
            _runs(doc.add_paragraph(style="Intense Quote"), stripped.lstrip("> "))
        else:
            _runs(doc.add_paragraph(), stripped)
    if citations:
        doc.add_page_break()
        doc.add_heading("Sources", level=1)
        table = doc.add_table(rows=1 + len(citations), cols=5)
        table.style = "Table Grid"
        for j, name in enumerate(("[n]", "Document", "Page", "Section", "Quote")):
            table.cell(0, j).paragraphs[0].add_run(name).bold = True
        for i, c in enumerate(citations, start=1):
            doc_name = (c.title or c.source) + ("" if c.client is not None else " (regulatory library)")
            if c.title and c.title != c.source:
                doc_name += f" — {c.source}"
            for j, value in enumerate(
                (f"[{c.n}]", doc_name, str(c.page) if c.page else "–", c.section or "–", f"“{c.quote}”")
            ):
                table.cell(i, j).text = value
        for line in _attributions(citations):
            doc.add_paragraph().add_run(line).italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
