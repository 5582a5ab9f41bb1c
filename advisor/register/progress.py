""" "Are we on track?" answered from the confirmed findings register: open findings by severity, the ones past
their due date, closed ones, each cited to the report it came from; status changes people recorded are
stated as the register's (date and note). Returns None when the question is not about remediation progress
or the client has no confirmed findings (the ordinary answer path then runs).
"""

from __future__ import annotations

import re
from datetime import date

from advisor.db import open_database
from advisor.models import Answer, Citation, Passage
from advisor.register.drafting import source_chunk, status_text
from advisor.register.findings import SEVERITIES, Finding, FindingsRegister

PROGRESS = re.compile(
    r"\b(on track|behind (schedule)?|overdue|past (their |the )?due|remediation (status|progress)|"
    r"(status|progress) (of|on) (the |our )?(audit |assessment )?(findings|remediation)|"
    r"(fix|close|remediat)\w* (the |our )?(most )?(serious|critical|high|audit|open)\w*( \w+)? "
    r"(problems|findings|issues))",
    re.I,
)


def is_progress_question(question: str) -> bool:
    return bool(PROGRESS.search(question))


def _verbatim(text: str, ref: str, size: int = 240) -> str:
    """An excerpt of the chunk's own text, from the finding's id on (quotes are verbatim)."""
    start = max(0, text.find(ref))
    part = text[start : start + size]
    return part if len(text) <= start + size else part.rsplit(" ", 1)[0] + " …"


def _line(f: Finding, n: int, today: date) -> str:
    late = f", {(today - date.fromisoformat(f.due)).days} days past due" if f.due and f.overdue(today) else ""
    return (
        f"- {f.ref} {f.title} — {f.severity.title() or 'severity not stated'}, "
        f"owner {f.owner or 'not stated'}, "
        f"due {f.due or 'not stated'}{late}; status {status_text(f)} [{n}]"
    )


def progress_answer(
    adv, question: str, client: str | None, audience: str, user, today: date | None = None
) -> Answer | None:
    if not client or not is_progress_question(question):
        return None
    confirmed = FindingsRegister(open_database(adv.settings)).list(client, user=user, history=True)
    if not confirmed:
        return None
    today = today or date.today()
    chunks = adv.tenant_index(client, user=user).chunks
    located = [(f, c) for f in confirmed if (c := source_chunk(f, chunks)) is not None]
    if not located:
        return None
    # numbered in the order the answer lists them: past due, open, closed
    located.sort(key=lambda fc: (not fc[0].overdue(today), not fc[0].is_open))
    cited = [(c, _verbatim(c.text, f.ref)) for f, c in located]
    rows = [(f, n) for n, (f, _) in enumerate(located, start=1)]
    open_rows = [(f, n) for f, n in rows if f.is_open]
    serious = [(f, n) for f, n in open_rows if f.severity in ("critical", "high")]
    late = [(f, n) for f, n in open_rows if f.overdue(today)]
    late_serious = [(f, n) for f, n in serious if f.overdue(today)]
    counts = ", ".join(
        f"{sum(1 for f, _ in open_rows if f.severity == s)} {s}"
        for s in SEVERITIES
        if any(f.severity == s for f, _ in open_rows)
    )
    if late_serious:
        verdict = (
            f"Not on track: {len(late_serious)} of the {len(serious)} open critical or high findings "
            "are past "
            f"their due date."
        )
    elif serious:
        verdict = (
            f"On track so far: none of the {len(serious)} open critical or high findings is past its "
            "due date."
        )
    else:
        verdict = "On track: no critical or high finding is open in the register."
    lines = [
        verdict,
        "",
        f"The findings register for {client} holds {len(rows)} confirmed findings as of {today.isoformat()}: "
        f"{len(open_rows)} open ({counts or 'none'}), {len(rows) - len(open_rows)} closed or accepted; "
        f"{len(late)} open findings are past their due date.",
    ]
    for title, part in (
        ("Past due:", late),
        ("Open, not yet due:", [r for r in open_rows if r not in late]),
        ("Closed or risk accepted:", [r for r in rows if not r[0].is_open]),
    ):
        if part:
            lines += ["", title] + [_line(f, n, today) for f, n in part]
    lines += [
        "",
        "Due dates, owners and severities are quoted from the reports cited; statuses are the register's "
        "(confirmed and updated by consultants).",
    ]
    citations = tuple(
        Citation.from_passage(n, Passage(c, c.text, 1.0), q) for n, (c, q) in enumerate(cited, start=1)
    )
    return Answer(
        text="\n".join(lines),
        citations=citations,
        abstained=False,
        audience=audience,
        backend="findings-register",
        client=client,
        question=question,
    )
