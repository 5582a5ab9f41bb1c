"""Spot text in a document that reads like instructions aimed at an AI assistant (prompt injection).

Ingestion does not refuse such documents — a policy about AI use may legitimately quote these phrases —
but it records a warning so that a reviewer can look, and the answering layer treats retrieved text
as data anyway. The patterns are deliberately narrow: ordinary policy sentences such as "Users must
not ignore security warnings" or "Do not disclose this document" must not trigger them.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE

_AI = r"(?:ai|a\.i\.|ai model|assistant|ai assistant|chat ?bot|chatgpt|gpt|llm|language model|copilot|bot)"

# (pattern, description). Descriptions are short and human-readable; they are shown in ingest warnings.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _FLAGS), d)
    for p, d in (
        (
            r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?"
            r"(?:the\s+|your\s+|my\s+|these\s+|those\s+)?(?:previous|prior|above|earlier|preceding|foregoing|"
            r"original)\s+(?:instructions?|prompts?|directions?|rules|guidelines|context|messages?)",
            "asks to ignore previous instructions",
        ),
        (
            r"\b(?:disregard|ignore|forget)\s+(?:everything|anything|all)?\s*(?:written\s+|said\s+|stated\s+)?"
            r"(?:above|before this|so far)\b",
            "asks to disregard the text above",
        ),
        (
            r"\b(?:disregard|ignore)\s+the\s+(?:above|preceding)\b",
            "asks to disregard the text above",
        ),
        (
            r"\byou\s+are\s+now\s+(?:a\s+|an\s+|the\s+|in\s+)?(?:[\w-]+\s+){0,3}?"
            r"(?:ai|assistant|chat ?bot|language model|bot|persona|dan|jailbroken|unrestricted|unfiltered|"
            r"(?:developer|god|dan|jailbreak)\s+mode)\b",
            "tries to give the assistant a new role ('you are now ...')",
        ),
        (
            r"\bfrom\s+now\s+on,?\s+(?:you|the\s+" + _AI + r")\s+(?:will|must|should|are|shall)\b",
            "tries to give the assistant new standing orders ('from now on you ...')",
        ),
        (
            r"\b(?:pretend|act)\s+(?:to\s+be|that\s+you\s+are|as\s+if\s+you\s+were)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?"
            + _AI + r"\b",
            "asks the assistant to role-play",
        ),
        (
            r"\bsystem\s+prompt\b|\bdeveloper\s+message\b|<\|im_start\|>|<\|system\|>|\[/?INST\]|<<\s*SYS\s*>>",
            "mentions a system prompt or chat-template markers",
        ),
        (
            r"\b(?:new|updated|real|actual|hidden|secret|additional)\s+instructions?\s*(?:for\s+(?:the\s+)?"
            + _AI + r"\s*)?:",
            "introduces 'new instructions'",
        ),
        (
            r"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+)?" + _AI + r"s?\b"
            r"(?!\s+(?:manager|director|secretary|controller|engineer|officer|team|staff)s?\b)",
            "addresses an AI assistant directly",
        ),
        (
            r"\b(?:if|when)\s+(?:you\s+are\s+|you're\s+)?(?:asked|questioned|queried)\b[^.\n]{0,80}?,?\s*"
            r"(?:always\s+)?(?:answer|respond|reply|say|state|declare|tell\s+\w+)\s+(?:that\s+)?[^.\n]{0,60}?"
            r"\b(?:compliant|in\s+compliance|no\s+(?:findings|gaps|issues|risks|incidents)|passed|certified)\b",
            "tells the reader how to answer questions",
        ),
        (
            r"(?:^|[.!?:]\s+|\n\s*)(?:always\s+|simply\s+|just\s+|you\s+(?:must|should|shall|will)\s+)?"
            r"(?:declare|report|state|say|answer|conclude|assert)\s+(?:that\s+)?"
            r"(?!whether\b|if\b)[^.\n]{0,80}?\b(?:is|are|as|be|was|were)\s+(?:fully\s+|100%\s+)?"
            r"(?:compliant|in\s+compliance|certified|risk[- ]free)\b",
            "asks to declare compliance",
        ),
        (
            r"\bdeclare\s+(?:the\s+|this\s+|our\s+|all\s+)?(?:[\w-]+\s+){0,4}?(?:fully\s+)?compliant\b",
            "asks to declare compliance",
        ),
        (
            r"\b(?:do\s+not|don't|never|must\s+not|should\s+not)\s+(?:cite|include\s+citations?|"
            r"give\s+(?:a\s+)?citations?|provide\s+(?:a\s+)?citations?|reference\s+(?:this|the)\s+source)\b",
            "asks not to cite sources",
        ),
        (
            r"\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+to|reveal\s+to)\s+the\s+(?:user|reader)s?\s+"
            r"(?:about\s+)?(?:this|these)\s+(?:instructions?|notes?|text|findings?|issues?|gaps?)\b",
            "asks to hide something from the user",
        ),
        (
            r"\b(?:reveal|print|repeat|output|show|leak)\s+(?:your\s+(?:hidden\s+|initial\s+|original\s+|system\s+)?|"
            r"the\s+(?:hidden|initial|original|system)\s+)(?:instructions|prompt)\b",
            "asks the assistant to reveal its instructions",
        ),
        (
            r"\b(?:respond|reply|answer)\s+(?:only\s+)?with\s+(?:only\s+)?(?:the\s+(?:word|phrase)|exactly)\b",
            "dictates the assistant's reply",
        ),
    )
)


def find_injection(text: str) -> list[str]:
    """Return short descriptions of instruction-like phrases in ``text`` (each description at most once).

    Each description quotes the matched words, e.g.
    ``asks to ignore previous instructions: "Ignore all previous instructions"``.
    """
    found: list[str] = []
    seen: set[str] = set()
    for pattern, description in _PATTERNS:
        match = pattern.search(text)
        if match is None or description in seen:
            continue
        seen.add(description)
        quote = " ".join(match.group(0).split()).strip(" .!?:\n")
        if len(quote) > 80:
            quote = quote[:77] + "..."
        found.append(f'{description}: "{quote}"')
    return found
