"""The EU's cyber laws in the library: NIS2 (Directive (EU) 2022/2555), DORA (Regulation (EU) 2022/2554),
the Cyber Resilience Act (Regulation (EU) 2024/2847) and the AI Act (Regulation (EU) 2024/1689).

Each act is read from its EUR-Lex HTML rendition of the Official Journal text (``eu-nis2-act.html`` …),
which ``eurlex_html`` turns into one record per recital, per numbered article paragraph (or whole
article) and per annex, in document order (see the folder's SOURCE.md). Units, with clause ids in
``section`` like GDPR's:

- each recital is one unit, "Recital 12";
- each numbered paragraph is one unit, "Art. 21(2)"; its points (a)–(j) stay in its text and are listed
  in ``extra["points"]``, so an asked-for point ("Art. 21(2)(d)") resolves to its paragraph;
- an article without numbered paragraphs is one unit, "Art. 2", unless it is longer than ``SPLIT_OVER``
  characters and made of numbered points (the definitions articles: NIS2 Art. 6, DORA Art. 3, CRA Art. 3,
  AI Act Art. 3's 68 definitions): then each point is a unit "Art. 3(1)", carrying the lead-in
  ("For the purposes of this Regulation, the following definitions apply:") and its term;
- an annex of at most ``SPLIT_OVER`` characters is one unit, "Annex IV"; a longer one is split at its
  part headings ("Annex I, Part II", "Annex III, Section A", "Annex III, Class I") and a part that is
  still too long into runs of its top-level points ("Annex I, Part I, point 2(a)-(f)",
  "Annex I, points 1-3"), so that every unit fits the embedding model (~256 tokens).

The four acts share clause ids ("Art. 23" exists in each, and in GDPR): the chunk's ``source`` (the
act's display name) and ``extra["framework"]`` tell them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.eurlex_html import read_act
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

SPLIT_OVER = (
    1000  # characters: above this an annex or a definitions article is split (MiniLM reads ~256 tokens)
)

_PARA_POINT = re.compile(r"^  \(([a-z]{1,2})\) ")
_DEF_POINT = re.compile(r"^\s*\((\d{1,3})\) ")
_TERM = re.compile(r"^\s*\(\d+\) ‘([^’]+?)\s*’")
_PART = re.compile(r"^(Part [IVX]+|Section [A-Z0-9]+|Class I{1,2})\b")
_ITEM = re.compile(r"^(\s*)(?:\((\w{1,4})\)|(\d{1,2})\.)\s")


@dataclass(frozen=True)
class Law:
    framework: str  # registry id ("nis2")
    source: str  # display name, the chunks' ``source``
    file: str  # the EUR-Lex HTML in the act's corpus folder
    act: str  # "Directive" | "Regulation": the word the definitions lead-in uses

    def parse(self, folder: Path) -> list[Chunk]:
        return parse_law(self, folder)


NIS2 = Law("nis2", FRAMEWORKS["nis2"].name, "eu-nis2-act.html", "Directive")
DORA = Law("dora", FRAMEWORKS["dora"].name, "eu-dora-act.html", "Regulation")
CRA = Law("cra", FRAMEWORKS["cra"].name, "eu-cra-act.html", "Regulation")
AI_ACT = Law("ai-act", FRAMEWORKS["ai-act"].name, "eu-ai-act.html", "Regulation")
LAWS = {law.framework: law for law in (NIS2, DORA, CRA, AI_ACT)}


def parse_nis2(folder: Path) -> list[Chunk]:
    """NIS2: 144 recitals, 199 paragraph/article units with Art. 6 split into its definitions, 3 annexes."""
    return parse_law(NIS2, folder)


def parse_dora(folder: Path) -> list[Chunk]:
    return parse_law(DORA, folder)


def parse_cra(folder: Path) -> list[Chunk]:
    return parse_law(CRA, folder)


def parse_ai_act(folder: Path) -> list[Chunk]:
    return parse_law(AI_ACT, folder)


def parse_law(law: Law, folder: Path) -> list[Chunk]:
    """Parse one act's EUR-Lex HTML into recital, article/paragraph/definition and annex units."""
    path = Path(folder) / law.file
    return build_units(law, read_act(path), file_digest(path))


