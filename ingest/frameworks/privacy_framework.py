"""NIST Privacy Framework 1.0 Core: 5 functions, 18 categories and 100 subcategories.

Reads the derived flat file ``privacy_framework_core_flat.json`` (one record per function, category and
subcategory, in the order of the NIST workbook). Clause ids are NIST's: functions "ID-P", categories
"ID.IM-P", subcategories "ID.IM-P1". A subcategory's title is its category's name (subcategories have
no title of their own), as in the CSF parser; its text names its function and category, so a unit read
alone still says where it belongs.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "privacy-framework"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "privacy_framework_core_flat.json"


def parse(folder: Path) -> list[Chunk]:
    """Parse the Privacy Framework folder into 123 chunks (functions, categories, subcategories)."""
    path = Path(folder) / MAIN_FILE
    digest = file_digest(path)
    records = json.loads(path.read_text(encoding="utf-8"))
    functions = {r["id"]: r["function"].title() for r in records if r["type"] == "function"}
    chunks: list[Chunk] = []
    for rec in records:
        kind, rid = rec["type"], rec["id"]
        fn_id = rec["function_id"]
        fn_title = functions[fn_id]
        if kind == "function":
            title, parent, hierarchy = fn_title, "", f"{fn_id} {fn_title}"
            text = f"{rid} {fn_title}\n{rec['text']}"
        elif kind == "category":
            title, parent = rec["category"], fn_id
            hierarchy = f"{fn_id} {fn_title} > {rid} {title}"
            text = f"{rid} {title}\n{rec['text']}"
        elif kind == "subcategory":
            title, parent = rec["category"], rec["category_id"]
            if not rid.startswith(parent):
                raise ValueError(f"{SOURCE}: subcategory {rid} does not belong to category {parent}")
            hierarchy = f"{fn_id} {fn_title} > {parent} {title} > {rid}"
            text = f"{rid} {title} ({fn_title})\n{rec['text']}"
        else:
            raise ValueError(f"{SOURCE}: unknown record type {kind!r} ({rid})")
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=rid,
                title=title,
                text=text,
                sha256=digest,
                framework=FRAMEWORK,
                parent=parent,
                hierarchy=hierarchy,
                kind=kind,
                function=fn_id,
                function_title=fn_title,
                category=rec.get("category_id") or "",
                category_title=rec.get("category") or "",
            )
        )
    return chunks
