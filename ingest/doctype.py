"""Guess a document's type (one of ``DOC_TYPES``) from its file name, then from its content."""

from __future__ import annotations

import re

from ingest.types import DOC_TYPES

# File-name rules, most specific first: "Vendor Risk Assessment" is an assessment, "Incident Response
# Policy" a policy, "Incident Response Plan" a plan.
_NAME_RULES: tuple[tuple[str, str], ...] = (
    ("risk_register", r"risk[ _-]*(?:register|log|registry)|risk[ _-]*treatment[ _-]*plan"),
    ("minutes", r"minutes|tabletop|table[ _-]top|meeting[ _-]*notes|board[ _-]*pack"),
    (
        "incident_plan",
        r"incident[ _-]*(?:response[ _-]*)?(?:plan|runbook|playbook|procedure)|\birp\b|"
        r"runbook|playbook",
    ),
    (
        "audit_report",
        r"audit|assessment|findings|pen[ _-]*test|penetration|soc[ _-]*[12][ _-]*(?:type|report)|"
        r"gap[ _-]*analysis|review[ _-]*report|vulnerability[ _-]*(?:scan|report)",
    ),
    (
        "policy",
        r"polic(?:y|ies)|standard|procedure|handbook|acceptable[ _-]*use|code[ _-]*of[ _-]*conduct|"
        r"\bisp\b|\baup\b",
    ),
    ("vendor_list", r"vendor|supplier|sub[ _-]*processor|third[ _-]*part(?:y|ies)|\btprm\b"),
)

# Content keywords: (doc_type, phrase pattern, weight). Counted in the first 20,000 characters.
_CONTENT_RULES: tuple[tuple[str, str, int], ...] = (
    ("risk_register", r"risk register", 4),
    ("risk_register", r"risk owner|residual risk|inherent risk|likelihood|risk score|risk rating", 1),
    ("minutes", r"\bminutes\b|meeting minutes", 3),
    ("minutes", r"attendees|action items?|apologies|\bchair(?:ed)?\b|tabletop exercise", 1),
    ("incident_plan", r"incident response plan|runbook|playbook", 3),
    ("incident_plan", r"containment|eradication|escalation|severity level|on-call|incident commander", 1),
    ("audit_report", r"audit report|assessment report|penetration test|findings?\s+summary", 3),
    (
        "audit_report",
        r"\bfinding\b|\bfindings\b|auditor|observation|remediation|recommendation|"
        r"management response|scope of (?:the )?(?:audit|assessment)",
        1,
    ),
    (
        "vendor_list",
        r"vendor list|vendor inventory|sub-?processor list|list of (?:sub-?processors|vendors)",
        4,
    ),
    ("vendor_list", r"\bvendors?\b|sub-?processors?|suppliers?|data processing agreement|\bdpa\b", 1),
    ("policy", r"\bthis policy\b|policy statement|policy owner", 3),
    ("policy", r"\bpurpose\b|\bscope\b|\bshall\b|\bmust\b|exceptions|enforcement|compliance with", 1),
)
_MIN_SCORE = 4


def infer_doc_type(filename: str, text: str) -> str:
    """Return the document type; "other" when neither the name nor the content is telling."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    name = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem).lower()  # "RiskRegister" → "risk register"
    name = re.sub(r"[\s_.-]+", " ", name)
    for doc_type, pattern in _NAME_RULES:
        if re.search(pattern, name):
            return doc_type
    sample = text[:20_000].lower()
    scores = dict.fromkeys(DOC_TYPES, 0)
    for doc_type, pattern, weight in _CONTENT_RULES:
        hits = len(re.findall(pattern, sample))
        scores[doc_type] += weight * min(hits, 5)
    best = max(DOC_TYPES, key=lambda t: (scores[t], -DOC_TYPES.index(t)))
    return best if scores[best] >= _MIN_SCORE else "other"
