"""Clause identifiers named in questions ("AC-2(3)", "GV.SC", "Art. 33", "§164.312(a)(2)(iv)", "NIS2 Art.
21(2)(d)",
"CRA Annex I", "ID.IM-P1"), normalised to the ``section`` form the library parsers give their chunks. Pure
functions.

Articles, recitals and annexes are shared by GDPR and the EU cyber laws: each belongs to the act named next
to it or elsewhere in the text (``act_of``), and GDPR when none is named. A point ("Art. 21(2)(d)") is kept
in the id; retrieval resolves it to its paragraph, the unit that holds it (``section_matches`` level 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.doc_ids import doc_ids, id_key
from ingest.frameworks.registry import FRAMEWORKS

_FAMILIES = "AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR"
_NIST = re.compile(rf"(?<!\.)\b({_FAMILIES})-(\d{{1,2}})(?:\s*\((\d{{1,2}})\))?", re.IGNORECASE)
_CSF = re.compile(r"\b(GV|ID|PR|DE|RS|RC)\.([A-Z]{2})(?:-(\d{2}))?\b(?!-P)")
_PRIVACY = re.compile(r"\b(ID|GV|CT|CM|PR)(?:\.([A-Z]{2})-P(\d{1,2})?|-P)\b")
_ARTICLE = re.compile(
    r"\b(?:Art\.?|Article)\s*(\d{1,3})(?:\s*\((\d{1,2})\))?(?:\s*\(([a-z])\))?", re.IGNORECASE
)
_RECITAL = re.compile(r"\bRecital\s+(\d{1,3})\b", re.IGNORECASE)
_ANNEX = re.compile(r"\bAnnex\s+([IVX]{1,5})\b(?:,?\s*Part\s+([IVX]{1,4})\b)?")
# The EU acts whose articles, recitals and annexes share clause ids; an id belongs to the act named next to
# it ("NIS2 Art. 23", "Article 28 of DORA"), else to the act named elsewhere in the text, else to GDPR.
_ACTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(  # the registry's EU acts, GDPR first, by their names
    (f.id, rx) for f in FRAMEWORKS.values() if f.jurisdiction == "EU" and (rx := f.names_rx) is not None
)
_BEFORE = 14  # characters before an id in which a law's name binds it ("DORA's Art. 28")
_AFTER = 40  # ... after it ("Article 21(2)(d) of the NIS2 Directive")
_CFR = re.compile(r"(?<![\d.])(16[04]\.\d{3})((?:\s?\([a-zA-Z0-9]{1,4}\))*)")
_ASVS = re.compile(r"(?:\bV|\bASVS\s+(?:v?5\.0\.0-)?V?)(\d{1,2}\.\d{1,2}\.\d{1,2})\b")
_SP171 = re.compile(r"(?<![\d.])(0?3\.\d{2}\.\d{2})(?![\d.])")


@dataclass(frozen=True)
class Identifier:
    framework: str  # framework key, as in ingest.frameworks
    section: str  # normalised clause id
    raw: str  # as written in the question


def find_identifiers(text: str) -> list[Identifier]:
    """Every clause id in ``text``, in order of appearance, without duplicates."""
    found: list[tuple[int, Identifier]] = []
    for m in _NIST.finditer(text):
        fam, num, enh = m.group(1).upper(), int(m.group(2)), m.group(3)
        sec = f"{fam}-{num}" + (f"({int(enh)})" if enh else "")
        found.append((m.start(), Identifier("nist-800-53", sec, m.group(0))))
    for m in _CSF.finditer(text):
        sec = f"{m.group(1)}.{m.group(2)}" + (f"-{m.group(3)}" if m.group(3) else "")
        found.append((m.start(), Identifier("csf-2.0", sec, m.group(0))))
    acts = [(m.start(), m.end(), key) for key, rx in _ACTS for m in rx.finditer(text)]
    for m in _ARTICLE.finditer(text):
        sec = f"Art. {int(m.group(1))}" + (f"({int(m.group(2))})" if m.group(2) else "")
        if m.group(2) and m.group(3):
            sec += f"({m.group(3).lower()})"
        found.append((m.start(), Identifier(act_of(acts, m.start(), m.end()), sec, m.group(0))))
    for m in _RECITAL.finditer(text):
        found.append(
            (
                m.start(),
                Identifier(act_of(acts, m.start(), m.end()), f"Recital {int(m.group(1))}", m.group(0)),
            )
        )
    for m in _ANNEX.finditer(text):
        act = act_of(acts, m.start(), m.end(), default="")
        if act:  # GDPR has no annexes: an annex with no act named is not an identifier
            sec = f"Annex {m.group(1)}" + (f", Part {m.group(2)}" if m.group(2) else "")
            found.append((m.start(), Identifier(act, sec, m.group(0))))
    for m in _PRIVACY.finditer(text):
        sec = f"{m.group(1)}.{m.group(2)}-P{m.group(3) or ''}" if m.group(2) else f"{m.group(1)}-P"
        found.append((m.start(), Identifier("privacy-framework", sec, m.group(0))))
    for m in _CFR.finditer(text):
        parts = re.findall(r"\(([a-zA-Z0-9]{1,4})\)", m.group(2))
        sec = m.group(1) + "".join(f"({p})" for p in parts)
        found.append((m.start(), Identifier("hipaa", sec, m.group(0).strip())))
    for m in _ASVS.finditer(text):
        found.append((m.start(), Identifier("asvs-5.0", f"V{m.group(1)}", m.group(0))))
    for m in _SP171.finditer(text):
        if _ASVS.search(text[max(0, m.start() - 8) : m.end()]):
            continue
        found.append((m.start(), Identifier("nist-800-171", m.group(1).zfill(8), m.group(0))))
    seen: set[tuple[str, str]] = set()
    out: list[Identifier] = []
    for _, ident in sorted(found, key=lambda t: t[0]):
        key = (ident.framework, ident.section)
        if key not in seen:
            seen.add(key)
            out.append(ident)
    return out


def act_of(acts: list[tuple[int, int, str]], start: int, end: int, default: str = "gdpr") -> str:
    """The EU act an id at ``text[start:end]`` belongs to, given the acts named in the text as
    (start, end, framework): the one named right before or after it, else the nearest one named, else
    ``default``."""
    if not acts:
        return default
    near = [a for a in acts if start - _BEFORE <= a[1] <= start] or [
        a for a in acts if end <= a[0] <= end + _AFTER
    ]
    if near:
        return min(near, key=lambda a: min(abs(start - a[1]), abs(a[0] - end)))[2]
    return min(acts, key=lambda a: min(abs(start - a[1]), abs(a[0] - end)))[2]


_POINT_ID = re.compile(r"Art\. \d+\(\d+\)\([a-z]\)")


def document_ids(text: str) -> list[str]:
    """Ids that documents give their own items, found by shape: "F-01", "TOB-K8S-038", "Recommendation 8",
    "Finding 3.2" (see :mod:`ingest.doc_ids`)."""
    return doc_ids(text)


def identifier_tokens(text: str) -> list[str]:
    """Identifier forms to add to a lexical index, so 'AC-2(3)' in a question meets 'AC-2(3)' in a text."""
    toks: list[str] = [id_key(d) for d in document_ids(text)]
    for ident in find_identifiers(text):
        s = ident.section.lower().replace(" ", "")
        toks.append(f"id:{s}")
        base = s.split("(")[0]
        if base != s:
            toks.append(f"id:{base}")
        if _POINT_ID.fullmatch(ident.section):  # "Art. 21(2)(d)" also meets its paragraph "Art. 21(2)"
            toks.append(f"id:{s.rsplit('(', 1)[0]}")
    return toks


# A piece of a split EU unit: "Annex I, Part II", "Art. 46, points (a)-(c)", "Annex III, text 2".
_PIECE = re.compile(r", (?:Part|Section|Class|points?|text|introduction)\b")


def section_matches(section: str | None, wanted: str) -> int:
    """How well a chunk's ``section`` answers an asked-for clause id: 3 exact, 2 a sub-part of it,
    1 its parent (the asked-for unit is not split that finely), 0 unrelated."""
    if not section:
        return 0
    if section == wanted:
        return 3
    if section.startswith(wanted) and (section[len(wanted)] in "(-" or _PIECE.match(section, len(wanted))):
        # children: Art. 33 -> Art. 33(1); GV.SC -> GV.SC-01; 164.308(a) -> 164.308(a)(1).
        # An 800-53 enhancement AC-2(3) is its own control, not a part of AC-2.
        return 0 if re.fullmatch(rf"(?:{_FAMILIES})-\d+", wanted) else 2
    if wanted.startswith(section) and (wanted[len(section)] in "(-" or _PIECE.match(wanted, len(section))):
        return 1
    return 0
