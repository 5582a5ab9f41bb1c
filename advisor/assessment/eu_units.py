"""Gap-analysis units of the EU cyber laws and the NIST Privacy Framework, built from the library chunks.

A registry gap set with ``select="clauses:<id>;<id>;…"`` names its units by clause id:

- a paragraph ("NIS2 Art. 20(1)") is the paragraph's unit;
- a point ("Art. 21(2)(d)") is that point's line of its paragraph, after the paragraph's lead-in;
- an article ("DORA Art. 28") gathers its paragraphs;
- an annex point ("CRA Annex I, Part I, point 2(a)", "Annex I, Part II, point 5") is that point's line,
  read from the annex pieces the parser made.

Units are grouped by ``GROUPS`` (DORA's four pillars, CRA's two parts) or else by article. The Privacy
Framework's units are its 100 subcategories, grouped by function. SP 800-171's requirements carry the claims
of the SP 800-53 controls the catalog maps them to (``mapped_requirements``).
"""

from __future__ import annotations

import re

from ingest.types import Chunk

# framework -> [(first article, last article, group key, group title)] for article-range groups
GROUPS: dict[str, tuple[tuple[int, int, str, str], ...]] = {
    "dora": (
        (5, 16, "ICT risk management", "ICT risk management (Art. 5-16)"),
        (
            17,
            23,
            "Incident management",
            "ICT-related incident management, classification and reporting (Art. 17-23)",
        ),
        (24, 27, "Resilience testing", "Digital operational resilience testing (Art. 24-27)"),
        (28, 30, "Third-party risk", "Managing ICT third-party risk (Art. 28-30)"),
    ),
}
# Plain words client documents use for a unit's topic (help the search; never shown as evidence).
HINTS = {
    ("nis2", "Art. 20(1)"): "management body approves and oversees cybersecurity risk-management measures",
    ("nis2", "Art. 20(2)"): "board and management cybersecurity training",
    ("nis2", "Art. 21(2)(a)"): "risk analysis policy; information security policy",
    ("nis2", "Art. 21(2)(b)"): "incident response and incident handling procedure",
    ("nis2", "Art. 21(2)(c)"): "business continuity, backups, disaster recovery, crisis management",
    ("nis2", "Art. 21(2)(d)"): "supplier and vendor security; third-party service providers",
    ("nis2", "Art. 21(2)(e)"): "secure development, vulnerability management and disclosure, patching",
    ("nis2", "Art. 21(2)(f)"): "internal audit, security testing, effectiveness of controls",
    ("nis2", "Art. 21(2)(g)"): "security awareness training, cyber hygiene",
    ("nis2", "Art. 21(2)(h)"): "encryption and cryptography policy, key management",
    ("nis2", "Art. 21(2)(i)"): "HR security, access control, asset inventory",
    ("nis2", "Art. 21(2)(j)"): "multi-factor authentication, secure communications",
    ("nis2", "Art. 23(1)"): "notify significant incidents to the CSIRT or competent authority",
    ("nis2", "Art. 23(2)"): "inform customers of significant cyber threats",
    (
        "nis2",
        "Art. 23(4)",
    ): "early warning within 24 hours, incident notification within 72 hours, final report",
    ("dora", "Art. 28"): "register of ICT third-party providers; outsourcing and vendor risk",
    ("dora", "Art. 29"): "concentration risk of ICT providers; subcontracting",
    ("dora", "Art. 30"): "contract clauses with ICT providers: service levels, audit rights, exit strategy",
    ("dora", "Art. 17"): "incident management process, detection, logging",
    ("dora", "Art. 18"): "incident classification criteria and severity, major incident",
    (
        "dora",
        "Art. 19",
    ): "report major ICT-related incidents: initial notification, intermediate and final report",
    ("dora", "Art. 11"): "business continuity and ICT response and recovery plans",
    ("dora", "Art. 12"): "backup policy and restoration, recovery",
    ("dora", "Art. 9"): "protection and prevention: access control, encryption, patching",
    ("dora", "Art. 24"): "resilience testing programme, penetration tests",
    ("dora", "Art. 26"): "threat-led penetration testing",
}
_LINE_POINT = re.compile(r"^(\s*)\(([a-z0-9]{1,3})\)\s+(.*)$")
_CLAUSE = re.compile(r"^(Art\. \d+(?:\(\d+\))?)(?:\(([a-z])\))?$")
_ANNEX_POINT = re.compile(r"^(Annex [IVX]+), (Part [IVX]+), point (\d+)(?:\(([a-z])\))?$")


def _clean(text: str, limit: int = 480) -> str:
    return re.sub(r"^\d+\. ", "", re.sub(r"\s+", " ", text).strip())[:limit]


def _short(text: str) -> str:
    """A point's opening words as a title: up to its first comma or semicolon, at most ~90 characters."""
    head = re.split(r"[;,:]", text, maxsplit=1)[0].strip()
    head = head if len(head) <= 90 else head[:87].rsplit(" ", 1)[0] + "…"
    return head[:1].upper() + head[1:]


def _body(chunk: Chunk) -> list[str]:
    """The unit's lines without the heading line the parser puts first ("Art. 21(2) Title")."""
    return chunk.text.split("\n")[1:]


