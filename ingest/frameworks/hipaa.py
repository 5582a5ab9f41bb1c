"""HIPAA: 45 CFR 160.103 and Part 164 Subparts A, C and D, split into citable paragraph units.

Reads the 23 upstream Markdown files ``sections/*.md`` through :mod:`ingest.frameworks.hipaa_source`
(one line per CFR paragraph, two spaces of indent per nesting level, Federal Register source note on
the last line; section headings from its table of the CFR's headings). The splitting rule:

1. Every section gets a section-level unit, section "164.404": its heading, subpart, any unlabelled
   lead-in text, an outline of its paragraph units (label plus heading) and the FR source note.
   A section without labelled paragraphs (e.g. 164.302) is that one unit, whole.
2. Labelled paragraphs form a tree ((a) > (1) > (i) > (A) > (1)), built from the indentation.
   A paragraph's children are split into their own units when the paragraph has no text of its own
   (a bare "(7)") or when any child is bare or opens with a heading: "Standard: …",
   "Implementation specification(s): …" or a short caption ending in a full stop followed by more
   text ("Risk analysis (Required). Conduct …", "General rule. A covered entity …"). The parent's
   own text is then not a unit of its own but the context of its children.
   Otherwise (plain enumerations such as 164.404(c)(1)(A)–(E)) the paragraph is one unit together
   with all its descendants. So 164.308(a)(7)(ii)(D), 164.312(a)(2)(iv) and 164.404(b) are units.
3. A unit's text: "<id> <title>", a "Context:" line naming the ancestors (their own text, or the
   heading when long) and the sibling "Standard: …" the unit implements, then the paragraph itself
   with its descendants. The title is the section heading plus the unit's (or nearest ancestor's)
   heading name: "Administrative safeguards — Testing and revision procedures".
4. Definition sections (160.103, 164.103, 164.304, 164.402) give one unit per defined term,
   section "164.304 Encryption", title "Definitions — Encryption", with the lead-in as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.frameworks import regulation_chunk
from ingest.frameworks.hipaa_source import SectionText, read_sections
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "hipaa"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
CONTEXT_MAX = 300  # ancestor text longer than this is shown by its heading only

_LABEL = re.compile(r"^\(([A-Za-z0-9]+)\)\s*(.*)$")
_NOTE = re.compile(r"^\[\d+ FR .*\]$")
_PREFIX = re.compile(
    r"^(?P<prefix>Standard|Implementation specifications?)\s*"
    r"(?:\((?P<kind>Required|Addressable)\))?\s*(?::|--|\.)\s*"
)
_CAPTION = re.compile(
    r"^(?P<name>[A-Z][^.;:]{0,100}?)\s*(?:\((?P<kind>Required|Addressable)\))?\s*(?P<end>\.(?=\s|$)|--|$)\s*"
)
_TERM = re.compile(
    r"^(?P<term>[A-Z][\w ,'/-]*?)(?=\s+\(|:|\s+(?:means|is|are|stands for|refers to|encompass|exists if)\b)"
)
_DEFINITION_LEADS = ("As used in", "Except as otherwise provided, the following definitions")


@dataclass
class Heading:
    prefix: str  # "Standard", "Implementation specification(s)" or ""
    name: str
    kind: str  # "Required", "Addressable" or ""


@dataclass
class Node:
    label: str
    own: str
    indent: int
    lines: list[str] = field(default_factory=list)  # the paragraph and its descendants, as in the file
    children: list[Node] = field(default_factory=list)
    heading: Heading | None = None


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    part: str
    subpart: str
    subpart_title: str
    note: str
    digest: str


def heading_of(text: str, has_children: bool) -> Heading | None:
    """The heading a paragraph opens with, or None for plain text (see the module docstring)."""
    m = _PREFIX.match(text)
    if m:
        rest = text[m.end() :]
        cap = _CAPTION.match(rest)
        if cap and len(cap.group("name").split()) <= 10 and cap.group("end") in (".", "--"):
            return Heading(m.group("prefix"), cap.group("name"), cap.group("kind") or m.group("kind") or "")
        return Heading(m.group("prefix"), "", m.group("kind") or "")
    cap = _CAPTION.match(text)
    if not cap or cap.group("end") != "." or len(cap.group("name").split()) > 10:
        return None
    if not text[cap.end() :] and not has_children:
        return None  # a one-sentence item such as "(1) A health plan."
    return Heading("", cap.group("name"), cap.group("kind") or "")


def _heading_label(h: Heading) -> str:
    parts = [p for p in (h.prefix + ":" if h.prefix and h.name else h.prefix, h.name) if p]
    text = " ".join(parts)
    return f"{text} ({h.kind})" if h.kind else text


def build_tree(lines: list[str]) -> Node:
    """Nest labelled lines by indentation; unlabelled lines before any label are the root's text."""
    root = Node(label="", own="", indent=-1)
    stack: list[Node] = [root]
    for line in lines:
        indent = (len(line) - len(line.lstrip(" "))) // 2
        m = _LABEL.match(line.strip())
        if m:
            while stack[-1].indent >= indent:
                stack.pop()
            node = Node(label=m.group(1), own=m.group(2).strip(), indent=indent)
            stack[-1].children.append(node)
            stack.append(node)
        else:
            target = stack[-1]
            target.own = f"{target.own} {line.strip()}".strip()
        for open_node in stack[1:]:
            open_node.lines.append(line)
    _set_headings(root)
    return root


