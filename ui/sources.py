"""How one answer is shown: its text with [n] markers, a source card per citation, export and feedback.

Every lookup goes through the Advisor with the signed-in user, so the core checks access again.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from advisor.errors import AdvisorError
from advisor.models import Answer, Citation
from ui import recorded
from ui.context import Context
from ui.export import answer_markdown, client_label, escape_md, export_name, locator, to_docx, to_markdown

log = logging.getLogger(__name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def source_file(ctx: Context, client: str | None, source: str) -> Path | None:
    """The file behind a client citation, found only in that client's manifest; None otherwise."""
    if client is None or not ctx.user.may_read(client):
        return None
    for record in ctx.adv.sources(client, user=ctx.user):
        if record.source == source:
            path = Path(record.path)
            return path if path.is_file() else None
    return None


def render_answer(ctx: Context, answer: Answer, key: str) -> None:
    """Everything under one assistant message. ``key`` makes widget keys unique per answer."""
    if answer.abstained:
        st.info(escape_md(answer.text), icon=":material/help:")
        if answer.trace is not None and answer.trace.searched:
            st.caption("Searched: " + escape_md("; ".join(answer.trace.searched)))
    else:
        st.markdown(answer_markdown(answer.text, anchor_prefix=f"src-{key}"))
        if answer.removed:
            st.caption(
                f"{len(answer.removed)} sentence(s) were removed because their sources did not support them."
            )
        render_cards(ctx, answer, key)
    for note in answer.trace.withheld if answer.trace is not None else ():
        st.caption(
            ":material/gpp_maybe: " + escape_md(note)
        )  # the evidence rule's exclusions, for the reviewer
    meta = f"{answer.backend} · {answer.audience} · {answer.latency_ms:.0f} ms"
    st.caption(escape_md(meta))
    with st.container(horizontal=True, key=f"actions-{key}"):
        _exports(ctx, answer, key)
        _feedback(ctx, answer, key)


def render_cards(ctx: Context, answer: Answer, key: str) -> None:
    st.markdown("**Sources**")
    for c in answer.citations:
        _card(ctx, answer, c, key)


def _card(ctx: Context, answer: Answer, c: Citation, key: str) -> None:
    with st.container(border=True, key=f"card-{key}-{c.n}"):
        st.markdown(f'<a id="src-{key}-{c.n}"></a>', unsafe_allow_html=True)  # target of the [n] link
        title = f"**\\[{c.n}\\] {escape_md(c.source)}**"
        if c.title and c.title != c.source:
            title += f" — {escape_md(c.title)}"
        colour = "gray" if c.client is None else "blue"
        st.markdown(f"{title} &nbsp; :{colour}-badge[{client_label(c.client)}]")  # client ids are [a-z0-9_-]
        where = locator(c)
        if where:
            st.caption(escape_md(where))
        st.markdown("\n".join("> " + escape_md(line) for line in (c.quote or "").splitlines()))
        with st.expander("View the whole passage"):
            try:
                st.text(ctx.adv.chunk_text(c.client, c.chunk_id, user=ctx.user))
            except AdvisorError as exc:
                st.warning(str(exc))
        if c.client is not None and c.client == answer.client:
            path = source_file(ctx, c.client, c.source)
            if path is not None:
                st.download_button(
                    f"Download {path.name}",
                    data=recorded.source_file(ctx, c.client, c.source),
                    file_name=path.name,
                    key=f"dl-{key}-{c.n}",
                    icon=":material/download:",
                    on_click="ignore",
                )


def _record_name(answer: Answer) -> str:
    """The exported answer by its audit record (the question text stays out of the security log)."""
    record = (answer.timings or {}).get("audit_id")
    return f"audit record {record}" if record is not None else "answer"


def _exports(ctx: Context, answer: Answer, key: str) -> None:
    st.download_button(
        "Export Markdown",
        data=recorded.export(
            ctx, "answer Markdown", answer.client, _record_name(answer), lambda: to_markdown(answer)
        ),
        file_name=export_name(answer, "md"),
        mime="text/markdown",
        key=f"md-{key}",
        on_click="ignore",
        icon=":material/description:",
    )
    st.download_button(
        "Export DOCX",
        data=recorded.export(
            ctx, "answer DOCX", answer.client, _record_name(answer), lambda: to_docx(answer)
        ),
        file_name=export_name(answer, "docx"),
        mime=DOCX_MIME,
        key=f"docx-{key}",
        on_click="ignore",
        icon=":material/article:",
    )


def _feedback(ctx: Context, answer: Answer, key: str) -> None:
    audit_id = answer.timings.get("audit_id")
    if audit_id is None:
        return
    done_key = f"fb-done-{key}"
    if st.session_state.get(done_key):
        st.caption("Thank you — your feedback is stored with the audit record.")
        return
    with st.popover("Feedback", icon=":material/rate_review:"):
        rating = st.feedback("thumbs", key=f"fb-{key}")
        comment = st.text_input("Comment (optional)", key=f"fb-comment-{key}")
        if st.button("Send feedback", key=f"fb-send-{key}", disabled=rating is None):
            try:
                ctx.adv.audit.set_feedback(
                    int(audit_id), "up" if rating == 1 else "down", comment, user=ctx.user.username
                )
            except AdvisorError as exc:
                st.error(str(exc))
            else:
                st.session_state[done_key] = True
                st.rerun()
