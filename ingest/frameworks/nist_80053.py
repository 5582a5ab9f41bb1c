"""NIST SP 800-53 Rev. 5: one chunk per active control and control enhancement.

Reads NIST's OSCAL catalog ``NIST_SP-800-53_rev5_catalog-min.json`` (20 families, 1,189 controls and
enhancements, 182 withdrawn: 1,007 active) and the four SP 800-53B baseline profiles. Section ids are
the NIST labels ("AC-2", "AC-2(3)"). A unit's text is "<id> <title>", the statement (one line per
item, two spaces of indent per level) with each ``{{ insert: param, … }}`` rendered NIST-style as
``[Assignment: <label>]`` or ``[Selection (one or more): a; b]``, then "Discussion:" and the guidance,
whose ``[AU-2](#au-2)`` links become their text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "nist-800-53"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "NIST_SP-800-53_rev5_catalog-min.json"
BASELINE_ORDER = ("LOW", "MODERATE", "HIGH", "PRIVACY")
PROFILE_FILE = "NIST_SP-800-53_rev5_{}-baseline_profile-min.json"

_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([\w.-]+)\s*\}\}")
_LINK = re.compile(r"\[([^\[\]]*)\]\(#[^)]*\)")  # "[AU-2a](#au-2_smt.a)": an internal link

Record = dict[str, Any]


def _prop(obj: Record, name: str) -> str:
    return next((p["value"] for p in obj.get("props", []) if p.get("name") == name), "")


def _walk(
    controls: list[Record], family: Record, parent: Record | None = None
) -> Iterator[tuple[Record, Record, Record | None]]:
    """(control, family, parent control or None) for every control and enhancement, in catalog order."""
    for control in controls:
        yield control, family, parent
        yield from _walk(control.get("controls", []), family, control)


class _Params:
    """Renders a control's ``{{ insert: param, id }}`` placeholders as NIST's bracketed text."""

    def __init__(self, control: Record) -> None:
        self.params = {p["id"]: p for p in control.get("params", [])}

    def render(self, param_id: str) -> str:
        param = self.params.get(param_id)
        if param is None:
            raise ValueError(f"{MAIN_FILE}: unknown parameter {param_id!r}")
        select = param.get("select")
        if select is not None:
            how = " (one or more)" if select.get("how-many") == "one-or-more" else ""
            return f"[Selection{how}: " + "; ".join(self.prose(c) for c in select["choice"]) + "]"
        return f"[Assignment: {self.prose(param['label'])}]"

    def prose(self, text: str) -> str:
        """``text`` with its internal links as plain text and its parameters rendered."""
        return _INSERT.sub(lambda m: self.render(m.group(1)), _LINK.sub(r"\1", text))


def _statement(part: Record, params: _Params, indent: int = 0) -> list[str]:
    """The lines of a statement part: its prose, then its items, one level deeper when it has prose."""
    lines: list[str] = []
    prose = part.get("prose")
    if prose is not None:
        label = _prop(part, "label")
        text = params.prose(prose).strip()
        lines.append("  " * indent + (f"{label} {text}" if label else text))
    for item in part.get("parts", []):
        if item.get("name") == "item":
            lines.extend(_statement(item, params, indent + (prose is not None)))
    return lines


def _text_part(control: Record, name: str, params: _Params) -> str:
    return "\n\n".join(
        params.prose(p.get("prose", "")).strip() for p in control.get("parts", []) if p.get("name") == name
    )


def baselines(folder: Path) -> dict[str, list[str]]:
    """OSCAL control id -> the baselines (in ``BASELINE_ORDER``) whose profile includes it."""
    out: dict[str, list[str]] = {}
    for level in BASELINE_ORDER:
        path = folder / PROFILE_FILE.format(level)
        profile = json.loads(path.read_text(encoding="utf-8"))["profile"]
        try:
            ids = [
                i for imp in profile["imports"] for inc in imp["include-controls"] for i in inc["with-ids"]
            ]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{path.name}: not an OSCAL profile with include-controls ({exc})") from None
        for oscal_id in ids:
            out.setdefault(oscal_id, []).append(level)
    return out


def parse(folder: Path) -> list[Chunk]:
    """Parse the 800-53 folder into one chunk per active control or enhancement."""
    path = folder / MAIN_FILE
    digest = file_digest(path)
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))["catalog"]["groups"]
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{MAIN_FILE}: not an OSCAL catalog with groups ({exc})") from None
    in_baseline = baselines(folder)
    rows = [row for g in groups for row in _walk(g["controls"], g)]
    labels = {c["id"]: _prop(c, "label") for c, _, _ in rows}
    chunks: list[Chunk] = []
    for control, family, parent in rows:
        if _prop(control, "status") == "withdrawn":
            continue
        chunks.append(_chunk(control, family, parent, labels, in_baseline.get(control["id"], []), digest))
    return chunks


def _chunk(
    control: Record,
    family: Record,
    parent: Record | None,
    labels: dict[str, str],
    levels_in: list[str],
    digest: str,
) -> Chunk:
    cid = labels[control["id"]]
    if not cid:
        raise ValueError(f"{MAIN_FILE}: control {control['id']!r} has no label")
    params = _Params(control)
    title = control["title"] if parent is None else f"{parent['title']} | {control['title']}"
    statement = [
        line
        for part in control.get("parts", [])
        if part.get("name") == "statement"
        for line in _statement(part, params)
    ]
    text = f"{cid} {title}\n" + "\n".join(statement).strip()
    guidance = _text_part(control, "guidance", params)
    if guidance:
        text += f"\n\nDiscussion: {guidance}"
    family_id = family["id"].upper()
    parent_id = labels[parent["id"]] if parent is not None else ""
    levels = [f"{family_id} {family['title']}"]
    if parent is not None:
        levels.append(f"{parent_id} {parent['title']}")
    levels.append(f"{cid} {control['title']}")
    related = [
        labels.get(link["href"].lstrip("#"), "")
        for link in control.get("links", [])
        if link.get("rel") == "related"
    ]
    return regulation_chunk(
        source=SOURCE,
        section=cid,
        title=title,
        text=text,
        sha256=digest,
        framework=FRAMEWORK,
        parent=parent_id,
        hierarchy=" > ".join(levels),
        kind="enhancement" if parent is not None else "control",
        family=family_id,
        family_title=family["title"],
        control_title=control["title"],
        is_enhancement=parent is not None,
        baselines=",".join(levels_in),
        related=",".join(r for r in related if r),
        oscal_id=control["id"],
    )
