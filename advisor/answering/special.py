"""Questions answered from structure rather than by composing sentences:

- **crosswalk** ("Which 800-53 controls support NIS2 Art. 21(2)(d)?", "What 800-53 controls is 03.05.03
  derived from?"): the mapping of :mod:`advisor.retrieval.crosswalk`, each mapped clause cited, official
  mappings and suggestions labelled as such;
- **applicability** ("Does NIS2 apply to us?", "Are we in scope of DORA?"): the act's scope clauses (NIS2
  Art. 2-3 and Annexes I-II, DORA Art. 2) and the client's own statements about its sector and size, cited,
  with the plain statement that applicability is a legal determination for a human;
- **whole tables** ("What is the highest-scored risk?", "Which findings are rated High?"): every row of the
  client's table compared or filtered by code (:mod:`advisor.answering.extremes`), each row cited.

Remediation-progress questions ("Are we on track to fix what the auditors found?") are answered from the
confirmed findings register (:mod:`advisor.register.progress`).

Every quote is a verbatim excerpt of the cited chunk; every clause id comes from the library.
``special_answer``
returns None for any other question, which then takes the ordinary path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.answering.extremes import AtLevel, Extreme, at_level, describe, extreme
from advisor.answering.sentences import split_sentences
from advisor.models import Answer, Citation, Passage
from advisor.retrieval.crosswalk import UnknownClause, UnknownFrameworkName, crosswalk
from advisor.retrieval.items import companions
from advisor.retrieval.question import Question
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

# What a client's documents say about its sector and size (the facts an applicability check needs).
_PROFILE = re.compile(
    r"\b(employees|headcount|turnover|revenue|balance sheet|payment (institution|service provider)|"
    r"e-money|licen[cs]ed|authori[sz]ed by|B\.V\.|GmbH|headquarter\w*|credit institution|"
    r"financial entit\w*|member states?|sector)\b",
    re.I,
)
SCOPE = {
    "nis2": ("Art. 2(1)", "Art. 2(2)", "Art. 3(1)", "Art. 3(2)", "Annex I", "Annex II"),
    "dora": ("Art. 2(1)", "Art. 2(3)", "Art. 2(4)"),
}
LEGAL_NOTE = (
    "Whether {law} applies to {who} is a legal determination for a human (counsel or the competent "
    "authority) to make; the scope rules and the facts found are set out below."
)
_QUOTE = 240


def special_answer(adv, question: Question, client: str | None, audience: str, user) -> Answer | None:
    """An Answer for a crosswalk, applicability or remediation-progress question, else None."""
    text, idents = question.asked or question.text, question.identifiers
    if question.asks_mapping:
        source = idents[0].framework
        targets = [
            f for f in question.frameworks if f != source and FRAMEWORKS.get(f) and FRAMEWORKS[f].ships
        ]
        if targets:
            return _crosswalk_answer(adv, text, client, audience, idents[0], targets[0])
    laws = [f for f in question.frameworks if f in SCOPE]
    if laws and question.asks_scope:
        return _applicability_answer(adv, text, client, audience, laws[0], user)
    if client and question.extreme:
        found = extreme(question, adv.tenant_index(client, user=user).chunks)
        if found is not None:
            return _extreme_answer(found, question, client, audience)
    if client and question.level:
        index = adv.tenant_index(client, user=user)
        rated = at_level(question, index.chunks)
        if rated is not None:
            return _level_answer(rated, index.item_sections, question, client, audience)
    from advisor.register.progress import progress_answer  # "are we on track?": the findings register

    return progress_answer(adv, text, client, audience, user)


def _quote(chunk: Chunk) -> str:
    body = " ".join(chunk.text.split("\n")[1:]).strip() or chunk.text
    body = re.sub(r"\s+", " ", body)
    return body if len(body) <= _QUOTE else body[:_QUOTE].rsplit(" ", 1)[0] + " …"


def _answer(
    text: str,
    cited: Sequence[tuple[Chunk, str]],
    question: str,
    client: str | None,
    audience: str,
    backend: str,
) -> Answer:
    citations = tuple(
        Citation.from_passage(n, Passage(c, c.text, 1.0), quote)
        for n, (c, quote) in enumerate(cited, start=1)
    )
    return Answer(
        text=text,
        citations=citations,
        abstained=False,
        audience=audience,
        backend=backend,
        client=client,
        question=question,
    )


def _extreme_answer(found: Extreme, question: Question, client: str, audience: str) -> Answer:
    """The row(s) with the extreme value, each cited; the comparison over the whole table is vciso's."""
    t, k = found.table, found.column
    names = [describe(cells, t.header, question) for cells, _, _ in found.rows]
    which = "highest" if found.largest else "lowest"
    kept = "open " if found.open_only else ""
    verb = "has" if len(names) == 1 else "share"
    whose = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    head = f"{whose} {verb} the {which} {t.header[k]} ({found.value})"
    markers = "".join(f"[{n}]" for n in range(1, len(found.rows) + 1))
    lines = [
        f"{head} of the {found.considered} {kept}entries in {t.source} {markers}.",
        f"(vciso compared the {t.header[k]} of every {kept}row of the table; the cited row holds the value.)",
    ]
    if audience == "executive":
        lines[0] = f"Bottom line: {lines[0]}"
    cited = [(chunk, line) for _, chunk, line in found.rows]
    return _answer("\n\n".join(lines), cited, question.asked or question.text, client, audience, "table")


