"""A draft under construction (blocks of Markdown lines with ledger markers) and the finished Draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.drafting.ledger import Ledger, check_markers
from advisor.models import Citation

BANNER = "DRAFT — requires human review"


@dataclass
class Block:
    """One section: a heading and Markdown lines. ``prose`` blocks may be rewritten by an LLM."""

    heading: str
    lines: list[str] = field(default_factory=list)
    level: int = 2
    prose: bool = False

    def add(self, line: str = "") -> None:
        self.lines.append(line)


@dataclass(frozen=True)
class Draft:
    """A generated policy or memo: Markdown text with [n] markers and exactly the citations it uses."""

    kind: str  # "policy" | "memo"
    type: str  # policy type, or "board-memo"
    client: str
    title: str
    text: str
    citations: tuple[Citation, ...]
    backend: str = "extractive"
    notes: tuple[str, ...] = ()  # e.g. LLM sections that failed verification
    removed: tuple[str, ...] = ()  # sentences verification dropped from LLM prose

    def as_contract(self, *, id: int | str = 0, status: str = "draft", version: int = 1) -> dict[str, Any]:
        return {
            "id": id,
            "kind": self.kind,
            "status": status,
            "title": self.title,
            "text": self.text,
            "citations": [c.as_contract() for c in self.citations],
            "version": version,
            "type": self.type,
            "client": self.client,
            "backend": self.backend,
        }


def assemble(title: str, blocks: list[Block], ledger: Ledger) -> tuple[str, tuple[Citation, ...]]:
    parts = [f"# {title}", ""]
    for b in blocks:
        if b.heading:
            parts += ["#" * b.level + " " + b.heading, ""]
        body = "\n".join(b.lines).strip("\n")
        if body:
            parts += [body, ""]
    text, citations = ledger.finalize("\n".join(parts).strip() + "\n")
    problems = check_markers(text, citations)
    if problems:  # a bug, not a user error: the ledger renumbers what the text uses
        raise AssertionError("; ".join(problems))
    return text, citations
