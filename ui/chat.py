"""Chat: ask about one client's documents and the regulatory library; answers stream in, cited."""

from __future__ import annotations

import logging

import streamlit as st

from advisor.errors import AdvisorError
from advisor.models import AUDIENCES, Answer
from ui.context import PREFILL_KEY, Context, wait_until_warm
from ui.export import escape_md
from ui.sources import render_answer

log = logging.getLogger(__name__)

TITLE = "Chat"
ICON = ":material/forum:"

LIBRARY_ONLY = "__library__"
CLIENT_KEY = "chat_client"
AUDIENCE_KEY = "chat_audience"
HISTORY_KEY = "chat_history"  # {client or LIBRARY_ONLY: [{"question": str, "answer": Answer}]}
MAX_QUESTION_CHARS = 2000

EXTRACTIVE_NOTE = (
    "**Extractive mode** — no language model is configured, so answers are composed from sentences "
    "quoted from the retrieved passages. Nothing is paraphrased or invented, but the wording can be "
    "terse. An administrator can connect an LLM (Ollama, an OpenAI-compatible server or a local GGUF "
    "model) in the settings; the same citation checks apply to every engine."
)


def _client_label(value: str) -> str:
    return "Built-in library only" if value == LIBRARY_ONLY else value


def pick_client(ctx: Context) -> str | None:
    """The selected client (None: library only). Offers only the clients this user may read."""
    visible = ctx.adv.clients(user=ctx.user)
    options = [*visible, LIBRARY_ONLY]
    if st.session_state.get(CLIENT_KEY) not in options:
        st.session_state.pop(CLIENT_KEY, None)
    choice = st.selectbox(
        "Client",
        options,
        format_func=_client_label,
        key=CLIENT_KEY,
        help="Answers use this client's documents plus the regulatory library — never another client's.",
    )
    return None if choice == LIBRARY_ONLY else choice


def pick_audience(ctx: Context) -> str:
    if AUDIENCE_KEY not in st.session_state:
        st.session_state[AUDIENCE_KEY] = ctx.user.default_audience
    return (
        st.segmented_control(
            "Audience", AUDIENCES, key=AUDIENCE_KEY, required=True, format_func=str.capitalize
        )
        or ctx.user.default_audience
    )


def history_for(client: str | None) -> list[dict]:
    """This client's conversation. Each client has its own, so no context crosses clients."""
    store = st.session_state.setdefault(HISTORY_KEY, {})
    return store.setdefault(client or LIBRARY_ONLY, [])


def render(ctx: Context) -> None:
    st.title("Ask the virtual CISO")
    if ctx.adv.engine.name == "extractive":
        st.info(EXTRACTIVE_NOTE, icon=":material/format_quote:")
    else:
        st.caption(f"Engine: {escape_md(ctx.adv.engine.name)} — every answer is checked against its sources.")
    left, right, clear = st.columns([3, 2, 1], vertical_alignment="bottom")
    with left:
        client = pick_client(ctx)
    with right:
        audience = pick_audience(ctx)
    history = history_for(client)
    with clear:
        if st.button("New conversation", key="chat_clear", disabled=not history):
            history.clear()
            st.rerun()

    for i, turn in enumerate(history):
        with st.chat_message("user"):
            st.text(turn["question"])
        with st.chat_message("assistant"):
            render_answer(ctx, turn["answer"], key=f"{client or 'lib'}-{i}")

    question = _prefilled_question()
    typed = st.chat_input(
        "Ask about policies, risks, vendors or a clause such as AC-2(3)…",
        max_chars=MAX_QUESTION_CHARS,
        key="chat_input",
    )
    question = typed or question
    if question and question.strip():
        _ask(ctx, question.strip(), client, audience, history)


def _prefilled_question() -> str | None:
    """A question handed over by another page (e.g. the library's "Ask about this in chat")."""
    prefill = st.session_state.get(PREFILL_KEY)
    if not prefill:
        return None
    with st.container(border=True):
        st.markdown("**Suggested question**")
        st.text(prefill)
        ask, drop = st.columns([1, 5])
        if ask.button("Ask", key="prefill_ask", type="primary"):
            st.session_state.pop(PREFILL_KEY, None)
            return prefill
        if drop.button("Dismiss", key="prefill_drop"):
            st.session_state.pop(PREFILL_KEY, None)
            st.rerun()
    return None


def _ask(ctx: Context, question: str, client: str | None, audience: str, history: list[dict]) -> None:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        answer = _stream(ctx, question, client, audience, history)
        if answer is None:
            return
        history.append({"question": question, "answer": answer})
        render_answer(ctx, answer, key=f"{client or 'lib'}-{len(history) - 1}")


def _stream(
    ctx: Context, question: str, client: str | None, audience: str, history: list[dict]
) -> Answer | None:
    """Show the verified sentences as they come (never an LLM's raw text); return the final Answer."""
    pairs = [(t["question"], t["answer"].text) for t in history]
    placeholder = st.empty()
    shown: list[str] = []
    answer = None
    try:
        with st.spinner("Searching the documents and the library, writing and checking the answer…"):
            wait_until_warm(ctx.adv)
            events = ctx.adv.stream(question, client, audience=audience, history=pairs, user=ctx.user)
            first = next(events, None)
        for event in _chain(first, events):
            if event.kind == "sentence":
                shown.append(event.text)
                placeholder.markdown(escape_md(" ".join(shown)) + " ▌")
            elif event.kind == "final":
                answer = event.answer
    except AdvisorError as exc:
        placeholder.empty()
        st.error(str(exc))
        return None
    placeholder.empty()
    return answer


def _chain(first, events):
    if first is not None:
        yield first
    yield from events
