"""Crosswalks: which clauses of another framework correspond to a clause.

Two kinds of mapping, always labelled:

- **official**: a mapping the publisher's own text carries. The SP 800-171 Rev. 3 catalog names the SP 800-53
  controls each requirement was derived from (``extra["source_controls"]`` of the 800-171 chunks), so
  03.05.03 -> IA-2(1), IA-2(2), and the reverse IA-2(1) -> 03.05.03. (The CSF 2.0 Core in the corpus names
  no controls in its implementation examples, so CSF has no official mapping here.)
- **suggested — not an official mapping**: the library clauses of the other framework(s) whose text is
  closest to the clause's (dense similarity of the embedding model, with the cosine as the score). A
  reviewer must judge these.

    >>> cw = crosswalk(adv, "03.05.03", to="nist-800-53")
    >>> [(m.section, m.kind) for m in cw.mappings]
    [('IA-2(1)', 'official'), ('IA-2(2)', 'official')]
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol

from advisor.errors import AdvisorError
from advisor.retrieval.identifiers import find_identifiers, section_matches
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

if TYPE_CHECKING:  # the retriever imports this module (official mappings)
    from advisor.retrieval.retriever import TenantIndex
    from advisor.store.chroma import TenantView

OFFICIAL = "official"
SUGGESTED = "suggested"
SUGGESTED_LABEL = "suggested — not an official mapping"
_SP171 = "nist-800-171"
_SP53 = "nist-800-53"
_OFFICIAL_SOURCE = "NIST SP 800-171 Rev. 3 catalog: the SP 800-53 controls each requirement was derived from"


class UnknownClause(AdvisorError):
    """A clause that is not in the library."""

    def __init__(self, clause: str, detail: str = "") -> None:
        super().__init__(f"no library clause matches {clause!r}" + (f": {detail}" if detail else ""))
        self.value = clause


class UnknownFrameworkName(AdvisorError):
    """A framework name that matches no registry entry."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown framework {name!r}; valid: {', '.join(FRAMEWORKS)}")
        self.value = name


@dataclass(frozen=True)
class Clause:
    framework: str
    section: str
    title: str
    source: str
    chunk_id: str

    @classmethod
    def of(cls, chunk: Chunk) -> Clause:
        return cls(
            str(chunk.extra.get("framework", "")),
            chunk.section or "",
            chunk.title or "",
            chunk.source,
            chunk.id,
        )


@dataclass(frozen=True)
class Mapping:
    """One related clause. ``kind`` is "official" or "suggested"; ``label`` is what to show next to it."""

    framework: str
    section: str
    title: str
    source: str
    chunk_id: str
    kind: str
    label: str
    score: float | None = None  # cosine similarity, for suggestions
    basis: str = ""  # where an official mapping comes from


@dataclass(frozen=True)
class Crosswalk:
    clause: Clause
    to: str | None
    mappings: tuple[Mapping, ...]

    @property
    def official(self) -> tuple[Mapping, ...]:
        return tuple(m for m in self.mappings if m.kind == OFFICIAL)

    def as_json(self) -> dict:
        return {"clause": asdict(self.clause), "to": self.to, "mappings": [asdict(m) for m in self.mappings]}


def official_label(framework: str) -> str:
    return f"official ({FRAMEWORKS[framework].label if framework in FRAMEWORKS else framework} source)"


def framework_key(name: str) -> str:
    """A registry id from what a user types: "800-53", "SP 800-53", "nist-800-53", "NIS2", "csf"."""
    wanted = re.sub(r"[^a-z0-9]", "", name.lower())
    for fw in FRAMEWORKS.values():
        forms = {fw.id, fw.label, fw.name}
        if wanted in {re.sub(r"[^a-z0-9]", "", f.lower()) for f in forms}:
            return fw.id
    for fw in FRAMEWORKS.values():  # "SP 800-171" by the registry's pattern for the framework's names
        if fw.names_rx is not None and fw.names_rx.search(name):
            return fw.id
    for fw in FRAMEWORKS.values():  # "800-53" in "nist-800-53", "csf" in "csf-2.0"
        if wanted and wanted in re.sub(r"[^a-z0-9]", "", fw.id):
            return fw.id
    raise UnknownFrameworkName(name)


def resolve(chunks: list[Chunk], clause: str, framework: str | None = None) -> list[Chunk]:
    """The library chunks a clause id names (the clause itself, else its parts, else its parent), best
    first. ``framework`` decides the framework when the id alone does not ("Art. 23" with "nis2")."""
    idents = find_identifiers(clause)
    if framework:
        exact = [c for c in chunks if c.extra.get("framework") == framework and c.section == clause.strip()]
        if exact:  # an id exactly as the library spells it ("Annex I, Part II, points 1-3")
            return exact
        found = _matching(chunks, framework, [i.section for i in idents][:1] or [clause.strip()])
    elif idents:
        found = _matching(chunks, idents[0].framework, [idents[0].section])
    else:
        raise UnknownClause(clause, "no clause id recognised (e.g. 03.05.03, AC-2(1), NIS2 Art. 21(2)(d))")
    if not found:
        raise UnknownClause(clause)
    return found


