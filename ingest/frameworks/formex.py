"""Read a consolidated act in Formex XML (the EU Publications Office's format) into flat records.

The content is ``CONS.ACT/CONS.DOC``: ``PREAMBLE/GR.CONSID/CONSID`` holds the recitals (``NP`` with
``NO.P`` "(1)" and ``TXT``); ``ENACTING.TERMS`` holds the chapters (``DIVISION`` with ``TITLE/TI``
"CHAPTER I" and ``TITLE/STI``), which hold ``ARTICLE`` elements or section ``DIVISION`` s. An article has
``TI.ART``, ``STI.ART`` (its title) and either numbered paragraphs ``PARAG`` (``NO.PARAG`` "1." and
``ALINEA`` s) or ``ALINEA`` s directly; an ``ALINEA`` holds text, or ``P`` and ``LIST/ITEM/NP`` points.

:func:`read_act` returns ``{"articles": [...], "recitals": [...]}``: articles with ``number``, ``title``,
``chapter`` ("CHAPTER IV"), ``chapter_title``, ``section`` ("Section 2" or None), ``section_title`` and
``text``; recitals with ``number`` and ``text``. Text format: one line per paragraph, subparagraph or
point, two spaces of indent per list level; the quotation marks Formex stores as empty
``QUOT.START``/``QUOT.END`` elements (``CODE`` = the character's hex code) are restored; footnotes
(``NOTE``) are left out; runs of whitespace are collapsed to one space.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

Record = dict[str, Any]

_WS = re.compile(r"\s+")
_QUOTES = {"QUOT.START": "2018", "QUOT.END": "2019"}  # ‘ and ’ when an element has no CODE
_SKIP = {"NOTE"}  # footnotes: their text is not part of the running text


def read_act(path: Path) -> dict[str, list[Record]]:
    """The articles and recitals of the consolidated act in the Formex XML file ``path``."""
    try:
        root = etree.parse(str(path)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ValueError(f"{path.name}: not a readable Formex XML file ({exc})") from exc
    terms = root.find("CONS.DOC/ENACTING.TERMS")
    preamble = root.find("CONS.DOC/PREAMBLE")
    if terms is None or preamble is None:
        raise ValueError(f"{path.name}: no CONS.DOC/ENACTING.TERMS and PREAMBLE (not a consolidated act)")
    articles: list[Record] = []
    for chapter in terms.findall("DIVISION"):
        heading = _division_heading(path, chapter)
        for art in chapter.findall("ARTICLE"):
            articles.append(_article(path, art, heading, None))
        for section in chapter.findall("DIVISION"):
            sub = _division_heading(path, section)
            for art in section.findall("ARTICLE"):
                articles.append(_article(path, art, heading, sub))
    recitals = [_recital(path, consid) for consid in preamble.iterfind("GR.CONSID/CONSID")]
    if not articles or not recitals:
        raise ValueError(f"{path.name}: no ARTICLE or CONSID elements found")
    return {"articles": articles, "recitals": recitals}


def _division_heading(path: Path, division: Any) -> tuple[str, str]:
    ti, sti = division.find("TITLE/TI"), division.find("TITLE/STI")
    if ti is None or sti is None:
        raise ValueError(f"{path.name}: a DIVISION without TITLE/TI and TITLE/STI")
    return _text(ti), _text(sti)


def _article(path: Path, art: Any, chapter: tuple[str, str], section: tuple[str, str] | None) -> Record:
    ident = art.get("IDENTIFIER") or ""
    title = art.find("STI.ART")
    if not ident.isdigit() or title is None:
        raise ValueError(f"{path.name}: an ARTICLE without a numeric IDENTIFIER or STI.ART ({ident!r})")
    lines: list[str] = []
    for child in art:
        if child.tag == "PARAG":
            lines.extend(_paragraph(child))
        elif child.tag == "ALINEA":
            lines.extend(_block(child, 0))
    number = int(ident)
    return {
        "id": f"GDPR Art. {number}",
        "number": number,
        "title": _text(title),
        "chapter": chapter[0],
        "chapter_title": chapter[1],
        "section": section[0] if section else None,
        "section_title": section[1] if section else None,
        "text": "".join(f"{line}\n" for line in lines),
    }


def _recital(path: Path, consid: Any) -> Record:
    number, txt = consid.find("NP/NO.P"), consid.find("NP/TXT")
    digits = _text(number).strip("()") if number is not None else ""
    if not digits.isdigit() or txt is None:
        raise ValueError(f"{path.name}: a CONSID without NP/NO.P '(n)' and NP/TXT")
    return {"id": f"GDPR Recital {int(digits)}", "number": int(digits), "text": _text(txt) + "\n"}


def _paragraph(parag: Any) -> list[str]:
    """A numbered paragraph: "1. " before its first line, its other subparagraphs on their own lines."""
    number = parag.find("NO.PARAG")
    lines: list[str] = []
    for alinea in parag.iterfind("ALINEA"):
        lines.extend(_block(alinea, 0))
    if number is not None and lines:
        lines[0] = f"{_text(number)} {lines[0]}"
    return lines


def _block(node: Any, depth: int) -> list[str]:
    """The lines of an ALINEA, P or ITEM: its own text, then its lists' points one level deeper."""
    lines: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(run)).strip()
        if text:
            lines.append("  " * depth + text)
        run.clear()

    if node.text:
        run.append(node.text)
    for child in node:
        if child.tag == "P":
            flush()
            lines.extend(_block(child, depth))
        elif child.tag == "LIST":
            flush()
            for item in child.iterfind("ITEM"):
                lines.extend(_item(item, depth + 1))
        else:
            _inline(child, run)
        if child.tail:
            run.append(child.tail)
    flush()
    return lines


def _item(item: Any, depth: int) -> list[str]:
    """A list item: "(a) text", the paragraphs that follow its text one level deeper."""
    np = item.find("NP")
    if np is None:
        return _block(item, depth)
    parts = [_text(np.find(tag)) for tag in ("NO.P", "TXT") if np.find(tag) is not None]
    lines = ["  " * depth + " ".join(part for part in parts if part)]
    for child in np:
        if child.tag == "P":
            lines.extend(_block(child, depth + 1))
        elif child.tag == "LIST":
            for sub in child.iterfind("ITEM"):
                lines.extend(_item(sub, depth + 1))
    return lines


def _inline(node: Any, out: list[str]) -> None:
    """The running text of an inline element (not its tail): quotation marks restored, notes dropped."""
    if not isinstance(node.tag, str):  # processing instructions (<?PAGE NO="4"?>), comments
        return
    if node.tag in _QUOTES:
        code = node.get("CODE") or _QUOTES[node.tag]
        out.append(chr(int(code, 16)) if re.fullmatch(r"[0-9A-Fa-f]{2,5}", code) else "")
        return
    if node.tag in _SKIP:
        return
    if node.text:
        out.append(node.text)
    for child in node:
        _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _text(node: Any) -> str:
    out: list[str] = []
    _inline(node, out)
    return _WS.sub(" ", "".join(out)).strip()