def build_units(law: Law, records: list[dict], digest: str) -> list[Chunk]:
    """The units of an act's flat records (``eurlex_html.read_act``'s, in document order)."""
    chunks: list[Chunk] = []
    for rec in records:
        kind = rec["type"]
        if kind == "recital":
            chunks.append(_recital(law, rec, digest))
        elif kind == "article":
            chunks.extend(_article(law, rec, digest))
        elif kind == "annex":
            chunks.extend(_annex(law, rec, digest))
        else:
            raise ValueError(f"{law.source}: unknown record type {kind!r} ({rec.get('id')})")
    return chunks


def _unit(
    law: Law, section: str, title: str, text: str, digest: str, parent: str, hierarchy: str, **extra
) -> Chunk:
    return regulation_chunk(
        source=law.source,
        section=section,
        title=title,
        text=text,
        sha256=digest,
        framework=law.framework,
        parent=parent,
        hierarchy=hierarchy,
        **extra,
    )


def _recital(law: Law, rec: dict, digest: str) -> Chunk:
    cid = f"Recital {rec['number']}"
    return _unit(
        law,
        cid,
        cid,
        f"{cid}\n{rec['text'].strip()}",
        digest,
        "",
        f"Recitals > {cid}",
        kind="recital",
        recital=int(rec["number"]),
    )


def _levels(rec: dict) -> list[str]:
    levels = [f"{rec['chapter_no'].title()} {rec['chapter']}".strip()]
    if rec.get("section_no"):
        levels.append(f"{rec['section_no']} {rec.get('section') or ''}".strip())
    return levels


def _article(law: Law, rec: dict, digest: str) -> list[Chunk]:
    number = int(rec["article"])
    article = f"Art. {number}"
    title: str = rec["title"]
    text: str = rec["text"].strip("\n")
    levels = [*_levels(rec), f"{article} {title}"]
    meta = {
        "article": article,
        "article_number": number,
        "chapter": rec["chapter_no"],
        "chapter_title": rec["chapter"],
        "section_name": rec.get("section_no") or "",
        "section_title": rec.get("section") or "",
    }
    if rec.get("paragraph"):
        cid = rec["id"]
        points = [m.group(1) for m in map(_PARA_POINT.match, text.split("\n")) if m]
        return [
            _unit(
                law,
                cid,
                title,
                f"{cid} {title}\n{text}",
                digest,
                article,
                " > ".join([*levels, cid]),
                kind="paragraph",
                paragraph=int(rec["paragraph"]),
                points=",".join(points),
                **meta,
            )
        ]
    lines = text.split("\n")
    defs = [i for i, line in enumerate(lines) if _DEF_POINT.match(line)]
    if len(text) <= SPLIT_OVER:
        return [
            _unit(
                law,
                article,
                title,
                f"{article} {title}\n{text}",
                digest,
                "",
                " > ".join(levels),
                kind="article",
                paragraph=0,
                **meta,
            )
        ]
    if (
        not defs
    ):  # a long article of lettered points (DORA Art. 46): runs of points, "Art. 46, points (a)-(d)"
        return [
            _unit(
                law,
                f"{article}, {label}" if label else article,
                title,
                "\n".join([f"{article}, {label} {title}" if label else f"{article} {title}", *piece]),
                digest,
                article,
                " > ".join([*levels, label or article]),
                kind="article",
                paragraph=0,
                **meta,
            )
            for label, piece in _pieces(lines, SPLIT_OVER - len(title) - 24)
        ]
    lead = [ln.strip() for ln in lines[: defs[0]]]
    out: list[Chunk] = []
    for start, end in zip(defs, [*defs[1:], len(lines)]):
        point = _DEF_POINT.match(lines[start])
        assert point is not None  # defs holds the lines _DEF_POINT matched
        n = int(point.group(1))
        cid = f"{article}({n})"
        term = _TERM.match(lines[start])
        unit_title = f"{title} — {term.group(1)}" if term else title
        extra = dict(meta, kind="definition" if term else "point", paragraph=n)
        if term:
            extra["term"] = term.group(1)
        body = [ln.strip() if i == start else ln for i, ln in enumerate(lines[start:end], start)]
        out.append(
            _unit(
                law,
                cid,
                unit_title,
                "\n".join([f"{cid} {unit_title}", *lead, *body]),
                digest,
                article,
                " > ".join([*levels, cid]),
                **extra,
            )
        )
    return out


