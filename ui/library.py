"""Library: browse and search the built-in frameworks by clause id or words; open a clause; ask about it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from advisor.errors import AdvisorError
from advisor.service import Advisor
from ingest.frameworks.registry import FRAMEWORKS as REGISTRY
from ingest.frameworks.registry import shipped
from ingest.types import Chunk
from ui.context import PREFILL_KEY, Context, goto
from ui.export import escape_md
from ui.mappings import render_mappings

TITLE = "Library"
ICON = ":material/menu_book:"

FRAMEWORKS: dict[str, str] = {f.id: f.name for f in shipped()}  # from the framework registry
ALL = "__all__"
MAX_RESULTS = 200
_ID_LIKE = re.compile(r"^(art\.?\s*\d|[a-z]{1,3}-\d|v\d|\d{2,3}\.|[a-z]{2}\.[a-z]{2}|[a-z]{2}$)", re.I)


@dataclass(frozen=True)
class Clause:
    framework: str
    clause_id: str
    title: str
    source: str
    hierarchy: str
    text: str
    extra: dict

    @property
    def label(self) -> str:
        return f"{self.clause_id} — {self.title}" if self.title else self.clause_id


def natural_key(clause_id: str) -> tuple:
    """'AC-2' < 'AC-2(1)' < 'AC-20'."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.split(r"(\d+)", clause_id) if p)


def _norm(value: str) -> str:
    return re.sub(r"[\s.]+", "", value or "").lower()


def group_clauses(chunks: Sequence[Chunk]) -> list[Clause]:
    """One Clause per (framework, clause id), its chunk texts joined in order."""
    groups: dict[tuple[str, str], list[Chunk]] = {}
    for c in chunks:
        key = (str(c.extra.get("framework", c.source)), str(c.extra.get("clause_id") or c.section or c.id))
        groups.setdefault(key, []).append(c)
    out = []
    for (framework, clause_id), parts in groups.items():
        parts.sort(key=lambda c: (int(c.extra.get("paragraph", 0) or 0), c.id))
        first = parts[0]
        title = first.title or ""
        out.append(
            Clause(
                framework,
                clause_id,
                title,
                first.source,
                str(first.extra.get("hierarchy", "")),
                "\n\n".join(p.text for p in parts),
                dict(first.extra),
            )
        )
    return out


@st.cache_resource(show_spinner="Loading the library…", max_entries=4)
def _clauses(key: tuple, _adv: Advisor) -> list[Clause]:
    return group_clauses(_adv.library_index().chunks)


def library_clauses(adv: Advisor) -> list[Clause]:
    return _clauses((str(adv.settings.data_dir.resolve()), adv.library_generation()), adv)


def search(adv: Advisor, ctx_user, clauses: list[Clause], query: str, framework: str | None) -> list[Clause]:
    """Clause-id prefix matches first (e.g. 'AC-2', 'Art. 33', '164.308'), then a ranked word search."""
    pool = [c for c in clauses if framework is None or c.framework == framework]
    q = query.strip()
    if not q:
        return pool[:MAX_RESULTS]
    nq = _norm(q)
    by_id = [c for c in pool if _norm(c.clause_id).startswith(nq)]
    by_id.sort(key=lambda c: (_norm(c.clause_id) != nq, natural_key(c.clause_id)))
    if by_id and _ID_LIKE.match(q):
        return by_id[:MAX_RESULTS]
    options = adv.retrieval_options(k=25, frameworks=(framework,) if framework else ())
    trace = adv.retrieve(q, None, options=options, user=ctx_user)
    index = {(c.framework, c.clause_id): c for c in pool}
    words = q.lower().split()
    ranked: list[Clause] = by_id + [
        c for c in pool if all(w in c.title.lower() for w in words) and c not in by_id
    ]
    for p in trace.passages:
        key = (
            str(p.chunk.extra.get("framework", p.chunk.source)),
            str(p.chunk.extra.get("clause_id") or p.chunk.section),
        )
        hit = index.get(key)
        if hit is not None and hit not in ranked:
            ranked.append(hit)
    return ranked[:MAX_RESULTS]


