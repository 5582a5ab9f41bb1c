"""Clause identifiers named in questions ("AC-2(3)", "GV.SC", "Art. 33", "§164.312(a)(2)(iv)"), normalised
to the ``section`` form the library parsers give their chunks. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FAMILIES = "AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR"
_NIST = re.compile(rf"(?<!\.)\b({_FAMILIES})-(\d{{1,2}})(?:\s*\((\d{{1,2}})\))?", re.IGNORECASE)
_CSF = re.compile(r"\b(GV|ID|PR|DE|RS|RC)\.([A-Z]{2})(?:-(\d{2}))?\b")
_GDPR_ART = re.compile(r"\b(?:Art\.?|Article)\s*(\d{1,2})(?:\s*\((\d{1,2})\))?", re.IGNORECASE)
_RECITAL = re.compile(r"\bRecital\s+(\d{1,3})\b", re.IGNORECASE)
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
    for m in _GDPR_ART.finditer(text):
        sec = f"Art. {int(m.group(1))}" + (f"({int(m.group(2))})" if m.group(2) else "")
        found.append((m.start(), Identifier("gdpr", sec, m.group(0))))
    for m in _RECITAL.finditer(text):
        found.append((m.start(), Identifier("gdpr", f"Recital {int(m.group(1))}", m.group(0))))
    for m in _CFR.finditer(text):
        parts = re.findall(r"\(([a-zA-Z0-9]{1,4})\)", m.group(2))
        sec = m.group(1) + "".join(f"({p})" for p in parts)
        found.append((m.start(), Identifier("hipaa", sec, m.group(0).strip())))
    for m in _ASVS.finditer(text):
        found.append((m.start(), Identifier("asvs-5.0", f"V{m.group(1)}", m.group(0))))
    for m in _SP171.finditer(text):
        if _ASVS.search(text[max(0, m.start() - 8): m.end()]):
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


_DOC_ID = re.compile(r"\b([A-Z]{1,4}-\d{1,3})\b(?!\s*\()")


def document_ids(text: str) -> list[str]:
    """Ids that documents give their own items: findings "F-01", risks "R-04", actions "A-02"."""
    return list(dict.fromkeys(m.upper() for m in _DOC_ID.findall(text)))


def identifier_tokens(text: str) -> list[str]:
    """Identifier forms to add to a lexical index, so 'AC-2(3)' in a question meets 'AC-2(3)' in a text."""
    toks: list[str] = [f"doc:{d.lower()}" for d in document_ids(text)]
    for ident in find_identifiers(text):
        s = ident.section.lower().replace(" ", "")
        toks.append(f"id:{s}")
        base = s.split("(")[0]
        if base != s:
            toks.append(f"id:{base}")
    return toks


def section_matches(section: str | None, wanted: str) -> int:
    """How well a chunk's ``section`` answers an asked-for clause id: 3 exact, 2 a sub-part of it,
    1 its parent (the asked-for unit is not split that finely), 0 unrelated."""
    if not section:
        return 0
    if section == wanted:
        return 3
    if section.startswith(wanted) and section[len(wanted)] in "(-":
        # children: Art. 33 -> Art. 33(1); GV.SC -> GV.SC-01; 164.308(a) -> 164.308(a)(1).
        # An 800-53 enhancement AC-2(3) is its own control, not a part of AC-2.
        return 0 if re.fullmatch(rf"(?:{_FAMILIES})-\d+", wanted) else 2
    if wanted.startswith(section) and wanted[len(section)] in "(-":
        return 1
    return 0
