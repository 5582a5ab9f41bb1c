"""The requirements of a framework, as units to assess, taken from the built-in library.

The gap analyses offered, their titles and how their units are chosen are the registry's gap sets
(``ingest.frameworks.registry``: ``GapSet.select``); this module builds the units. Units per set
(documented in docs/API.md's gap analysis section and the data files):

- ``csf-2.0``: the 106 CSF 2.0 subcategories, grouped by function (GV, ID, PR, DE, RS, RC).
- ``800-53-low`` / ``800-53-moderate``: SP 800-53 Rev. 5 controls and enhancements whose baselines
  include LOW / MODERATE, grouped by family.
- ``hipaa``: the standards and implementation specifications of 45 CFR 164.308-164.316 listed in
  ``data/hipaa_units.json``, grouped by section (administrative, physical, technical, organizational,
  documentation).
- ``gdpr``: the articles with controller/processor obligations listed in ``data/gdpr_obligations.json``,
  grouped by chapter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from advisor.errors import AdvisorError
from ingest.frameworks.registry import gap_sets
from ingest.types import Chunk

DATA = Path(__file__).with_name("data")
# Gap analysis id -> title, from the registry's gap sets (shipped frameworks only).
FRAMEWORKS: dict[str, str] = {gid: g.title for gid, (_, g) in gap_sets().items()}
_SP80053_FAMILY = re.compile(r"^[A-Z]{2}-\d")
_CSF_FUNCTIONS = ("GV", "ID", "PR", "DE", "RS", "RC")
_PLACEHOLDER = re.compile(r"\[(?:Assignment|Selection)[^\]]*\]")
_HIPAA_SECTIONS = {
    "164.308": "Administrative safeguards",
    "164.310": "Physical safeguards",
    "164.312": "Technical safeguards",
    "164.314": "Organizational requirements",
    "164.316": "Policies, procedures and documentation",
}


class UnknownFramework(AdvisorError):
    """A framework name that gap analysis does not know."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown framework {name!r}; valid: {', '.join(FRAMEWORKS)}")
        self.value = name


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    statement: str  # the requirement text, trimmed (no discussion, no placeholders)
    group: str  # function / family / section / chapter key
    group_title: str
    hint: str = ""  # plain words client documents use for this topic
    applies_if: tuple[str, ...] = ()  # words that must occur in the client's documents, else not applicable
    chunk_ids: tuple[str, ...] = field(default=(), compare=False)
    # Claims of officially mapped clauses ("IR-6 Incident Reporting" for 800-171 03.06.02): evidence for
    # them counts toward this requirement; ``mapping`` says which mapping (shown with the evidence).
    mapped_claims: tuple[str, ...] = ()
    mapping: str = ""

    @property
    def query(self) -> str:
        """What is searched in the client's documents."""
        return f"{self.title}. {self.hint}. {self.statement}"[:600]

    @property
    def lexical_query(self) -> str:
        return f"{self.title}. {self.hint}. {self.statement[:200]}"

    @property
    def claim(self) -> str:
        """A short statement a supporting policy passage would largely repeat."""
        return f"{self.title}: {self.hint or self.statement[:160]}"[:300]

    @property
    def claims(self) -> tuple[str, ...]:
        """Statements any one of which, found in the client's documents, supports the requirement: the
        claim, and for CSF each implementation example."""
        if self.group in _CSF_FUNCTIONS:
            return (self.claim, *(p.strip() for p in self.hint.split("; ") if len(p.strip()) > 15))
        if _SP80053_FAMILY.match(
            self.id
        ):  # SP 800-53 titles name the control plainly ("Audit Record Retention")
            return (self.claim, self.title.replace(" | ", ": "))
        return (self.claim, *self.mapped_claims)


def _clean(text: str, limit: int = 420) -> str:
    text = text.split("\nDiscussion:")[0].split("\nImplementation Examples:")[0]
    text = _PLACEHOLDER.sub("defined", text)
    lines = text.splitlines()[1:] or [text]
    body = " ".join(line.strip() for line in lines if not line.startswith("Context:"))
    return re.sub(r"\s+", " ", body).strip()[:limit]


