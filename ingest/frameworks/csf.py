"""NIST Cybersecurity Framework 2.0 Core: functions, categories and subcategories.

Reads the derived flat file ``csf2_core_flat.json``. The upstream OSCAL XML also carries withdrawn
CSF 1.1 categories and subcategories without any marker; the flat file flags them (``status`` is not
"active") and they are dropped here, leaving 6 functions, 22 categories and 106 subcategories.
A subcategory's title is its category's name (subcategories have no title of their own) and its text
is the outcome followed by the Implementation Examples, numbered Ex1, Ex2, … as in the NIST Core.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "csf-2.0"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "csf2_core_flat.json"


def parse(folder: Path) -> list[Chunk]:
    """Parse the CSF 2.0 folder into 134 chunks (functions, categories, subcategories)."""
    path = folder / MAIN_FILE
    digest = file_digest(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    functions = {f["id"]: f["title"] for f in data["functions"]}
    categories = [c for c in data["categories"] if c.get("status") == "active"]
    category_titles = {c["id"]: c["title"] for c in categories}
    chunks: list[Chunk] = []
    for fn in data["functions"]:
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=fn["id"],
                title=fn["title"],
                text=f"{fn['id']} {fn['title']}\n{fn['text']}",
                sha256=digest,
                framework=FRAMEWORK,
                parent="",
                hierarchy=f"{fn['id']} {fn['title']}",
                kind="function",
                function=fn["id"],
                function_title=fn["title"],
            )
        )
    for cat in categories:
        fn_id = cat["function"]
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=cat["id"],
                title=cat["title"],
                text=f"{cat['id']} {cat['title']}\n{cat['text']}",
                sha256=digest,
                framework=FRAMEWORK,
                parent=fn_id,
                hierarchy=f"{fn_id} {functions[fn_id]} > {cat['id']} {cat['title']}",
                kind="category",
                function=fn_id,
                function_title=functions[fn_id],
                category=cat["id"],
            )
        )
    for sub in data["subcategories"]:
        if sub.get("status") != "active":
            continue
        chunks.append(_subcategory(sub, functions, category_titles, digest))
    return chunks


def _subcategory(sub: dict, functions: dict[str, str], category_titles: dict[str, str], digest: str) -> Chunk:
    fn_id, cat_id = sub["function"], sub["category"]
    cat_title = category_titles[cat_id]
    text = f"{sub['id']} {cat_title}\n{sub['text']}"
    examples = sub["implementation_examples"]
    if examples:
        lines = [f"Ex{n}: {ex['text']}" for n, ex in enumerate(examples, start=1)]
        text += "\n\nImplementation Examples:\n" + "\n".join(lines)
    return regulation_chunk(
        source=SOURCE,
        section=sub["id"],
        title=cat_title,
        text=text,
        sha256=digest,
        framework=FRAMEWORK,
        parent=cat_id,
        hierarchy=f"{fn_id} {functions[fn_id]} > {cat_id} {cat_title} > {sub['id']}",
        kind="subcategory",
        function=fn_id,
        function_title=functions[fn_id],
        category=cat_id,
        risk_party=",".join(sub["risk_party"]),
        examples=len(examples),
    )