def _point_line(lines: list[str], wanted: list[str]) -> str:
    """The text of the nested point ``wanted`` (["2", "a"]) in ``lines``, sub-points included."""
    depth, found, out = None, 0, []
    for line in lines:
        m = _LINE_POINT.match(line)
        if found < len(wanted):
            if m and m.group(2) == wanted[found] and (depth is None or len(m.group(1)) > depth):
                depth, found = len(m.group(1)), found + 1
                if found == len(wanted):
                    out.append(m.group(3))
            continue
        if m and depth is not None and len(m.group(1)) <= depth:
            break
        if not m and not line.startswith(" "):
            break
        out.append(line.strip())
    return " ".join(out)


def clause_units(library: list[Chunk], framework: str, clause_ids: list[str]):
    """The requirement units named by ``clause_ids`` in ``framework``'s library chunks, in that order."""
    from advisor.assessment.frameworks import Requirement

    chunks = [c for c in library if c.extra.get("framework") == framework]
    by_section = {c.section: c for c in chunks if c.section}
    out = []
    for cid in clause_ids:
        found = _unit(framework, cid, chunks, by_section)
        if found is None:
            continue
        title, statement, parts = found
        group, group_title = _group(framework, cid, parts[0])
        out.append(
            Requirement(
                id=cid,
                title=title,
                statement=_clean(statement),
                group=group,
                group_title=group_title,
                hint=HINTS.get((framework, cid), ""),
                chunk_ids=tuple(c.id for c in parts),
            )
        )
    return out


def _unit(framework: str, cid: str, chunks: list[Chunk], by_section: dict[str, Chunk]):
    annex = _ANNEX_POINT.match(cid)
    if annex:
        pieces = [
            c
            for c in chunks
            if c.extra.get("annex") == annex.group(1) and c.extra.get("part") == annex.group(2)
        ]
        if not pieces:
            return None
        lines = list(dict.fromkeys(ln for c in pieces for ln in _body(c)))
        wanted = [annex.group(3), *([annex.group(4)] if annex.group(4) else [])]
        text = _point_line(lines, wanted)
        used = [c for c in pieces if any(text[:60] in _clean(ln, 10**6) for ln in _body(c))] or pieces[:1]
        return (_short(text), text, used) if text else None
    m = _CLAUSE.match(cid)
    if not m:
        raise ValueError(f"{framework}: cannot read gap unit id {cid!r}")
    base, point = m.group(1), m.group(2)
    if point:
        chunk = by_section.get(base)
        if chunk is None:
            return None
        text = _point_line(_body(chunk), [point])
        return (_short(text), text, [chunk]) if text else None
    if base in by_section:
        chunk = by_section[base]
        return chunk.title or cid, " ".join(_body(chunk)), [chunk]
    paras = sorted(
        (c for c in chunks if c.extra.get("article") == base and c.extra.get("kind") != "recital"),
        key=lambda c: int(c.extra.get("paragraph") or 0),
    )
    if not paras:
        return None
    return paras[0].title or cid, " ".join(" ".join(_body(c)) for c in paras), paras


def _group(framework: str, cid: str, chunk: Chunk) -> tuple[str, str]:
    if chunk.extra.get("annex"):
        part = chunk.extra.get("part") or ""
        return f"{chunk.extra['annex']}, {part}".rstrip(", "), f"{chunk.extra['annex']} {part}".strip()
    number = int(chunk.extra.get("article_number") or 0)
    for first, last, key, title in GROUPS.get(framework, ()):
        if first <= number <= last:
            return key, title
    article = str(chunk.extra.get("article") or cid)
    return article, f"{article} {chunk.title or ''}".strip()


def privacy_units(library: list[Chunk]):
    """The Privacy Framework's 100 subcategories, grouped by function."""
    from advisor.assessment.frameworks import Requirement

    out = []
    for c in library:
        x = c.extra
        if x.get("framework") != "privacy-framework" or x.get("kind") != "subcategory" or not c.section:
            continue
        statement = _clean(" ".join(_body(c)))
        out.append(
            Requirement(
                id=c.section,
                title=f"{x.get('category_title', '')}: {statement}"[:200],
                statement=statement,
                group=x["function"],
                group_title=x.get("function_title", ""),
                chunk_ids=(c.id,),
            )
        )
    return out


def mapped_requirements(library: list[Chunk]):
    """SP 800-171 Rev. 3's requirements, each carrying the claims of the SP 800-53 controls it was derived
    from (the catalog's official mapping), so evidence for IR-6 counts toward 03.06.02."""
    from advisor.assessment.frameworks import Requirement
    from advisor.assessment.frameworks import _clean as clean_requirement
    from advisor.retrieval.crosswalk import official

    out = []
    for c in library:
        x = c.extra
        if x.get("framework") != "nist-800-171" or x.get("kind") != "requirement":
            continue
        mapped = official(library, c)
        statement = clean_requirement(c.text)
        out.append(
            Requirement(
                id=c.section or "",
                title=c.title or "",
                statement=statement,
                group=str(x.get("family", "")),
                group_title=str(x.get("family_title", "")),
                chunk_ids=(c.id,),
                mapped_claims=tuple(f"{m.title.replace(' | ', ': ')}" for m in mapped),
                mapping=(
                    f"evidence for SP 800-53 {', '.join(m.section for m in mapped)} counts "
                    f"({mapped[0].label}: {mapped[0].basis})"
                )
                if mapped
                else "",
            )
        )
    return sorted(out, key=lambda r: r.id)
