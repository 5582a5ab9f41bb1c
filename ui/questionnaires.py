"""Questionnaires: upload a security questionnaire (xlsx or csv), fill it from a client's documents with a
progress bar, review and edit the answers in a table, and download the filled workbook (original layout
kept, answer columns added).

Streamlit calls over the core API only (:mod:`advisor.assessment.questionnaire`). ``render(ctx)`` takes the
page registry's ``Context``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from advisor.access.policy import Access
from advisor.assessment.autofill import QAnswer, answer_all
from advisor.assessment.questionnaire import QuestionnaireError, default_output, read, sources_text, write
from advisor.errors import AdvisorError
from ui import recorded
from ui.clients import offered_clients
from ui.context import Context

TITLE = "Questionnaires"
ICON = ":material/checklist:"
STATE_KEY = "questionnaire_state"
TABLES_KEY = "questionnaire_tables"  # parsed workbooks of this session, by (content hash, column)
ANSWERS = ["yes", "no", "partial", "n/a", ""]


def _upload_dir() -> Path:
    if "questionnaire_dir" not in st.session_state:
        st.session_state["questionnaire_dir"] = tempfile.mkdtemp(prefix="vciso-questionnaire-")
    return Path(st.session_state["questionnaire_dir"])


def review_rows(answers: list[QAnswer]) -> list[dict]:
    """The editable review table (pure, for tests)."""
    return [
        {
            "Row": a.row,
            "Question": a.question,
            "Answer": a.answer,
            "Explanation": a.explanation,
            "Sources": sources_text(a.citations),
            "Confidence": round(a.confidence, 2),
            "Needs review": a.needs_review,
            "Accepted": False,
        }
        for a in answers
    ]


def apply_edits(answers: list[QAnswer], rows: list[dict]) -> list[QAnswer]:
    """Answers as the reviewer left them: edited answer/explanation; an accepted row no longer needs review;
    an empty answer always does (pure, for tests)."""
    by_row = {r["Row"]: r for r in rows}
    out = []
    for a in answers:
        r = by_row.get(a.row)
        if r is None:
            out.append(a)
            continue
        answer = r["Answer"] if r["Answer"] in ANSWERS else a.answer
        needs = (bool(r["Needs review"]) and not bool(r["Accepted"])) or answer == ""
        out.append(replace(a, answer=answer, explanation=str(r["Explanation"] or ""), needs_review=needs))
    return out


def parsed(path: Path, data: bytes, column: str | None = None):
    """The uploaded questionnaire parsed once per session (and per question column), not on every rerun:
    Streamlit reruns the page on each click, and a large workbook took minutes to read."""
    cache = st.session_state.setdefault(TABLES_KEY, {})
    key = (hashlib.sha256(data).hexdigest(), column)
    if key not in cache:
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = read(path, column)
    return cache[key]


def render(ctx: Context) -> None:
    adv, user = ctx.adv, ctx.user
    st.title("Questionnaires")
    st.caption(
        "Answers come from the client's own documents, with sources. When the documents don't answer a "
        "question, the answer is left empty for review — nothing is guessed."
    )
    clients = offered_clients(adv, user)
    if not clients:
        return
    client = st.selectbox("Client", clients, key="questionnaire_client")
    upload = st.file_uploader("Questionnaire (.xlsx or .csv)", type=["xlsx", "csv"], key="questionnaire_file")
    if upload is None:
        st.info("Upload a questionnaire to begin.")
        return
    path = _upload_dir() / Path(upload.name).name
    data = upload.getvalue()
    try:
        table = parsed(path, data)
    except QuestionnaireError as exc:
        st.error(str(exc))
        return
    headers = [h or f"(column {i + 1})" for i, h in enumerate(table.headers)]
    column = st.selectbox("Question column", headers, index=table.question_col, key="questionnaire_column")
    if headers.index(column) != table.question_col:
        table = parsed(path, data, table.headers[headers.index(column)])
    where = f"sheet '{table.sheet}', " if table.sheet else ""
    st.caption(f"{len(table.questions)} questions found ({where}header row {table.header_row}).")

    state = st.session_state.get(STATE_KEY)
    key = (client, upload.name, upload.size, table.question_col)
    if st.button("Fill in answers", type="primary", key="questionnaire_run", disabled=not table.questions):
        bar = st.progress(0.0, text="Answering…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"{done}/{total} questions")

        try:
            Access.require_read(user, client)
            filled = answer_all(
                adv,
                client,
                table.questions,
                user=user,
                progress=progress,
            )
        except AdvisorError as exc:
            bar.empty()
            st.error(str(exc))
            return
        bar.empty()
        state = {"key": key, "answers": filled}
        st.session_state[STATE_KEY] = state
    if not state or state["key"] != key:
        return
    answers: list[QAnswer] = state["answers"]
    review = sum(a.needs_review for a in answers)
    st.markdown(
        f"**{len(answers) - review} answered, {review} left for review.** Edit an answer or tick "
        "*Accepted* to confirm it; empty answers stay marked for review."
    )
    import pandas as pd

    edited = st.data_editor(
        pd.DataFrame(review_rows(answers)),
        key="questionnaire_editor",
        hide_index=True,
        width="stretch",
        disabled=["Row", "Question", "Sources", "Confidence"],
        column_config={
            "Answer": st.column_config.SelectboxColumn("Answer", options=ANSWERS, width="small"),
            "Explanation": st.column_config.TextColumn("Explanation", width="large"),
            "Confidence": st.column_config.ProgressColumn(
                "Confidence", min_value=0.0, max_value=1.0, format="%.2f"
            ),
            "Needs review": st.column_config.CheckboxColumn("Needs review"),
            "Accepted": st.column_config.CheckboxColumn("Accepted"),
        },
    )
    final = apply_edits(answers, edited.to_dict("records"))
    out = write(table, final, _upload_dir() / default_output(path).name)
    mime = (
        "text/csv"
        if table.sheet is None
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download filled questionnaire",
        recorded.exporting(
            adv, user, "filled questionnaire", client, out.name, functools.partial(bytes, out.read_bytes())
        ),
        out.name,
        mime=mime,
        type="primary",
        key="questionnaire_dl",
    )
    c2.download_button(
        "Download JSON",
        recorded.exporting(
            adv,
            user,
            "questionnaire JSON",
            client,
            f"{path.stem}.json",
            functools.partial(str, json.dumps({"items": [a.as_contract() for a in final]}, indent=2)),
        ),
        f"{path.stem}.json",
        mime="application/json",
        key="questionnaire_dl_json",
    )
    with st.expander("Sources of each answer"):
        from ui.export import escape_md

        for a in final:
            if a.citations:
                st.markdown(f"**Row {a.row}** — {escape_md(a.question)}")
                for c in a.citations:
                    st.markdown(f"[{c['n']}] {escape_md(c['source'])} — “{escape_md(c['quote'])}”")
