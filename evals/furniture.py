"""Page furniture in answers: no quoted sentence may carry a page header, footer or table-of-contents line.

Real PDFs repeat running titles and page numbers on every page and open with a table of contents; when
ingest or sentence selection lets such a line through, an answer quotes "4Table of Findings" or
"Page | 7 of 23" as if it were evidence. :func:`furniture` recognises those lines by their shape (not by
any document's wording); :func:`scan` reads an eval result (``vciso eval`` writes ``result.json``) and lists
every answer sentence that carries one.

    python -m evals.furniture /tmp/report/result.json      # exit 1 when any answer quotes furniture
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from advisor.answering.sentences import split_sentences, strip_bullet, strip_markers

# Each pattern is one kind of page furniture, named for the report.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Introduction ........ 4", "Findings …… 12": a contents entry with its leader dots
    ("toc leader", re.compile(r"(?:\.\s?){4,}\s*\d|…{2,}\s*\d|(?:\.\s?){6,}")),
    # "Page 7 of 23", "Page | 7 of 23", "p. 3 / 12": a page counter
    ("page counter", re.compile(r"\bpage\s*\|?\s*\d{1,4}\s*(?:of|/)\s*\d{1,4}\b", re.I)),
    # "4Table of Findings", "12Executive Summary": a contents page number glued to the heading it points at
    (
        "glued page number",
        re.compile(
            r"(?<![\w$.,/-])\d{1,3}(?:Table|Figure|Appendix|Section|Executive|Summary|Introduction|"
            r"Contents|Findings|Recommendations|Overview|Background|Scope|Methodology)\b"
        ),
    ),
    ("contents heading", re.compile(r"\btable of contents\b", re.I)),
    # "7 Vulnerability Scan Results For this period, ...": a numbered heading run into the sentence after it
    (
        "run-in heading",
        re.compile(
            r"^\s*\d{1,2}(?:\.\d{1,2})*\s+(?:[A-Z][\w-]*\s+){1,6}"
            r"(?:For|The|This|These|In|During|On|As|Our|We|A|An)\s+\w"
        ),
    ),
)


def furniture(sentence: str) -> str | None:
    """The kind of page furniture ``sentence`` carries ("toc leader", "page counter", ...), or None."""
    text = strip_markers(sentence)
    for name, rx in PATTERNS:
        if rx.search(text):
            return name
    return None


def answer_sentences(text: str) -> Iterator[str]:
    """The quoted sentences of an answer (bullets and [n] markers removed)."""
    for line in text.splitlines():
        for sentence in split_sentences(strip_bullet(line)):
            if sentence.strip():
                yield sentence


def scan(result: Mapping[str, Any], system: str = "vciso") -> list[dict[str, str]]:
    """Every answered case of ``system`` whose answer quotes page furniture: id, kind and sentence."""
    found = []
    for case in result.get("cases", {}).get(system, []):
        if case.get("abstained"):
            continue
        for sentence in answer_sentences(case.get("answer", "")):
            kind = furniture(sentence)
            if kind:
                found.append({"id": case["id"], "kind": kind, "sentence": sentence[:200]})
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("result", type=Path, help="result.json written by vciso eval")
    ap.add_argument("--system", default="vciso")
    args = ap.parse_args(argv)
    found = scan(json.loads(args.result.read_text(encoding="utf-8")), args.system)
    for f in found:
        print(f"{f['id']}: {f['kind']}: {f['sentence']}")
    print(f"{len(found)} answer sentence(s) with page furniture")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