def _level_answer(
    found: AtLevel,
    sections: dict[tuple[str, str], list[Chunk]],
    question: Question,
    client: str,
    audience: str,
) -> Answer:
    """Every row at the asked level, each with its fields and cited; a row's item's own section (the detailed
    finding) is cited beside it. The count over the whole table is vciso's."""
    t, k = found.table, found.column
    level = found.rows[0][0][k] if found.rows else found.level.capitalize()
    n = len(found.rows)
    if n:
        verb = "has" if n == 1 else "have"
        head = f"{n} of the {found.considered} entries in {t.source} {verb} {t.header[k]} {level}:"
    else:
        head = f"None of the {found.considered} entries in {t.source} has {t.header[k]} {level}."
        if found.worst:
            head += f" The most severe have {t.header[k]} {found.worst[0][0][k]}:"
    cited: list[tuple[Chunk, str]] = []
    lines: list[str] = []
    for cells, chunk, line in found.rows or found.worst:
        cited.append((chunk, line))
        markers = f"[{len(cited)}]"
        for own in companions(chunk, sections)[:1]:
            cited.append((own, _quote(own)))
            markers += f"[{len(cited)}]"
        fields = "; ".join(
            f"{h}: {v}" for j, (h, v) in enumerate(zip(t.header[1:], cells[1:]), 1) if v and j != k
        )
        lines.append(f"- {cells[0]}: {fields} {markers}")
    note = f"(vciso read the {t.header[k]} of every row of the table.)"
    text = "\n\n".join([head, *(["\n".join(lines)] if lines else []), note])
    if audience == "executive":
        text = f"Bottom line: {text}"
    return _answer(text, cited, question.asked or question.text, client, audience, "table")


def _crosswalk_answer(adv, question, client, audience, ident, target) -> Answer | None:
    try:
        cw = crosswalk(adv, ident.section, to=target, source_framework=ident.framework, k=5)
    except (UnknownClause, UnknownFrameworkName):
        return None
    by_id = {c.id: c for c in adv.library_index().chunks}
    head = by_id[cw.clause.chunk_id]
    cited: list[tuple[Chunk, str]] = [(head, _quote(head))]
    to_name = FRAMEWORKS[target].name
    clause = f"{cw.clause.source} {cw.clause.section} ({cw.clause.title})"
    lines: list[str] = []
    if cw.official:
        lines.append(
            f"{clause} [1] maps officially to these {to_name} controls, "
            f"{cw.official[0].label}: {cw.official[0].basis}."
        )
    else:
        lines.append(
            f"The library holds no official mapping from {clause} [1] to {to_name}. "
            f"Suggested related clauses, by similarity of text (suggested — not an official mapping; "
            f"a reviewer must judge them):"
        )
    for m in cw.mappings:
        chunk = by_id.get(m.chunk_id)
        if chunk is None:
            continue
        cited.append((chunk, _quote(chunk)))
        score = f" (score {m.score:.2f})" if m.score is not None else ""
        lines.append(f"- {m.section} {m.title} [{len(cited)}]{score} — {m.label}.")
    if len(cited) == 1:
        return None
    return _answer("\n".join(lines), cited, question, client, audience, "crosswalk")


def _applicability_answer(adv, question, client, audience, law, user) -> Answer:
    fw = FRAMEWORKS[law]
    index = adv.library_index()
    cited: list[tuple[Chunk, str]] = []
    who = f"client {client}" if client else "an organisation"
    lines = [LEGAL_NOTE.format(law=fw.label, who=who), "", f"Scope of {fw.name}:"]
    for section in SCOPE[law]:
        chunks = [
            c
            for c in index.chunks
            if c.extra.get("framework") == law
            and (c.section == section or (c.section or "").startswith(section + ","))
        ]
        if not chunks:
            continue
        chunk = chunks[0]
        cited.append((chunk, _quote(chunk)))
        lines.append(f"- {chunk.section} ({chunk.title}): {_quote(chunk)} [{len(cited)}]")
    facts = _client_facts(adv, client, fw.name, user) if client else []
    if facts:
        lines += ["", f"What {client}'s documents say about its sector and size:"]
        for chunk, sentence in facts:
            cited.append((chunk, sentence))
            where = Citation.from_passage(len(cited), Passage(chunk, chunk.text, 1.0), sentence).place()
            lines.append(f"- {sentence} [{len(cited)}] ({where})")
    elif client:
        lines += [
            "",
            f"{client}'s documents say nothing found about its sector or size; these facts are needed.",
        ]
    return _answer("\n".join(lines), cited, question, client, audience, "applicability")


def _client_facts(adv, client: str, law_name: str, user, limit: int = 4) -> list[tuple[Chunk, str]]:
    """Sentences of the client's own documents about its sector, size and licences, most telling first
    (more profile words, then figures), in document order among equals."""
    found: list[tuple[int, int, Chunk, str]] = []
    seen: set[str] = set()
    for n, chunk in enumerate(adv.tenant_index(client, user=user).chunks):
        for sentence in split_sentences(chunk.text):
            s = re.sub(r"\s+", " ", sentence).strip()
            hits = len(_PROFILE.findall(s))
            if len(s) < 25 or len(s) > 700 or s in seen or not hits:
                continue
            seen.add(s)
            found.append((-(hits + (1 if re.search(r"\d", s) else 0)), n, chunk, s))
    return [(chunk, s) for _, _, chunk, s in sorted(found, key=lambda t: (t[0], t[1]))[:limit]]
