"""NIST Cybersecurity Framework 2.0 Core: functions, categories and subcategories.

Reads NIST's OSCAL catalog ``NIST_CSF_v2.0_catalog.xml`` with ``xml.etree``: six
``<group class="function">`` (text in ``<part name="overview">``), their ``<control class="category">``
and the nested ``<control class="subcategory">`` (outcome in ``<part name="statement">``, Implementation
Examples in ``<part name="example">``, ``<prop name="risk-party">``). The XML also carries the withdrawn
CSF 1.1 categories and subcategories without any marker; like the corpus maintainers' flat file, they
are recognised by their content and dropped: a CSF 1.1 category has an empty statement, a CSF 1.1
subcategory has no Implementation Example. That leaves 6 functions, 22 categories and 106
subcategories. A subcategory's title is its category's name (subcategories have no title of their
own) and its text is the outcome followed by the Implementation Examples, numbered Ex1, Ex2, … as in
the NIST Core.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "csf-2.0"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "NIST_CSF_v2.0_catalog.xml"
NS = "{http://csrc.nist.gov/ns/oscal/1.0}"


@dataclass(frozen=True)
class Subcategory:
    id: str
    text: str
    examples: tuple[str, ...]
    risk_party: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    text: str
    subcategories: tuple[Subcategory, ...]


@dataclass(frozen=True)
class Function:
    id: str
    title: str
    text: str
    categories: tuple[Category, ...]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _part_text(elem: ET.Element, name: str) -> str:
    """The paragraphs of ``elem``'s first ``<part name=…>``, whitespace squashed ("" when absent)."""
    for part in elem.findall(f"{NS}part"):
        if part.get("name") == name:
            return " ".join(_squash("".join(p.itertext())) for p in part.findall(f"{NS}p"))
    return ""


def _title(elem: ET.Element, what: str) -> str:
    title = _squash(elem.findtext(f"{NS}title") or "")
    if not title:
        raise ValueError(f"{MAIN_FILE}: {what} {elem.get('id')!r} has no title")
    return title


def _subcategory(control: ET.Element) -> Subcategory:
    examples = [
        _squash(" ".join("".join(p.itertext()) for p in part.findall(f"{NS}p")))
        for part in control.findall(f"{NS}part")
        if part.get("name") == "example"
    ]
    parties = [p.get("value", "") for p in control.findall(f"{NS}prop") if p.get("name") == "risk-party"]
    return Subcategory(
        control.get("id", ""), _part_text(control, "statement"), tuple(examples), tuple(parties)
    )


def read_core(path: Path) -> list[Function]:
    """The CSF 2.0 Core in catalog order, without the withdrawn CSF 1.1 elements."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path.name}: not well-formed XML ({exc})") from None
    functions: list[Function] = []
    for group in root.findall(f"{NS}group"):
        if group.get("class") != "function":
            continue
        categories: list[Category] = []
        for control in group.findall(f"{NS}control"):
            text = _part_text(control, "statement")
            if control.get("class") != "category" or not text:
                continue  # a CSF 1.1 category: empty statement
            subs = [
                _subcategory(sub)
                for sub in control.findall(f"{NS}control")
                if sub.get("class") == "subcategory"
            ]
            active = tuple(s for s in subs if s.examples)  # CSF 1.1 subcategories have no example
            categories.append(Category(control.get("id", ""), _title(control, "category"), text, active))
        functions.append(
            Function(
                group.get("id", ""),
                _title(group, "function"),
                _part_text(group, "overview"),
                tuple(categories),
            )
        )
    if not functions:
        raise ValueError(f'{path.name}: no <group class="function"> in the catalog')
    return functions


def parse(folder: Path) -> list[Chunk]:
    """Parse the CSF 2.0 folder into 134 chunks (functions, categories, subcategories)."""
    path = folder / MAIN_FILE
    digest = file_digest(path)
    core = read_core(path)
    chunks: list[Chunk] = []
    for fn in core:
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=fn.id,
                title=fn.title,
                text=f"{fn.id} {fn.title}\n{fn.text}",
                sha256=digest,
                framework=FRAMEWORK,
                parent="",
                hierarchy=f"{fn.id} {fn.title}",
                kind="function",
                function=fn.id,
                function_title=fn.title,
            )
        )
    for fn in core:
        for cat in fn.categories:
            chunks.append(
                regulation_chunk(
                    source=SOURCE,
                    section=cat.id,
                    title=cat.title,
                    text=f"{cat.id} {cat.title}\n{cat.text}",
                    sha256=digest,
                    framework=FRAMEWORK,
                    parent=fn.id,
                    hierarchy=f"{fn.id} {fn.title} > {cat.id} {cat.title}",
                    kind="category",
                    function=fn.id,
                    function_title=fn.title,
                    category=cat.id,
                )
            )
    for fn in core:
        for cat in fn.categories:
            chunks.extend(_subcategory_chunk(sub, cat, fn, digest) for sub in cat.subcategories)
    return chunks


def _subcategory_chunk(sub: Subcategory, cat: Category, fn: Function, digest: str) -> Chunk:
    text = f"{sub.id} {cat.title}\n{sub.text}"
    if sub.examples:
        lines = [f"Ex{n}: {ex}" for n, ex in enumerate(sub.examples, start=1)]
        text += "\n\nImplementation Examples:\n" + "\n".join(lines)
    return regulation_chunk(
        source=SOURCE,
        section=sub.id,
        title=cat.title,
        text=text,
        sha256=digest,
        framework=FRAMEWORK,
        parent=cat.id,
        hierarchy=f"{fn.id} {fn.title} > {cat.id} {cat.title} > {sub.id}",
        kind="subcategory",
        function=fn.id,
        function_title=fn.title,
        category=cat.id,
        risk_party=",".join(sub.risk_party),
        examples=len(sub.examples),
    )
