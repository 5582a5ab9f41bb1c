"""Drafts: create policy drafts and board memos, edit them into new versions, compare versions, submit
for review, approve or reject with a comment (role-checked), and download DOCX or Markdown.

Streamlit calls over the core API only: :mod:`advisor.drafting` does the drafting, the workflow rules
and the exports. ``render(ctx)`` takes the page registry's ``Context``.
"""

from __future__ import annotations

import re

import streamlit as st

from advisor.access.policy import Access
from advisor.db import open_database
from advisor.drafting import BANNER, POLICY_TYPES
from advisor.drafting.export import to_docx, to_markdown
from advisor.drafting.store import DraftStore, StoredDraft, Version
from advisor.errors import AdvisorError
from ui import recorded
from ui.context import Context
from ui.export import escape_md

TITLE = "Drafts"
ICON = ":material/edit_document:"
SELECTED_KEY = "drafts_selected"
KINDS = {"Policy": "policy", "Board memo": "memo"}


def safe_markdown(text: str) -> str:
    """Draft Markdown shown as written, but document text cannot become images, links, HTML or LaTeX."""
    text = text.replace("\\", "\\\\").replace("$", "\\$").replace("<", "&lt;")
    text = text.replace("[", "\\[").replace("]", "\\]")  # no link, image or reference syntax at all
    text = re.sub(r"(?i)\b(https?|ftp|mailto|file|data|javascript):", r"\1\\:", text)  # no bare autolinks
    return re.sub(r"(?i)\bwww\.", r"www\\.", text).replace("@", "\\@")


def _store(adv) -> DraftStore:
    return DraftStore(open_database(adv.settings))


def _label(d: StoredDraft) -> str:
    return f"#{d.id} · v{d.latest.version} · {d.latest.status.replace('_', ' ')} · {d.title}"


def create_form(adv, user, client: str, store: DraftStore) -> None:
    with st.form("drafts_new"):
        kind = st.radio("Kind", list(KINDS), horizontal=True, key="drafts_kind")
        policy_type = st.selectbox(
            "Policy type",
            POLICY_TYPES,
            key="drafts_type",
            format_func=lambda t: t.replace("-", " ").capitalize(),
        )
        topic = st.text_input("Memo topic (optional)", key="drafts_topic")
        go = st.form_submit_button("Generate draft", type="primary")
    if not go:
        return
    try:
        with st.spinner("Drafting from the client's documents and the regulatory library…"):
            if KINDS[kind] == "policy":
                from advisor.drafting.policy import draft_policy

                draft = draft_policy(adv, client, policy_type, user=user)
            else:
                from advisor.drafting.memo import draft_memo

                draft = draft_memo(adv, client, topic=topic.strip(), user=user)
        stored = store.create(draft, user.username, user=user)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    for note in draft.notes:
        st.info(note)
    st.session_state[SELECTED_KEY] = stored.id
    st.success(f"Draft #{stored.id} created ({len(draft.citations)} citations).")


def show_version(v: Version) -> None:
    if v.status != "approved":
        st.warning(f"{BANNER} — version {v.version} is {v.status.replace('_', ' ')}.")
    else:
        st.success(f"Version {v.version} approved by {v.reviewer} on {(v.reviewed_at or '')[:10]}.")
    if v.comment:
        st.caption(escape_md(f"Reviewer comment ({v.reviewer}): {v.comment}"))
    with st.container(border=True):
        st.markdown(safe_markdown(v.text))
    if v.citations:
        with st.expander(f"Sources ({len(v.citations)})"):
            for c in v.citations:
                where = " · ".join(
                    x
                    for x in (
                        c.title or c.source,
                        c.locator(),  # the one citation formatter's page and section
                        c.client or "regulatory library",
                    )
                    if x
                )
                st.markdown(safe_markdown(f"**[{c.n}]** {where}"))
                st.caption(escape_md(c.quote))  # document text: shown, never rendered


def review_panel(user, store: DraftStore, d: StoredDraft) -> None:
    v = d.latest
    if v.status == "draft":
        if st.button("Submit for review", key="drafts_submit", type="primary"):
            _act(lambda: store.submit(d.id, user=user), "Submitted for review.")
    elif v.status == "in_review":
        if not user.may_approve:
            st.info("Waiting for review by a consultant or an admin.")
            return
        comment = st.text_area(
            "Review comment (required to reject)", key=f"drafts_comment_{d.id}_{v.version}"
        )
        c1, c2 = st.columns(2)
        if c1.button("Approve", key="drafts_approve", type="primary"):
            _act(lambda: store.approve(d.id, user, comment), "Approved.")
        if c2.button("Reject", key="drafts_reject"):
            _act(
                lambda: store.reject(d.id, user, comment),
                "Rejected; the author can edit it into a new version.",
            )
    elif v.status == "rejected":
        st.info("Rejected: edit the draft to create a new version, then submit it again.")


