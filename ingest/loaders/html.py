"""HTML loader: h1–h6 headings, paragraphs and list items, tables; scripts, styles and navigation dropped."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.text import decode_text
from ingest.types import Block, LoadedDocument, Page

_DROP = (
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "svg",
    "iframe",
    "head",
    "button",
    "form",
    "canvas",
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_TEXT_BLOCKS = {"p", "li", "pre", "blockquote", "dt", "dd", "figcaption", "address", "summary", "caption"}
_CONTAINERS = {"ul", "ol", "dl"}


def load_html(path: Path, data: bytes) -> LoadedDocument:
    from bs4 import BeautifulSoup, NavigableString, Tag

    text = decode_text(data, str(path))
    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    page_title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    blocks: list[Block] = []
    loose: list[str] = []

    def flush_loose() -> None:
        joined = " ".join(" ".join(loose).split())
        if joined:
            blocks.append(Block("paragraph", joined))
        loose.clear()

    def visit(children) -> None:  # noqa: ANN001 - iterable of bs4 nodes
        for child in children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # skip comments, doctype, CDATA
                    loose.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _HEADINGS:
                flush_loose()
                heading = " ".join(child.get_text(" ").split())
                if heading:
                    blocks.append(Block("heading", heading, _HEADINGS[name]))
            elif name == "table":
                flush_loose()
                table = _table_text(child)
                if table:
                    blocks.append(Block("table", table))
            elif name in _TEXT_BLOCKS:
                flush_loose()
                own: list[str] = []
                nested: list[Tag] = []
                for c in child.children:
                    if isinstance(c, Tag) and c.name in _CONTAINERS | {"table"}:
                        nested.append(c)
                    elif isinstance(c, Tag):
                        own.append(c.get_text(" "))
                    elif type(c) is NavigableString:
                        own.append(str(c))
                para = " ".join(" ".join(own).split())
                if para:
                    blocks.append(Block("paragraph", f"- {para}" if name == "li" else para))
                visit(nested)
            elif name == "br":
                loose.append("\n")
            else:
                if name in (
                    "div",
                    "section",
                    "article",
                    "main",
                    "aside",
                    "header",
                    "footer",
                    "body",
                    "html",
                    "ul",
                    "ol",
                    "dl",
                    "hr",
                    "details",
                    "fieldset",
                    "figure",
                ):
                    flush_loose()
                visit(child.children)
                if name in ("div", "section", "article", "main", "aside", "header", "footer"):
                    flush_loose()

    visit(soup.children)
    flush_loose()
    if not any(b.text.strip() for b in blocks):
        raise IngestError(
            str(path), "HTML page contains no readable text (only markup, scripts or navigation)"
        )
    title = page_title or next((b.text for b in blocks if b.kind == "heading"), "") or path.stem
    return LoadedDocument(str(path), title, (Page(None, tuple(blocks)),))


def _table_text(table) -> str:  # noqa: ANN001 - bs4 Tag
    rows: list[str] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a row of a nested table
        cells = [" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"], recursive=False)]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
