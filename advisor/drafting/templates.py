"""Policy templates from ``knowledge_base/templates/*.yaml`` (see the README there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from advisor.errors import ConfigError, NotFound

SECTION_KEYS = ("purpose", "scope", "roles", "exceptions", "enforcement", "review")
POLICY_TYPES: tuple[str, ...] = (
    "access-control",
    "incident-response",
    "vendor-risk",
    "acceptable-use",
    "data-retention",
    "backup-dr",
    "security-awareness",
    "encryption",
    "risk-management",
    "business-continuity",
)


@dataclass(frozen=True)
class Slot:
    """A section of a policy, or one policy statement, filled from the client's documents."""

    id: str
    title: str
    query: str = ""
    match: tuple[str, ...] = ()
    decide: str = ""
    text: str = ""
    clauses: tuple[str, ...] = ()
    gaps: tuple[str, ...] | str = ()  # words matched against findings, or "top-risks"


@dataclass(frozen=True)
class PolicyTemplate:
    type: str
    title: str
    sections: dict[str, Slot]  # SECTION_KEYS -> Slot
    statements: tuple[Slot, ...]


def templates_dir(knowledge_base: Path) -> Path:
    return knowledge_base / "templates"


def _slot(key: str, raw: dict) -> Slot:
    gaps = raw.get("gaps", ())
    return Slot(
        id=key,
        title=str(raw.get("heading") or raw.get("title") or key),
        query=str(raw.get("query", "")),
        match=tuple(str(m).lower() for m in raw.get("match", ())),
        decide=str(raw.get("decide", "")),
        text=" ".join(str(raw.get("text", "")).split()),
        clauses=tuple(str(c) for c in raw.get("clauses", ())),
        gaps=gaps if isinstance(gaps, str) else tuple(str(g).lower() for g in gaps),
    )


@lru_cache(maxsize=32)
def _load(directory: str, policy_type: str) -> PolicyTemplate:
    root = Path(directory)
    path = root / f"{policy_type}.yaml"
    if policy_type not in POLICY_TYPES or not path.is_file():
        raise NotFound(f"unknown policy type {policy_type!r}; valid: {', '.join(POLICY_TYPES)}")
    try:
        common = yaml.safe_load((root / "_common.yaml").read_text(encoding="utf-8")) or {}
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read policy template {path}: {exc}") from exc
    sections: dict[str, Slot] = {}
    for key in SECTION_KEYS:
        merged = dict(common.get("sections", {}).get(key, {}))
        merged.update(raw.get("sections", {}).get(key, {}) or {})
        if key == "purpose" and raw.get("purpose"):
            merged["text"] = raw["purpose"]
        sections[key] = _slot(key, merged)
    statements = tuple(_slot(str(s["id"]), s) for s in raw.get("statements", ()))
    if not statements:
        raise ConfigError(f"policy template {path} has no statements")
    return PolicyTemplate(
        type=policy_type, title=str(raw.get("title", policy_type)), sections=sections, statements=statements
    )


def load_template(knowledge_base: Path, policy_type: str) -> PolicyTemplate:
    return _load(str(templates_dir(knowledge_base)), policy_type)