def _annex(law: Law, rec: dict, digest: str) -> list[Chunk]:
    annex: str = rec["id"]
    title: str = rec["title"]
    text = rec["text"].strip("\n")
    meta = {"kind": "annex", "annex": annex}
    if len(text) <= SPLIT_OVER:
        return [
            _unit(
                law,
                annex,
                title,
                f"{annex} {title}\n{text}",
                digest,
                "",
                f"Annexes > {annex} {title}",
                **meta,
            )
        ]
    out: list[Chunk] = []
    for part, lines in _parts(text.split("\n")):
        base = f"{annex}, {part}" if part else annex
        for label, piece in _pieces(lines, SPLIT_OVER - len(title) - len(base) - 8):
            cid = f"{base}, {label}" if label else base
            out.append(
                _unit(
                    law,
                    cid,
                    title,
                    "\n".join([f"{cid} {title}", *piece]),
                    digest,
                    annex,
                    f"Annexes > {annex} {title} > {cid}",
                    part=part,
                    **meta,
                )
            )
    return out


def _parts(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Split an annex at its part headings ("Part II Vulnerability handling requirements")."""
    parts: list[tuple[str, list[str]]] = [("", [])]
    for line in lines:
        m = _PART.match(line)
        if m:
            parts.append((m.group(1), [line]))
        else:
            parts[-1][1].append(line)
    return [(name, body) for name, body in parts if any(ln.strip() for ln in body)]


def _items(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """(lead-in, [(label, lines)]) grouped at the shallowest item level, or None if there are no items."""
    found = [(i, m) for i, ln in enumerate(lines) if (m := _ITEM.match(ln))]
    if len(found) < 2:
        return None
    depth = min(len(m.group(1)) for _, m in found)
    top = [(i, m) for i, m in found if len(m.group(1)) == depth]
    numbered = top[0][1].group(3) is not None  # "1. Energy | (a) Electricity": rows, not points, at one depth
    starts = [(i, m.group(2) or m.group(3)) for i, m in top if (m.group(3) is not None) == numbered]
    if len(starts) < 2:
        return None
    lead = lines[: starts[0][0]]
    items = [(label, lines[i:j]) for (i, label), (j, _) in zip(starts, [*starts[1:], (len(lines), "")])]
    return lead, items


def _label(labels: list[str]) -> str:
    fmt = [f"({x})" if x.isalpha() else x for x in labels]
    return f"point {fmt[0]}" if len(fmt) == 1 else f"points {fmt[0]}-{fmt[-1]}"


def _pieces(lines: list[str], limit: int) -> list[tuple[str, list[str]]]:
    """Runs of whole top-level items, each at most ``limit`` characters where the items allow; an item
    longer than ``limit`` is split again into runs of its own sub-items ("point 2(a)-(f)")."""
    if len("\n".join(lines)) <= limit:
        return [("", lines)]
    grouped = _items(lines)
    if grouped is None:
        return _by_lines(lines, limit)
    lead, items = grouped
    out: list[tuple[str, list[str]]] = []
    if len("\n".join(lead)) > limit // 3:  # rows of a table before its first sub-row, not a lead-in to repeat
        out += [(label or "introduction", body) for label, body in _pieces(lead, limit)]
        lead = []
    run: list[tuple[str, list[str]]] = []

    def flush() -> None:
        if run:
            out.append((_label([lab for lab, _ in run]), [*lead, *(ln for _, body in run for ln in body)]))
            run.clear()

    for label, body in items:
        size = len("\n".join([*lead, *body]))
        if size > limit:
            flush()
            head, rest = body[:1], body[1:]
            for sub, piece in _pieces(rest, limit - len(head[0])):
                sub = sub.replace("points ", "").replace("point ", "")
                name = _label([label])[len("point ") :]
                if sub.startswith("("):
                    name += sub
                elif sub[:1].isdigit():
                    name += f"({sub})"
                elif sub:
                    name += f", {sub}"
                out.append((f"point {name}", [*lead, *head, *piece]))
            continue
        if run and len("\n".join([*lead, *(ln for _, b in run for ln in b), *body])) > limit:
            flush()
        run.append((label, body))
    flush()
    return out


def _by_lines(lines: list[str], limit: int) -> list[tuple[str, list[str]]]:
    """Text without items: consecutive whole lines up to ``limit`` characters, labelled "text 1", "text 2"."""
    pieces: list[list[str]] = [[]]
    for line in lines:
        if pieces[-1] and len("\n".join([*pieces[-1], line])) > limit:
            pieces.append([])
        pieces[-1].append(line)
    if len(pieces) == 1:
        return [("", pieces[0])]
    return [(f"text {n}", body) for n, body in enumerate(pieces, start=1)]