def _act(action, message: str) -> None:
    try:
        action()
    except AdvisorError as exc:
        st.error(str(exc))
        return
    st.success(message)
    st.rerun()


def edit_panel(user, store: DraftStore, d: StoredDraft) -> None:
    v = d.latest
    if v.status == "in_review":
        st.info("A version in review cannot be edited; approve or reject it first.")
        return
    if v.status == "approved":
        st.caption("The approved version stays as it is; saving creates a new version (status draft).")
    text = st.text_area(
        "Markdown text ([n] markers must keep pointing at existing sources)",
        v.text,
        height=420,
        key=f"drafts_text_{d.id}_{v.version}",
    )
    if st.button("Save as new version", key="drafts_save"):
        if text == v.text:
            st.info("Nothing changed.")
        else:
            _act(lambda: store.edit(d.id, text, user.username, user=user), "Saved as a new version.")


def compare_panel(user, store: DraftStore, d: StoredDraft, versions: list[Version]) -> None:
    if len(versions) < 2:
        st.info("Only one version so far.")
        return
    numbers = [v.version for v in versions]
    c1, c2 = st.columns(2)
    a = c1.selectbox("From version", numbers, index=len(numbers) - 2, key="drafts_diff_a")
    b = c2.selectbox("To version", numbers, index=len(numbers) - 1, key="drafts_diff_b")
    st.code(store.diff(d.id, a, b, user=user) or "(no differences)", language="diff")
    st.dataframe(
        [
            {
                "Version": v.version,
                "Status": v.status,
                "Author": v.author,
                "Reviewer": v.reviewer or "",
                "Comment": v.comment or "",
                "Saved (UTC)": v.ts[:16].replace("T", " "),
            }
            for v in versions
        ],
        hide_index=True,
    )


def downloads(d: StoredDraft, v: Version, adv, user) -> None:
    def docx() -> bytes:
        return to_docx(
            v.text,
            v.citations,
            status=v.status,
            version=v.version,
            reviewer=v.reviewer,
            reviewed_at=v.reviewed_at,
        )

    def markdown() -> str:
        return to_markdown(
            v.text,
            v.citations,
            status=v.status,
            version=v.version,
            reviewer=v.reviewer,
            reviewed_at=v.reviewed_at,
        )

    name = re.sub(r"[^A-Za-z0-9]+", "-", f"{d.client}-{d.type}-v{v.version}").strip("-").lower()
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download DOCX",
        recorded.exporting(
            adv,
            user,
            "draft DOCX",
            d.client,
            f"draft {d.id} version {v.version}",
            docx,
        ),
        file_name=f"{name}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="drafts_dl_docx",
    )
    c2.download_button(
        "Download Markdown",
        recorded.exporting(
            adv,
            user,
            "draft Markdown",
            d.client,
            f"draft {d.id} version {v.version}",
            markdown,
        ),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="drafts_dl_md",
    )


def render(ctx: Context) -> None:
    adv, user = ctx.adv, ctx.user
    st.title("Drafts")
    st.caption(
        "Policies and board memos drafted from the client's documents and the regulations, for human "
        "review. Every [n] points to a source; every [DECIDE: …] is a decision for a person."
    )
    store = _store(adv)
    try:
        known = set(adv.clients(user=user)) | {d.client for d in store.list(user=user)}
    except AdvisorError as exc:
        st.error(str(exc))
        return
    clients = Access.visible_clients(user, sorted(known))
    if not clients:
        st.info("No client is available to you. Ingest a client's documents first.")
        return
    client = st.selectbox("Client", clients, key="drafts_client")
    with st.expander("New draft", expanded=not store.list(client, user=user)):
        create_form(adv, user, client, store)
    drafts = store.list(client, user=user)
    if not drafts:
        st.info("No drafts for this client yet.")
        return
    by_id = {d.id: d for d in drafts}
    selected = st.session_state.get(SELECTED_KEY)
    ids = list(by_id)
    chosen = st.selectbox(
        "Draft",
        ids,
        index=ids.index(selected) if selected in by_id else 0,
        format_func=lambda i: _label(by_id[i]),
        key="drafts_pick",
    )
    st.session_state[SELECTED_KEY] = chosen
    d = store.get(chosen, user=user)
    versions = store.history(d.id, user=user)
    numbers = [v.version for v in versions]
    shown = st.selectbox(
        "Version", numbers, index=len(numbers) - 1, key=f"drafts_version_{d.id}_{len(numbers)}"
    )
    v = next(x for x in versions if x.version == shown)
    view, edit, compare, review = st.tabs(["View", "Edit", "Compare versions", "Review"])
    with view:
        downloads(d, v, adv, user)
        show_version(v)
    with edit:
        edit_panel(user, store, d)
    with compare:
        compare_panel(user, store, d, versions)
    with review:
        review_panel(user, store, d)