def ask_prompt(clause: Clause) -> str:
    return (
        f"What does {clause.source} {clause.clause_id} ({clause.title}) require, "
        "and how do our documents address it?"
    )


def provenance_rows() -> list[dict[str, str]]:
    """Publisher, version, licence and official URL of each framework in the library (from the registry)."""
    return [
        {
            "Framework": f.name,
            "Publisher": f.publisher,
            "Version": f.version,
            "Licence": f.licence,
            "Official text": f.url,
        }
        for f in shipped()
    ]


def attribution(clause: Clause) -> str:
    """The line that goes with a quoted clause: publisher, version, licence, official URL, attribution."""
    fw = REGISTRY.get(clause.framework)
    if fw is None:
        return escape_md(clause.source)
    return (
        f"{escape_md(fw.publisher)} · {escape_md(fw.version)} · {escape_md(fw.licence)} · "
        f"[official text]({fw.url})  \n{escape_md(fw.attribution)}"
    )


def render_clause(clause: Clause) -> None:
    with st.container(border=True):
        st.caption(escape_md(clause.source))
        st.caption(attribution(clause))
        st.subheader(f"{clause.clause_id} {clause.title}".strip(), anchor=False)
        if clause.hierarchy:
            st.markdown(" › ".join(f"`{part.strip()}`" for part in clause.hierarchy.split(">")))
        baselines = clause.extra.get("baselines")
        if baselines:
            st.caption("Baselines: " + escape_md(str(baselines).replace(",", ", ")))
        related = clause.extra.get("related")
        if related:
            st.caption("Related: " + escape_md(str(related).replace(",", ", ")))
        st.text(clause.text)


def render(ctx: Context) -> None:
    st.title("Regulatory library")
    st.caption(
        "The built-in frameworks, with their public-domain or open-licence texts. Search by clause id "
        "(AC-2(3), Art. 33, 164.308, GV.OC-01, V6.2.1) or by words."
    )
    try:
        clauses = library_clauses(ctx.adv)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    left, right = st.columns([1, 2])
    with left:
        fw = st.selectbox(
            "Framework",
            [ALL, *FRAMEWORKS],
            key="library_framework",
            format_func=lambda k: "All frameworks" if k == ALL else FRAMEWORKS.get(k, k),
        )
    with right:
        query = st.text_input("Search", key="library_query", placeholder="AC-2, breach notification, …")
    framework = None if fw == ALL else fw
    try:
        results = search(ctx.adv, ctx.user, clauses, query, framework)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    counts = {k: sum(c.framework == k for c in clauses) for k in FRAMEWORKS}
    st.caption(" · ".join(f"{FRAMEWORKS[k]}: {n}" for k, n in counts.items() if n))
    with st.expander("Sources and licences"):
        st.caption(
            "The texts are fetched from their publishers (`vciso kb fetch`) or read from VCISO_CORPUS_DIR; "
            "the repository carries none of them."
        )
        st.dataframe(
            provenance_rows(),
            hide_index=True,
            column_config={"Official text": st.column_config.LinkColumn("Official text")},
        )
    if not results:
        st.info("No clause matches. Try fewer words or another framework.")
        return
    labels = {f"{c.framework}|{c.clause_id}": c for c in results}
    # A new result list gets a new widget, so the browser never shows a choice from the previous list.
    digest = hashlib.sha1("\n".join(labels).encode()).hexdigest()[:10]
    choice = st.selectbox(
        f"{len(results)} clause(s)",
        list(labels),
        key=f"library_clause_{digest}",
        format_func=lambda k: f"{FRAMEWORKS.get(labels[k].framework, labels[k].source)} {labels[k].label}",
    )
    clause = labels[choice]
    render_clause(clause)
    render_mappings(ctx.adv, clause.framework, clause.clause_id)
    if st.button("Ask about this in chat", key="library_ask", type="primary", icon=":material/forum:"):
        st.session_state[PREFILL_KEY] = ask_prompt(clause)
        goto("chat")
