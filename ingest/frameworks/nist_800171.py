"""NIST SP 800-171 Rev. 3: one chunk per active (non-withdrawn) security requirement.

Parses the upstream OSCAL XML with ``xml.etree``. 130 requirements, 33 withdrawn (prop status =
"withdrawn"), 97 active. The requirement text sits in the nested ``security_requirement`` control:
its statement items ("SR-03.01.01.c.01") are rendered as "a." / "1." lines, and parameter inserts
become NIST-style "[Assignment: <usage>]" or "[Selection (one or more): a; b]". The Discussion
(``guidance`` part) follows. The 800-171A assessment objectives and methods are not included.
``extra["source_controls"]`` lists the SP 800-53 controls each requirement was derived from (the catalog's
references), the official 800-171 -> 800-53 mapping that crosswalks cite.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "nist-800-171"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "NIST_SP800-171_rev3_catalog.xml"
NS = "{http://csrc.nist.gov/ns/oscal/1.0}"


def _prop(elem: ET.Element, name: str) -> str | None:
    for prop in elem.findall(f"{NS}prop"):
        if prop.get("name") == name:
            return prop.get("value")
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Params:
    """Renders ``<insert type="param">`` elements from a requirement's ``<param>`` definitions."""

    def __init__(self, control: ET.Element) -> None:
        self.params = {p.get("id", ""): p for p in control.findall(f"{NS}param")}

    def render(self, param_id: str) -> str:
        param = self.params.get(param_id)
        if param is None:
            return f"[Assignment: {param_id}]"
        select = param.find(f"{NS}select")
        if select is not None:
            how = "one or more" if select.get("how-many") == "one-or-more" else "one"
            choices = "; ".join(self.inline(c) for c in select.findall(f"{NS}choice"))
            return f"[Selection ({how}): {choices}]"
        usage = param.find(f"{NS}usage")
        label = self.inline(usage) if usage is not None else (param.findtext(f"{NS}label") or param_id)
        return f"[Assignment: {_squash(label)}]"

    def inline(self, elem: ET.Element) -> str:
        """Text of an element with its inline children (inserts resolved, links as their text)."""
        out = [elem.text or ""]
        for child in elem:
            if child.tag == f"{NS}insert" and child.get("type") == "param":
                out.append(self.render(child.get("id-ref", "")))
            else:
                out.append(self.inline(child))
            out.append(child.tail or "")
        # XML line wrapping can leave a space between an insert and its punctuation ("] .").
        return re.sub(r"\] ([.,;:])", r"]\1", _squash("".join(out)))


def _item_label(label: str) -> str:
    last = label.rsplit(".", 1)[-1]
    return f"{int(last)}." if last.isdigit() else f"{last}."


def _statement_lines(part: ET.Element, params: _Params, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for item in part.findall(f"{NS}part"):
        if item.get("name") != "item":
            continue
        text = " ".join(params.inline(p) for p in item.findall(f"{NS}p"))
        lines.append(f"{'  ' * depth}{_item_label(_prop(item, 'label') or '')} {text}")
        lines.extend(_statement_lines(item, params, depth + 1))
    return lines


_SP80053_REF = re.compile(r"^([A-Z]{2})-0*(\d+)(?:\(0*(\d+)\))?$")


def _source_controls(control: ET.Element, resources: dict[str, str]) -> str:
    """The SP 800-53 controls the requirement was derived from (its back-matter references whose title is an
    800-53 id, "IA-02(01)" -> "IA-2(1)"), comma-separated in catalog order."""
    out: list[str] = []
    for link in control.findall(f"{NS}link"):
        if link.get("rel") != "reference":
            continue
        m = _SP80053_REF.match(resources.get(link.get("href", "").lstrip("#"), ""))
        if m:
            out.append(f"{m.group(1)}-{int(m.group(2))}" + (f"({int(m.group(3))})" if m.group(3) else ""))
    return ",".join(dict.fromkeys(out))


def _requirement(
    control: ET.Element, family_id: str, family_title: str, digest: str, resources: dict[str, str]
) -> Chunk:
    rid = _prop(control, "sort-id") or control.get("id", "").removeprefix("SP_800_171_")
    title = _squash(control.findtext(f"{NS}title") or "")
    params = _Params(control)
    lines: list[str] = []
    for sr in control.findall(f"{NS}control"):
        if sr.get("class") != "security_requirement":
            continue
        for stmt in sr.findall(f"{NS}part"):
            if stmt.get("name") == "statement":
                lines.extend(_statement_lines(stmt, params))
                own = " ".join(params.inline(p) for p in stmt.findall(f"{NS}p"))
                if own:
                    lines.insert(0, own)
    if not lines:
        raise ValueError(f"SP 800-171 {rid}: no requirement statement found")
    text = f"{rid} {title}\n" + "\n".join(lines)
    discussion = [
        params.inline(p)
        for part in control.findall(f"{NS}part")
        if part.get("name") == "guidance"
        for p in part.findall(f"{NS}p")
    ]
    if discussion:
        text += "\n\nDiscussion: " + "\n\n".join(discussion)
    return regulation_chunk(
        source=SOURCE,
        section=rid,
        title=title,
        text=text,
        sha256=digest,
        framework=FRAMEWORK,
        parent=family_id,
        hierarchy=f"{family_id} {family_title} > {rid} {title}",
        kind="requirement",
        family=family_id,
        family_title=family_title,
        source_controls=_source_controls(control, resources),
    )


def parse(folder: Path) -> list[Chunk]:
    """Parse the 800-171 folder into one chunk per active requirement, in id order."""
    path = folder / MAIN_FILE
    digest = file_digest(path)
    root = ET.parse(path).getroot()
    resources = {
        r.get("uuid", ""): _squash(r.findtext(f"{NS}title") or "") for r in root.iter(f"{NS}resource")
    }
    chunks: list[Chunk] = []
    for group in root.findall(f"{NS}group"):
        family_id = _prop(group, "sort-id") or group.get("id", "").removeprefix("SP_800_171_")
        family_title = _squash(group.findtext(f"{NS}title") or "")
        for control in group.findall(f"{NS}control"):
            if control.get("class") != "requirement" or _prop(control, "status") == "withdrawn":
                continue
            chunks.append(_requirement(control, family_id, family_title, digest, resources))
    return sorted(chunks, key=lambda c: c.section or "")