def _set_headings(node: Node) -> None:
    for child in node.children:
        child.heading = heading_of(child.own, bool(child.children)) if child.own else None
        _set_headings(child)


def _split_children(node: Node) -> bool:
    return bool(node.children) and (
        not node.own or any(not c.own or c.heading is not None for c in node.children)
    )


def _standard_child(node: Node) -> Node | None:
    """The one "Standard: …" child of a bare paragraph such as 164.308(a)(7), whose siblings implement it."""
    if node.own:
        return None
    found = [c for c in node.children if c.heading and c.heading.prefix == "Standard" and c.heading.name]
    return found[0] if len(found) == 1 else None


def _dedent(lines: list[str]) -> str:
    cut = min(len(ln) - len(ln.lstrip(" ")) for ln in lines)
    return "\n".join(ln[cut:] for ln in lines)


def _context_part(path: str, node: Node) -> str:
    if len(node.own) <= CONTEXT_MAX or node.heading is None:
        own = node.own if len(node.own) <= CONTEXT_MAX else node.own[:CONTEXT_MAX].rsplit(" ", 1)[0] + " …"
        return f"{path} {own}".strip()
    return f"{path} {_heading_label(node.heading)}."


def _hierarchy(sec: Section, *tail: str) -> str:
    return " > ".join(
        [f"Part {sec.part}", f"{sec.subpart} {sec.subpart_title}", f"{sec.number} {sec.title}", *tail]
    )


def _common(sec: Section) -> dict[str, str]:
    return {
        "part": sec.part,
        "subpart": sec.subpart,
        "subpart_title": sec.subpart_title,
        "section_number": sec.number,
        "section_title": sec.title,
        "fr_source": sec.note,
    }


def _unit_name(node: Node, names: list[str]) -> str:
    if node.heading and node.heading.name:
        return node.heading.name
    return next((n for n in reversed(names) if n), "")


