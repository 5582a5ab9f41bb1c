"""Read an act's EUR-Lex HTML rendition (the Official Journal text, ELI-marked) into flat records.

EUR-Lex marks the legal text with ELI ids: recitals ``div#rct_12``, chapters ``div#cpt_IV`` (heading
``p.oj-ti-section-1``, title ``div#cpt_IV.tit_1``), sections ``div#cpt_V.sct_I``, articles ``div#art_21``
(``p.oj-ti-art``, title ``div#art_21.tit_1``) with numbered paragraphs ``div#021.002``, and annexes
``div#anx_I`` (``p.oj-doc-ti`` "ANNEX I" and the annex title). Points are two-column tables
("(a)" | text), nested for sub-points; real tables are ``table.oj-table``.

:func:`read_act` returns one record per recital, per numbered paragraph (or whole article) and per
annex, in document order, with the keys the act's unit logic (``eu_law``) reads: ``type``, ``id``,
``number``, ``article``, ``paragraph``, ``title``, ``chapter_no``, ``chapter``, ``section_no``,
``section`` and ``text``. The text format is the corpus folder's documented one: a line per paragraph,
subparagraph, point or table row; two spaces of indent per point level; table cells joined by " | ";
footnote calls (and the space before them) and footnote texts left out; runs of whitespace, including
non-breaking spaces, collapsed to one space.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree, html

Record = dict[str, Any]

_WS = re.compile(r"\s+")
_RECITAL_ID = re.compile(r"^rct_(\d+)$")
_ARTICLE_ID = re.compile(r"^art_(\d+)$")
_ANNEX_ID = re.compile(r"^anx_([IVXLC]+)$")
_PARAGRAPH_ID = re.compile(r"^\d{3}\.(\d{3})$")
_CHAPTER_ID = re.compile(r"^cpt_[IVXLC]+$")
_SECTION_ID = re.compile(r"^cpt_[IVXLC]+\.sct_\w+$")
_CLOSING = re.compile(r"^[’”\"'.,;:)]+$")
_BLOCKS = {"p", "div", "table", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"}


def read_act(path: Path) -> list[Record]:
    """Recital, article/paragraph and annex records of the act in the EUR-Lex HTML file ``path``."""
    try:
        root = html.parse(str(path)).getroot()
    except (OSError, etree.ParserError) as exc:
        raise ValueError(f"{path.name}: not a readable HTML file ({exc})") from exc
    if root is None:
        raise ValueError(f"{path.name}: empty HTML file")
    recitals = _divs(root, _RECITAL_ID)
    articles = _divs(root, _ARTICLE_ID)
    if not recitals or not articles:
        raise ValueError(f"{path.name}: no ELI recitals (div#rct_N) or articles (div#art_N) found")
    records: list[Record] = [_recital(path, int(n), div) for n, div in recitals]
    for n, div in articles:
        records.extend(_article(path, int(n), div))
    records.extend(_annex(path, numeral, div) for numeral, div in _divs(root, _ANNEX_ID))
    return records


def _divs(root: Any, pattern: re.Pattern[str]) -> list[tuple[str, Any]]:
    """(number, div) of the divs whose ELI id matches ``pattern``, in document order."""
    return [(m.group(1), div) for div in root.iter("div") if (m := pattern.match(div.get("id") or ""))]


def _record(kind: str, rid: str, number: int | str, text: list[str], **fields: Any) -> Record:
    rec: Record = {
        "type": kind,
        "id": rid,
        "number": number,
        "article": None,
        "paragraph": None,
        "point": None,
        "title": None,
        "chapter_no": None,
        "chapter": None,
        "section_no": None,
        "section": None,
    }
    rec.update(fields)
    rec["text"] = "".join(f"{line}\n" for line in text)
    return rec


def _recital(path: Path, number: int, div: Any) -> Record:
    rows = div.xpath("./table/tbody/tr | ./table/tr")
    cells = rows[0].xpath("./td") if rows else []
    if len(cells) != 2:
        raise ValueError(f"{path.name}: recital {number} is not a two-cell table")
    return _record("recital", f"Recital {number}", number, _lines(cells[1], 0))


def _heading(container: Any, cls: str) -> str:
    found = container.xpath(f"./p[@class='{cls}']")
    return _text(found[0]) if found else ""


def _title(container: Any) -> str | None:
    found = container.xpath(f"./div[@id='{container.get('id')}.tit_1']")
    return (_text(found[0]) or None) if found else None


def _article(path: Path, number: int, div: Any) -> list[Record]:
    chapter = next((a for a in div.iterancestors("div") if _CHAPTER_ID.match(a.get("id") or "")), None)
    if chapter is None:
        raise ValueError(f"{path.name}: Article {number} is outside any chapter (div#cpt_N)")
    section = next((a for a in div.iterancestors("div") if _SECTION_ID.match(a.get("id") or "")), None)
    title = _title(div)
    if not title:
        raise ValueError(f"{path.name}: Article {number} has no title (div#art_{number}.tit_1)")
    fields = {
        "article": number,
        "title": title,
        "chapter_no": _heading(chapter, "oj-ti-section-1"),
        "chapter": _title(chapter),
        "section_no": _heading(section, "oj-ti-section-1") if section is not None else None,
        "section": _title(section) if section is not None else None,
    }
    body = [
        child
        for child in div
        if not (child.get("class") == "oj-ti-art" or child.get("id") == f"{div.get('id')}.tit_1")
    ]
    paragraphs = [(m.group(1), child) for child in body if (m := _PARAGRAPH_ID.match(child.get("id") or ""))]
    if not paragraphs:
        return [_record("article", f"Art. {number}", number, _block_lines(body, 0), **fields)]
    if len(paragraphs) != len(body):
        raise ValueError(f"{path.name}: Article {number} has text outside its numbered paragraphs")
    return [
        _record(
            "article",
            f"Art. {number}({int(num)})",
            number,
            _lines(child, 0),
            paragraph=str(int(num)),
            **fields,
        )
        for num, child in paragraphs
    ]


def _annex(path: Path, numeral: str, div: Any) -> Record:
    heads = div.xpath("./p[@class='oj-doc-ti']")
    if len(heads) < 2:
        raise ValueError(f"{path.name}: Annex {numeral} has no title (p.oj-doc-ti)")
    body = [child for child in div if child not in heads[:2]]
    return _record("annex", f"Annex {numeral}", numeral, _block_lines(body, 0), title=_text(heads[1]))


# --- text -----------------------------------------------------------------------------------------


def _is_call(node: Any) -> bool:
    """A footnote call: ``<a href="#ntr4-…">(4)</a>``."""
    return node.tag == "a" and (node.get("href") or "").startswith("#ntr")


def _inline(node: Any, out: list[str]) -> None:
    """The running text inside ``node`` (not its tail), footnote calls removed."""
    if node.text:
        out.append(node.text)
    for child in node:
        if not isinstance(child.tag, str):  # comments, processing instructions
            pass
        elif _is_call(child):
            if out:
                out[-1] = out[-1].rstrip()
        elif child.tag == "br":
            out.append(" ")
        else:
            _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _text(node: Any) -> str:
    out: list[str] = []
    _inline(node, out)
    return _WS.sub(" ", "".join(out)).strip()


def _lines(container: Any, depth: int, text_depth: int | None = None) -> list[str]:
    """The lines of a block container (a cell, a paragraph div): its points indented from ``depth``, its
    text lines at ``text_depth`` (default ``depth``)."""
    tdepth = depth if text_depth is None else text_depth
    lines: list[str] = []
    run: list[str] = []  # inline text between blocks (a cell whose text is in a <span>)

    def flush() -> None:
        _add(lines, tdepth, _WS.sub(" ", "".join(run)).strip())
        run.clear()

    if container.text:
        run.append(container.text)
    for child in container:
        if not isinstance(child.tag, str):
            pass
        elif child.tag in _BLOCKS and not _is_inline(child):
            flush()
            lines.extend(_block_lines([child], depth, tdepth))
        elif _is_call(child):
            if run:
                run[-1] = run[-1].rstrip()
        else:
            _inline(child, run)
        if child.tail:
            run.append(child.tail)
    flush()
    return lines


def _add(lines: list[str], depth: int, text: str) -> None:
    """Append a line; the close of a quotation printed after it ("’.", ";") ends the line before."""
    if not text:
        return
    if _CLOSING.match(text) and lines:
        lines[-1] += text
    else:
        lines.append("  " * depth + text)


def _is_inline(node: Any) -> bool:
    return "display: inline" in (node.get("style") or "")


def _block_lines(blocks: list[Any], depth: int, text_depth: int | None = None) -> list[str]:
    tdepth = depth if text_depth is None else text_depth
    lines: list[str] = []
    for node in blocks:
        if not isinstance(node.tag, str):
            continue
        cls = node.get("class") or ""
        if node.tag == "p":
            if cls == "oj-note":
                continue  # a footnote text printed inside the act (amending articles)
            _add(lines, tdepth, _text(node))
        elif node.tag == "table":
            lines.extend(_table(node, depth) if "oj-table" in cls else _points(node, depth))
        else:
            lines.extend(_lines(node, depth, tdepth))
    return lines


def _rows(table: Any) -> list[Any]:
    return table.xpath("./tbody/tr | ./tr | ./thead/tr")


def _points(table: Any, depth: int) -> list[str]:
    """A point table: label cell(s) ("(a)", "1.", "—") and a content cell, one row per point. The point
    is one level below the table's container; its further subparagraphs and its sub-points one more."""
    lines: list[str] = []
    for row in _rows(table):
        cells = row.xpath("./td")
        if not cells:
            continue
        label = " ".join(t for t in (_text(c) for c in cells[:-1]) if t)
        if not label:  # an unnumbered row: plain text at the table's level
            lines.extend(_lines(cells[-1], depth))
            continue
        content = _lines(cells[-1], depth + 1, depth + 2)
        first = content[0].lstrip() if content else ""
        lines.append("  " * (depth + 1) + f"{label} {first}".rstrip())
        lines.extend(content[1:])
    return lines


def _table(table: Any, depth: int) -> list[str]:
    """A real table: one line per row, its non-empty cells joined by " | "; a row with a cell of several
    lines (a list of entity types) is written as its cells' lines, one per line."""
    lines: list[str] = []
    for row in _rows(table):
        cells = [[ln.strip() for ln in _lines(cell, 0)] for cell in row.xpath("./td | ./th")]
        cells = [cell for cell in cells if cell]
        if all(len(cell) == 1 for cell in cells):
            rows = [" | ".join(cell[0] for cell in cells)] if cells else []
        else:
            rows = [line for cell in cells for line in cell]
        lines.extend("  " * depth + line for line in rows)
    return lines
