"""GDPR (Regulation (EU) 2016/679): the 99 articles and 173 recitals.

Reads the consolidated Formex XML of the EU Publications Office
(``gdpr-consolidated-with-corrected-preamble-en.xml``, through ``formex.read_act``: quotation marks
restored, footnotes dropped). Units:

- an article of at most ``SPLIT_OVER`` characters is one chunk, section "Art. 10";
- a longer article is split by numbered paragraph, sections "Art. 32(1)", "Art. 32(2)", …; the
  unnumbered subparagraphs that follow a numbered paragraph belong to it (e.g. Art. 6(1)'s
  "Point (f) of the first subparagraph …");
- Art. 4 has no numbered paragraphs, so it is split by definition point, "Art. 4(1)" … "Art. 4(26)",
  each carrying the lead-in "For the purposes of this Regulation:";
- each recital is one chunk, section "Recital 39".

Every article chunk has ``extra["article"]`` ("Art. 33"), so a lookup of an article finds its
paragraphs.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.formex import read_act
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "gdpr"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "gdpr-consolidated-with-corrected-preamble-en.xml"
SPLIT_OVER = 1200

_PARA = re.compile(r"^(\d+)\. ")
_POINT = re.compile(r"^\((\d+)\) ")
_TERM = re.compile(r"^\(\d+\) ‘([^’]+)’")


def parse(folder: Path) -> list[Chunk]:
    """Parse the GDPR folder into article (or paragraph) chunks and recital chunks."""
    path = Path(folder) / MAIN_FILE
    return build_units(read_act(path), file_digest(path))


def build_units(data: dict[str, list[dict]], digest: str) -> list[Chunk]:
    """The units of the act's article and recital records (``formex.read_act``'s)."""
    chunks: list[Chunk] = []
    for art in data["articles"]:
        chunks.extend(_article(art, digest))
    for rec in data["recitals"]:
        cid = f"Recital {rec['number']}"
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=cid,
                title=cid,
                text=f"{cid}\n{rec['text'].strip()}",
                sha256=digest,
                framework=FRAMEWORK,
                parent="",
                hierarchy=f"Recitals > {cid}",
                kind="recital",
                recital=int(rec["number"]),
            )
        )
    return chunks


def _split(lines: list[str], marker: re.Pattern[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Group lines under the top-level lines that ``marker`` matches; return (lead-in, groups)."""
    lead: list[str] = []
    groups: list[tuple[int, list[str]]] = []
    for line in lines:
        m = marker.match(line)
        if m:
            groups.append((int(m.group(1)), [line]))
        elif groups:
            groups[-1][1].append(line)
        else:
            lead.append(line)
    return lead, groups


def _article(art: dict, digest: str) -> list[Chunk]:
    number = int(art["number"])
    article = f"Art. {number}"
    title: str = art["title"]
    text: str = art["text"].strip("\n")
    levels = [f"{art['chapter']} {art['chapter_title']}"]
    if art.get("section"):
        levels.append(f"{art['section']} {art['section_title']}")
    levels.append(f"{article} {title}")
    meta = {
        "kind": "article",
        "article": article,
        "article_number": number,
        "chapter": art["chapter"],
        "chapter_title": art["chapter_title"],
        "section_name": art.get("section") or "",
        "section_title": art.get("section_title") or "",
    }
    if len(text) <= SPLIT_OVER:
        return [
            regulation_chunk(
                source=SOURCE,
                section=article,
                title=title,
                text=f"{article} {title}\n{text}",
                sha256=digest,
                framework=FRAMEWORK,
                parent="",
                hierarchy=" > ".join(levels),
                paragraph=0,
                **meta,
            )
        ]
    lines = text.split("\n")
    lead, groups = _split(lines, _PARA)
    if not groups:  # Art. 4: a lead-in followed by numbered definition points
        lead, groups = _split([ln.strip() for ln in lines], _POINT)
    if not groups:
        raise ValueError(f"GDPR {article}: no paragraphs found to split a long article")
    chunks: list[Chunk] = []
    for n, body in groups:
        cid = f"{article}({n})"
        unit_title = title
        term = _TERM.match(body[0])
        extra = dict(meta, kind="paragraph", paragraph=n)
        if term:
            unit_title = f"{title} — {term.group(1)}"
            extra["term"] = term.group(1)
        head = f"{cid} {unit_title}"
        parts = [head, *lead, *body]
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=cid,
                title=unit_title,
                text="\n".join(parts),
                sha256=digest,
                framework=FRAMEWORK,
                parent=article,
                hierarchy=" > ".join([*levels, cid]),
                **extra,
            )
        )
    return chunks