def _units(sec: Section, root: Node) -> tuple[list[Chunk], list[str]]:
    """Emit the paragraph units of a section; also return the outline lines for the section unit."""
    chunks: list[Chunk] = []
    outline: list[str] = []

    def emit(node: Node, path: str, context: list[str], names: list[str]) -> None:
        cid = sec.number + path
        name = _unit_name(node, names)
        title = f"{sec.title} — {name}" if name else sec.title
        h = node.heading
        words = node.own.split()
        summary = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        outline.append(f"{path} {_heading_label(h) if h else summary}")
        text = f"{cid} {title}\n"
        if context:
            text += "Context: " + " > ".join(context) + "\n"
        text += _dedent(node.lines)
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=cid,
                title=title,
                text=text,
                sha256=sec.digest,
                framework=FRAMEWORK,
                parent=sec.number + path[: path.rfind("(")],
                hierarchy=_hierarchy(sec, f"{cid} {name}".strip()),
                kind="paragraph",
                heading=name,
                standard=bool(h and h.prefix == "Standard"),
                requirement=h.kind if h else "",
                **_common(sec),
            )
        )

    def walk(node: Node, path: str, context: list[str], names: list[str]) -> None:
        if node is not root and not _split_children(node):
            emit(node, path, context, names)
            return
        own_ctx = [_context_part(sec.number + path, node)] if node.own else []
        own_name = node.heading.name if node.heading else ""
        std = _standard_child(node)
        for child in node.children:
            ctx, nms = [*context, *own_ctx], [*names, own_name]
            if std is not None and std.heading is not None and child is not std:
                ctx.append(f"{sec.number}{path}({std.label}) {_heading_label(std.heading)}.")
                nms.append(std.heading.name)
            walk(child, f"{path}({child.label})", ctx, nms)

    walk(root, "", [], [])
    return chunks, outline


def _definitions(sec: Section, lines: list[str]) -> tuple[list[Chunk], list[str]]:
    lead, terms = lines[0], []
    groups: list[list[str]] = []
    for line in lines[1:]:
        if not line.startswith(" ") and not _LABEL.match(line):
            groups.append([line])
        elif groups:
            groups[-1].append(line)
    chunks: list[Chunk] = []
    for group in groups:
        m = _TERM.match(group[0])
        if not m:
            raise ValueError(f"HIPAA {sec.number}: cannot find the defined term in {group[0][:60]!r}")
        term = m.group("term").strip()
        terms.append(term)
        cid = f"{sec.number} {term}"
        text = f"{cid} — {sec.title}\nContext: § {sec.number} {lead}\n" + "\n".join(group)
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=cid,
                title=f"{sec.title} — {term}",
                text=text,
                sha256=sec.digest,
                framework=FRAMEWORK,
                parent=sec.number,
                hierarchy=_hierarchy(sec, term),
                kind="definition",
                term=term,
                **_common(sec),
            )
        )
    return chunks, [lead, "Defined terms: " + "; ".join(terms) + "."]


def _section(source: SectionText) -> list[Chunk]:
    lines = list(source.lines)
    note = lines.pop() if lines and _NOTE.match(lines[-1].strip()) else ""
    digest = source.digest
    sec = Section(
        source.number, source.title, source.part, source.subpart, source.subpart_title, note, digest
    )
    head = [f"{sec.number} {sec.title}", f"45 CFR Part {sec.part}, {sec.subpart} — {sec.subpart_title}"]
    if lines[0].startswith(_DEFINITION_LEADS):
        units, body = _definitions(sec, lines)
    else:
        root = build_tree(lines)
        if root.children:
            units, outline = _units(sec, root)
            body = ([root.own] if root.own else []) + ["Paragraphs:", *outline]
        else:
            units, body = [], lines
    text = "\n".join([*head, *body, *([note] if note else [])])
    section_chunk = regulation_chunk(
        source=SOURCE,
        section=sec.number,
        title=sec.title,
        text=text,
        sha256=digest,
        framework=FRAMEWORK,
        parent="",
        hierarchy=_hierarchy(sec),
        kind="section",
        units=len(units),
        **_common(sec),
    )
    return [section_chunk, *units]


def parse(folder: Path) -> list[Chunk]:
    """Parse the HIPAA folder into section, paragraph and definition units (each carries the sha256 of
    the Markdown file of its section)."""
    chunks: list[Chunk] = []
    for source in read_sections(folder):
        chunks.extend(_section(source))
    return chunks
