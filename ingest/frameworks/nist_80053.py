"""NIST SP 800-53 Rev. 5: one chunk per active control and control enhancement.

Reads the derived flat file ``sp800-53r5_controls_flat.json`` (statement with parameters already
rendered as ``[Assignment: …]`` / ``[Selection …: …]``, guidance, baselines). Withdrawn controls are
skipped: 1,189 records, 1,007 active. Section ids are the NIST labels ("AC-2", "AC-2(3)").
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "nist-800-53"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "sp800-53r5_controls_flat.json"
BASELINE_ORDER = ("LOW", "MODERATE", "HIGH", "PRIVACY")


def parse(folder: Path) -> list[Chunk]:
    """Parse the 800-53 folder into one chunk per active control or enhancement."""
    path = folder / MAIN_FILE
    digest = file_digest(path)
    records = json.loads(path.read_text(encoding="utf-8"))["controls"]
    titles = {r["id"]: r["title"] for r in records}
    chunks: list[Chunk] = []
    for rec in records:
        if rec["status"] != "active":
            continue
        chunks.append(_chunk(rec, titles, digest))
    return chunks


def _chunk(rec: dict, titles: dict[str, str], digest: str) -> Chunk:
    cid: str = rec["id"]
    parent: str = rec["parent"] or ""
    title: str = rec["full_title"]
    text = f"{cid} {title}\n{rec['statement'].strip()}"
    if rec["guidance"].strip():
        text += f"\n\nDiscussion: {rec['guidance'].strip()}"
    levels = [f"{rec['family']} {rec['family_title']}"]
    if parent:
        levels.append(f"{parent} {titles.get(parent, '')}".rstrip())
    levels.append(f"{cid} {rec['title']}")
    baselines = [b for b in BASELINE_ORDER if b in rec["baselines"]]
    return regulation_chunk(
        source=SOURCE,
        section=cid,
        title=title,
        text=text,
        sha256=digest,
        framework=FRAMEWORK,
        parent=parent,
        hierarchy=" > ".join(levels),
        kind="enhancement" if rec["is_enhancement"] else "control",
        family=rec["family"],
        family_title=rec["family_title"],
        control_title=rec["title"],
        is_enhancement=bool(rec["is_enhancement"]),
        baselines=",".join(baselines),
        related=",".join(rec["related"]),
        oscal_id=rec["oscal_id"],
    )