@cache
def _data(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def requirements(library: list[Chunk], framework: str) -> list[Requirement]:
    """The units of ``framework`` built from the library chunks (the library snapshot's ``chunks``)."""
    sets = gap_sets()
    if framework not in sets:
        raise UnknownFramework(framework)
    fw, gap = sets[framework]
    kind, _, arg = gap.select.partition(":")
    if kind == "subcategories" and fw.id == "csf-2.0":
        return _csf(library)
    if kind == "baseline":
        return _sp80053(library, arg)
    if kind == "units" and arg == "hipaa_units.json":
        return _hipaa(library)
    if kind == "units" and arg == "gdpr_obligations.json":
        return _gdpr(library)
    if kind == "requirements" and fw.id == "nist-800-171":
        from advisor.assessment.eu_units import (
            mapped_requirements,
        )  # evidence reused across official mappings

        return mapped_requirements(library)
    if kind == "clauses" or (kind == "subcategories" and fw.id == "privacy-framework"):
        from advisor.assessment.eu_units import (
            clause_units,
            privacy_units,
        )  # NIS2, DORA, CRA, Privacy Framework

        return clause_units(library, fw.id, arg.split(";")) if kind == "clauses" else privacy_units(library)
    raise UnknownFramework(framework)


def _csf(library: list[Chunk]) -> list[Requirement]:
    out = []
    for c in library:
        x = c.extra
        if x.get("framework") != "csf-2.0" or x.get("kind") != "subcategory":
            continue
        lines = c.text.split("\nImplementation Examples:")
        examples = (
            [re.sub(r"^Ex\d+:\s*", "", e).strip() for e in lines[1].strip().splitlines()][:4]
            if len(lines) > 1
            else []
        )
        statement = _clean(c.text)
        out.append(
            Requirement(
                id=c.section or x["clause_id"],
                title=statement[:200],
                statement=statement,
                group=x["function"],
                group_title=x.get("function_title", ""),
                hint="; ".join(e[:160] for e in examples),
                chunk_ids=(c.id,),
            )
        )
    return sorted(out, key=lambda r: r.id)


def _control_key(cid: str) -> tuple:
    m = re.match(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", cid)
    return (m.group(1), int(m.group(2)), int(m.group(3) or 0)) if m else (cid, 0, 0)


def _sp80053(library: list[Chunk], baseline: str) -> list[Requirement]:
    out = []
    for c in library:
        x = c.extra
        if x.get("framework") != "nist-800-53" or baseline not in str(x.get("baselines", "")).split(","):
            continue
        title = (c.title or x.get("control_title", "")).strip()
        out.append(
            Requirement(
                id=x["clause_id"],
                title=title,
                statement=_clean(c.text),
                group=x["family"],
                group_title=x.get("family_title", ""),
                chunk_ids=(c.id,),
            )
        )
    return sorted(out, key=lambda r: _control_key(r.id))


def _hipaa(library: list[Chunk]) -> list[Requirement]:
    by_id = {c.extra.get("clause_id"): c for c in library if c.extra.get("framework") == "hipaa"}
    out = []
    for unit in _data("hipaa_units.json")["units"]:
        c = by_id.get(unit["id"])
        if c is None:
            continue
        section = c.extra.get("section_number", unit["id"][:7])
        statement = _clean(c.text)
        statement = re.sub(r"^\([ivx\d]+\)\s*", "", re.sub(r"^\([a-z]\)(\(\d\))?\s*", "", statement))
        out.append(
            Requirement(
                id=unit["id"],
                title=c.extra.get("heading") or c.title or unit["id"],
                statement=statement,
                group=section,
                group_title=_HIPAA_SECTIONS.get(section, ""),
                hint=unit.get("hint", ""),
                applies_if=tuple(unit.get("applies_if", ())),
                chunk_ids=(c.id,),
            )
        )
    return out


def _gdpr(library: list[Chunk]) -> list[Requirement]:
    parts: dict[str, list[Chunk]] = {}
    for c in library:
        x = c.extra
        if x.get("framework") == "gdpr" and x.get("article") and x.get("kind") in ("article", "paragraph"):
            parts.setdefault(x["article"], []).append(c)
    out = []
    for unit in _data("gdpr_obligations.json")["units"]:
        chunks = sorted(parts.get(unit["id"], []), key=lambda c: int(c.extra.get("paragraph") or 0))
        if not chunks:
            continue
        first = chunks[0]
        title = re.sub(r"^Art\. \d+(\(\d+\))?\s*", "", first.title or "").strip() or unit["id"]
        statement = " ".join(_clean(c.text, 300) for c in chunks)[:500]
        chapter = first.extra.get("chapter", "")
        out.append(
            Requirement(
                id=unit["id"],
                title=title,
                statement=statement,
                group=chapter,
                group_title=first.extra.get("chapter_title", ""),
                hint=unit.get("hint", ""),
                chunk_ids=tuple(c.id for c in chunks),
            )
        )
    return out