def _matching(chunks: list[Chunk], framework: str, sections: list[str]) -> list[Chunk]:
    scored = [
        (section_matches(c.section, s), c)
        for c in chunks
        if c.extra.get("framework") == framework
        for s in sections
    ]
    best = max((level for level, _ in scored), default=0)
    return [c for level, c in scored if level == best] if best else []


def official(chunks: list[Chunk], clause: Chunk) -> list[Mapping]:
    """The official mappings of one clause (SP 800-171 <-> SP 800-53 source controls)."""
    framework = clause.extra.get("framework")
    out: list[Mapping] = []
    if framework == _SP171:
        wanted = [s for s in str(clause.extra.get("source_controls") or "").split(",") if s]
        by_section = {c.section: c for c in chunks if c.extra.get("framework") == _SP53}
        out = [
            _mapping(by_section[s], OFFICIAL, official_label(_SP171), basis=_OFFICIAL_SOURCE)
            for s in wanted
            if s in by_section
        ]
    elif framework == _SP53:
        out = [
            _mapping(c, OFFICIAL, official_label(_SP171), basis=_OFFICIAL_SOURCE)
            for c in chunks
            if c.extra.get("framework") == _SP171
            and clause.section in str(c.extra.get("source_controls") or "").split(",")
        ]
    return out


def _mapping(chunk: Chunk, kind: str, label: str, score: float | None = None, basis: str = "") -> Mapping:
    return Mapping(
        str(chunk.extra.get("framework", "")),
        chunk.section or "",
        chunk.title or "",
        chunk.source,
        chunk.id,
        kind,
        label,
        None if score is None else round(score, 4),
        basis,
    )


class Library(Protocol):
    """What a crosswalk reads: the library's evidence snapshot and its store view (public texts, so no
    principal). :class:`advisor.service.Advisor` is one."""

    def library_index(self) -> TenantIndex: ...

    def library_view(self) -> TenantView: ...


def crosswalk(
    library: Library, clause: str, *, to: str | None = None, source_framework: str | None = None, k: int = 10
) -> Crosswalk:
    """Mappings of ``clause`` (a clause id as typed) to framework ``to`` (any other framework when None):
    the official ones where the library carries them, else up to ``k`` suggestions by text similarity."""
    to = framework_key(to) if to else None
    source_framework = framework_key(source_framework) if source_framework else None
    chunks = library.library_index().chunks
    found = resolve(chunks, clause, source_framework)
    head = found[0]
    own = str(head.extra.get("framework") or "")
    mappings = [m for c in found for m in official(chunks, c) if to in (None, m.framework)]
    mappings = list({m.chunk_id: m for m in mappings}.values())
    if not mappings or to is None:
        mappings += suggest(
            library.library_view(),
            found,
            to,
            own,
            k,
            exclude={m.chunk_id for m in mappings},
            text=_point_text(clause, head),
        )
    return Crosswalk(Clause.of(head), to, tuple(mappings))


def _point_text(clause: str, head: Chunk) -> str:
    """For a point of a paragraph ("NIS2 Art. 21(2)(d)"): the paragraph's lead-in and that point, else ""."""
    idents = find_identifiers(clause)
    m = re.fullmatch(r"(.+)\(([a-z])\)", idents[0].section) if idents else None
    if not m or m.group(1) != head.section:
        return ""
    lines = head.text.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.strip().startswith(f"({m.group(2)}) ")), None)
    if start is None:
        return ""
    depth = len(lines[start]) - len(lines[start].lstrip())
    body = [lines[start]]
    for ln in lines[start + 1 :]:
        if len(ln) - len(ln.lstrip()) <= depth:
            break
        body.append(ln)
    return "\n".join([lines[0], lines[1] if len(lines) > 1 and start > 1 else "", *body]).strip()


def suggest(
    view: TenantView,
    found: list[Chunk],
    to: str | None,
    own: str,
    k: int,
    exclude: Set[str] = frozenset(),
    text: str = "",
) -> list[Mapping]:
    """The ``k`` clauses of ``to`` (or of every other framework) closest in meaning to the clause's text
    (``text`` when given: a point of the clause)."""
    text = text or "\n".join(c.text for c in found)[:2000]
    vector = view.embeddings.embed_query(text)
    where = {"x_framework": {"$in": [to]}} if to else {"x_framework": {"$ne": own}}
    hits = view.dense_search(None, vector, k + len(exclude), where)
    out = [
        _mapping(h.chunk, SUGGESTED, SUGGESTED_LABEL, h.similarity)
        for h in hits
        if h.chunk.id not in exclude and h.chunk.extra.get("framework") != own
    ]
    return out[:k]
