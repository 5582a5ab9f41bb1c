"""Supersession between a client's reports: a later report decides what is still open. Pure functions.

Reports are ordered by the date they state ("Report date: 2026-03-16", :func:`report_dates`), never by the
order their chunks arrive in. A later report *supersedes* an earlier one when it names at least one of the
earlier report's finding ids (restating it, or listing its status in a table of prior findings); reports
that share no id (a pen test and a risk assessment) are independent. Of a superseded report's findings:

- one the later report restates is read from the later report (its reading wins, as in extraction);
- one the later report lists with a status ("H-04 Risk analysis not updated High Closed", "H-02 ... Carried
  forward as F-01") takes that status, dated by the later report's date and cited to that line;
- one the later report does not name at all is no longer open: it is closed as of the later report's date,
  cited to that report ("not restated in ...").

A finding's own report may also state a closed status (a follow-up's row "F-03 ... Closed"): that status is
dated by the report that states it. The date and citation travel as ``Finding.status_from`` so that the
register records the change dated by the document (:meth:`FindingsRegister.confirm`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from advisor.register.findings import Finding
from ingest.types import Chunk

_STATUS_ROW = re.compile(
    r"\s(closed|remediated|resolved|risk accepted|in progress|open|carried forward as ([A-Z]{1,3}-\d{1,3}))"
    r"\.?\s*$",
    re.I,
)
_STATUS = {"remediated": "closed", "resolved": "closed", "risk accepted": "risk_accepted"}


def _names(text: str, ref: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", text) is not None


def status_rows(chunks: Iterable[Chunk], refs: Iterable[str]) -> dict[str, dict]:
    """ref -> {status, carried, page, quote} for lines of ``chunks`` that begin with one of ``refs`` and end
    with a status ("Closed", "Carried forward as F-01")."""
    wanted = set(refs)
    out: dict[str, dict] = {}
    for c in chunks:
        for line in c.text.splitlines():
            line = " ".join(line.split())
            first = line.split(" ", 1)[0] if line else ""
            m = _STATUS_ROW.search(line) if first in wanted else None
            if m and first not in out:
                word = m.group(1).lower()
                carried = m.group(2) or ""
                status = "closed" if carried else _STATUS.get(word, word.replace(" ", "_"))
                out[first] = {"status": status, "carried": carried, "page": c.page, "quote": line}
    return out


def supersede(
    findings: Sequence[Finding],
    chunks: Iterable[Chunk],
    dates: dict[str, str],
    stated: dict[str, set[str]] | None = None,
) -> list[Finding]:
    """``findings`` (one reading per id, from :func:`advisor.register.extract.extract`) with the status later
    reports give them, dated and cited (see the module docstring). ``stated`` maps each report to every id
    it states (default: the ids of ``findings`` read from it). Reports without a date take no part."""
    chunks = list(chunks)
    by_source: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_source.setdefault(c.source, []).append(c)
    refs_of: dict[str, set[str]] = {k: set(v) for k, v in (stated or {}).items()}
    for f in findings:
        refs_of.setdefault(f.source, set()).add(f.ref)
    out: list[Finding] = []
    for f in findings:
        mine = dates.get(f.source)
        later = sorted(
            (d, s)
            for s, d in dates.items()
            if mine
            and d > mine
            and s in by_source
            and s != f.source
            and any(_names(c.text, r) for c in by_source[s] for r in refs_of.get(f.source, ()))
        )
        if not later:
            out.append(_dated_by_own_report(f, dates))
            continue
        day, source = later[-1]
        rows = status_rows(by_source[source], [f.ref])
        if f.ref in rows:
            row = rows[f.ref]
            note = (
                f"carried forward as {row['carried']} in {source} ({day})"
                if row["carried"]
                else f"stated {row['status'].replace('_', ' ')} in {source} ({day})"
            )
            doc = {"date": day, "source": source, "page": row["page"], "quote": row["quote"], "note": note}
            out.append(replace(f, status=row["status"], status_from=doc))
            continue
        first = by_source[source][0]
        note = f"not restated in {source} ({day}), which supersedes {f.source}"
        doc = {"date": day, "source": source, "page": first.page, "quote": "", "note": note}
        out.append(replace(f, status="closed", status_from=doc))
    return out


def _dated_by_own_report(f: Finding, dates: dict[str, str]) -> Finding:
    """A finding its own (latest) report states as no longer open: dated by that report."""
    day = dates.get(f.source)
    if f.is_open or not day or f.status_from:
        return f
    note = f"stated {f.status.replace('_', ' ')} in {f.source} ({day})"
    doc = {"date": day, "source": f.source, "page": f.page, "quote": f.quote, "note": note}
    return replace(f, status_from=doc)
