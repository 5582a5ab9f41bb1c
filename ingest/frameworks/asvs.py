"""OWASP ASVS 5.0.0: one chunk per requirement (345).

Reads the upstream JSON (chapters > sections > requirements). The id is the requirement's
``Shortcode`` ("V6.2.1"; a "V" is added if missing), the title is "<chapter> / <section>" and the
text is the requirement's ``Description``. The data is CC BY-SA 4.0 (see the folder's licence file).
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "asvs-5.0"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "OWASP_Application_Security_Verification_Standard_5.0.0_en.json"


def _vid(code: str) -> str:
    return code if code.startswith("V") else f"V{code}"


def parse(folder: Path) -> list[Chunk]:
    """Parse the ASVS folder into one chunk per requirement."""
    path = folder / MAIN_FILE
    digest = file_digest(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    chunks: list[Chunk] = []
    for chapter in data["Requirements"]:
        ch_id = _vid(chapter["Shortcode"])
        for section in chapter["Items"]:
            sec_id = _vid(section["Shortcode"])
            title = f"{chapter['Name']} / {section['Name']}"
            for req in section["Items"]:
                rid = _vid(req["Shortcode"])
                level = int(req["L"])
                chunks.append(
                    regulation_chunk(
                        source=SOURCE,
                        section=rid,
                        title=title,
                        text=f"{rid} {title} [L{level}]\n{req['Description'].strip()}",
                        sha256=digest,
                        framework=FRAMEWORK,
                        parent=sec_id,
                        hierarchy=f"{ch_id} {chapter['Name']} > {sec_id} {section['Name']} > {rid}",
                        kind="requirement",
                        chapter=ch_id,
                        chapter_title=chapter["Name"],
                        section_id=sec_id,
                        section_title=section["Name"],
                        level=level,
                    )
                )
    return chunks
