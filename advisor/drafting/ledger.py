"""Numbered citations for a draft: one number per (chunk, quote), renumbered in order of use at the end."""

from __future__ import annotations

import re
from collections.abc import Iterable

from advisor.answering.evidence_rule import require_admissible_chunk
from advisor.answering.sentences import markers
from advisor.models import Citation, Passage
from ingest.types import Chunk

_MARKER = re.compile(r"\[(\d{1,3})\]")
_QUOTE_CHARS = 300


def clean(text: str) -> str:
    """Document text made safe to place in a draft: one line, and no ``[n]`` look-alikes."""
    text = " ".join(text.split())
    return _MARKER.sub(r"(\1)", text)


def shorten(text: str, limit: int = _QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class Ledger:
    def __init__(self) -> None:
        self._items: list[tuple[Chunk, str]] = []
        self._index: dict[tuple[str, str], int] = {}

    def cite(self, chunk: Chunk, quote: str) -> str:
        """The ``[n]`` marker for ``quote`` from ``chunk`` (refused when the evidence rule excludes the
        chunk)."""
        require_admissible_chunk(chunk)
        quote = shorten(quote)
        key = (chunk.id, quote)
        if key not in self._index:
            self._items.append((chunk, quote))
            self._index[key] = len(self._items)
        return f"[{self._index[key]}]"

    def chunk(self, n: int) -> Chunk:
        return self._items[n - 1][0]

    def quote(self, n: int) -> str:
        return self._items[n - 1][1]

    def __len__(self) -> int:
        return len(self._items)

    def finalize(self, text: str) -> tuple[str, tuple[Citation, ...]]:
        """Renumber markers in order of first use; return the text and exactly the citations it uses."""
        order: list[int] = []
        for m in _MARKER.finditer(text):
            n = int(m.group(1))
            if 1 <= n <= len(self._items) and n not in order:
                order.append(n)
        new = {old: i + 1 for i, old in enumerate(order)}
        text = _MARKER.sub(lambda m: f"[{new[int(m.group(1))]}]" if int(m.group(1)) in new else "", text)
        citations = tuple(
            Citation.from_passage(
                new[old],
                Passage(self._items[old - 1][0], self._items[old - 1][0].text, 1.0),
                self._items[old - 1][1],
            )
            for old in order
        )
        return text, citations


def check_markers(text: str, citations: Iterable[Citation]) -> list[str]:
    """Problems with a draft's citations: markers without a citation, citations without a marker."""
    used = set(markers_in(text))
    have = {c.n for c in citations}
    problems = [f"[{n}] has no citation" for n in sorted(used - have)]
    problems += [f"citation {n} is not used in the text" for n in sorted(have - used)]
    return problems


def markers_in(text: str) -> list[int]:
    out: list[int] = []
    for line in text.splitlines():
        for n in markers(line):
            if n not in out:
                out.append(n)
    return out
