"""Answers rendered for people: Markdown for the screen and for download, DOCX for download.

Pure functions over :class:`advisor.models.Answer`; no Streamlit here, so they are unit-tested directly.
Text that comes from documents is untrusted: Markdown escaping keeps it from turning into links,
images or HTML when it is shown.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from advisor.models import Answer, Citation
from ingest.frameworks.registry import attribution_lines

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-!|~$:@&])")
_WWW = re.compile(r"(?i)\b(www)\.")  # GFM links bare www.example.com; an escaped dot stops it
_MARKER = re.compile(r"\[(\d+)\]")


def escape_md(text: str) -> str:
    """Text shown literally by a Markdown renderer (no links, images, HTML, emphasis or LaTeX)."""
    return _WWW.sub(r"\1\\.", _MD_SPECIAL.sub(r"\\\1", text or ""))


def client_label(client: str | None) -> str:
    return "Built-in library" if client is None else f"Client: {client}"


def locator(c: Citation) -> str:
    """'p. 3 · §2.1 Access control' (see :meth:`advisor.models.Citation.locator`)."""
    return c.locator()


def citation_heading(c: Citation) -> str:
    """Plain text: '[1] Information_Security_Policy.pdf — p. 3 · § 4.2'."""
    return c.heading()


def answer_markdown(text: str, anchor_prefix: str | None = None) -> str:
    """The answer text escaped for Markdown, its [n] markers kept (as links to #{prefix}-n when asked).

    Line-leading "- " bullets, which the answer engines write, stay bullets.
    """
    return "\n".join(_answer_line(line, anchor_prefix) for line in (text or "").split("\n"))


def _answer_line(line: str, anchor_prefix: str | None) -> str:
    bullet = ""
    stripped = line.lstrip()
    if stripped.startswith(("- ", "* ")):
        bullet, line = "- ", stripped[2:]
    out, pos = [bullet], 0
    for m in _MARKER.finditer(line):
        out.append(escape_md(line[pos : m.start()]))
        n = m.group(1)
        out.append(f"[\\[{n}\\]](#{anchor_prefix}-{n})" if anchor_prefix else f"\\[{n}\\]")
        pos = m.end()
    out.append(escape_md(line[pos:]))
    return "".join(out)


def _quote_lines(text: str) -> str:
    return "\n".join("> " + escape_md(line) for line in (text or "").splitlines() or [""])


def to_markdown(answer: Answer) -> str:
    """A self-contained Markdown document: question, answer with [n] markers, then the sources."""
    lines = ["# vciso answer", ""]
    lines.append(f"- **Client:** {escape_md(answer.client or 'built-in library only')}")
    lines.append(f"- **Audience:** {answer.audience}")
    lines.append(f"- **Engine:** {escape_md(answer.backend)}")
    if answer.abstained:
        lines.append("- **Status:** abstained: the evidence found was too weak to answer")
    lines += [
        "",
        "## Question",
        "",
        escape_md(answer.question),
        "",
        "## Answer",
        "",
        answer_markdown(answer.text),
        "",
    ]
    if answer.citations:
        lines += ["## Sources", ""]
        for c in answer.citations:
            lines.append(f"**{escape_md(citation_heading(c))}** — {escape_md(client_label(c.client))}")
            lines.append("")
            lines.append(_quote_lines(c.quote))
            lines.append("")
        lines += [f"*{escape_md(line)}*" for line in _attributions(answer)] + [""]
    elif answer.trace is not None and answer.trace.searched:
        lines += ["## Searched", ""] + [f"- {escape_md(s)}" for s in answer.trace.searched] + [""]
    return "\n".join(lines)


def to_docx(answer: Answer) -> bytes:
    """The same content as :func:`to_markdown` as a Word document (python-docx); characters XML forbids
    (control characters from a document's text) are dropped."""
    from dataclasses import replace

    from docx import Document

    from advisor.xml_text import xml_safe

    answer = replace(
        answer,
        question=xml_safe(answer.question),
        text=xml_safe(answer.text),
        citations=tuple(
            replace(
                c,
                quote=xml_safe(c.quote),
                source=xml_safe(c.source),
                title=xml_safe(c.title),
                section=xml_safe(c.section),
            )
            for c in answer.citations
        ),
    )
    doc = Document()
    doc.add_heading("vciso answer", level=0)
    meta = doc.add_paragraph()
    meta.add_run("Client: ").bold = True
    meta.add_run(answer.client or "built-in library only")
    meta.add_run("    Audience: ").bold = True
    meta.add_run(answer.audience)
    meta.add_run("    Engine: ").bold = True
    meta.add_run(answer.backend)
    if answer.abstained:
        doc.add_paragraph("Abstained: the evidence found was too weak to answer.")
    doc.add_heading("Question", level=1)
    doc.add_paragraph(answer.question)
    doc.add_heading("Answer", level=1)
    for para in _paragraphs(answer.text):
        doc.add_paragraph(para)
    if answer.citations:
        doc.add_heading("Sources", level=1)
        for c in answer.citations:
            p = doc.add_paragraph()
            p.add_run(citation_heading(c)).bold = True
            p.add_run(f" — {client_label(c.client)}")
            doc.add_paragraph(c.quote, style="Intense Quote")
        for line in _attributions(answer):
            doc.add_paragraph().add_run(line).italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _attributions(answer: Answer) -> list[str]:
    """The registry's attribution line of each library framework the answer quotes."""
    return attribution_lines(c.source for c in answer.citations if c.client is None)


def _paragraphs(text: str) -> Iterable[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()] or [""]


def export_name(answer: Answer, suffix: str) -> str:
    """A safe download file name such as 'vciso-meridian-health-answer.md'."""
    stem = re.sub(r"[^a-z0-9-]+", "-", (answer.client or "library").lower()).strip("-") or "library"
    return f"vciso-{stem}-answer.{suffix}"
