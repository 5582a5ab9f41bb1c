"""Spot text in a document that reads like instructions aimed at an AI assistant (prompt injection).

Detection is advisory: ingestion keeps such documents (a policy about AI use may quote these phrases)
and marks them; :mod:`advisor.answering.evidence_rule` is the defence — marked text is never evidence
and never reaches an LLM. Matching runs on a *normalised* copy of the text (see :func:`normalise`):
NFKC, invisible
and bidi characters removed, confusable letters (Cyrillic "і", Greek "ο" ...) folded to Latin,
hyphenated line ends and page/line breaks joined, so "Ig\u200bnore", "Іgnore" and a phrase split across two
PDF pages are caught. Callers pass the whole document's text, not one page or chunk at a time.

The patterns stay narrow: ordinary policy sentences such as "Users must not ignore security warnings",
"ignore case in search" or "the system shall disregard duplicate records" must not trigger them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

_FLAGS = re.IGNORECASE

_AI = (
    r"(?:ai|a\.i\.|ai model|assistant|ai assistant|chat ?bot|chatgpt|gpt|llm|language model|copilot|bot"
    r"|model)"
)
_PRIOR = r"(?:previous|prior|above|earlier|preceding|foregoing|original|initial|existing|old|past|system)"
_ORDERS = (
    r"(?:instructions?|prompts?|directions?|directives?|rules|guidelines|guidance|context|messages?|"
    r"orders|commands|constraints|programming|policies|restrictions)"
)
_COMPLIANT = (
    r"(?:fully\s+|completely\s+|100%\s+)?(?:compliant|in\s+(?:full\s+)?compliance|certified|risk[- ]free|"
    r"secure|audit[- ]ready)"
)

# (pattern, description). Descriptions are short and human-readable; they are shown in ingest warnings.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _FLAGS), d)
    for p, d in (
        (
            r"\b(?:ignore|disregard|forget|override|overrule|bypass|set\s+aside|discard|drop|skip|abandon|"
            r"pay\s+no\s+attention\s+to|do\s+not\s+follow|don't\s+follow|stop\s+following)\s+"
            r"(?:all\s+|any\s+|every\s+|each\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+|its\s+)?"
            r"(?:\w+\s+){0,1}?" + _PRIOR + r"\s+(?:\w+\s+){0,1}?" + _ORDERS + r"\b",
            "asks to ignore previous instructions",
        ),
        (
            r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:your|the\s+assistant's|the\s+ai's)\s+"
            + _ORDERS
            + r"\b",
            "asks to ignore previous instructions",
        ),
        (
            r"\b(?:disregard|ignore|forget)\s+(?:everything|anything|all)\s*(?:written\s+|said\s+|stated\s+|"
            r"you\s+(?:were|have\s+been)\s+told\s*)?(?:above|before\s+this|so\s+far|earlier|previously)?\b"
            r"(?!\s+(?:of|in|on|from|that|which|about)\b)",
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
            r"\b(?:pretend|act|behave|roleplay|role-play)\s+(?:to\s+be|that\s+you\s+are|as\s+if\s+you\s+were|"
            r"as|you\s+are)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:" + _AI + r"|persona|character)"
            r"\s+(?:with(?:out)?|that|who|which)\b",
            "asks the assistant to role-play",
        ),
        (
            r"\b(?:pretend|act)\s+(?:to\s+be|that\s+you\s+are|as\s+if\s+you\s+were)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?"
            + _AI
            + r"\b|\b(?:let's|lets)\s+(?:role-?play|play\s+a\s+game)\b"
            r"|\benter\s+(?:developer|god|dan)\s+mode\b",
            "asks the assistant to role-play",
        ),
        (
            r"\bsystem\s+prompt\b|\bdeveloper\s+message\b|<\|im_start\|>|<\|system\|>|\[/?inst\]|<<\s*sys\s*>>",
            "mentions a system prompt or chat-template markers",
        ),
        (
            r"\b(?:new|updated|real|actual|hidden|secret|additional|revised)\s+instructions?\s*(?:for\s+(?:the\s+)?"
            + _AI
            + r"\s*)?:",
            "introduces 'new instructions'",
        ),
        (
            r"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?"
            + _AI
            + r"s?\b"
            r"(?!\s+(?:manager|director|secretary|controller|engineer|officer|team|staff|inventory|risk)s?\b)"
            r"|^\s*(?:ai|llm|assistant|chat ?bot)s?\s*(?:assistants?\s*)?[:,]",
            "addresses an AI assistant directly",
        ),
        (
            r"\b(?:if|when)\s+(?:you\s+are\s+|you're\s+)?(?:asked|questioned|queried)\b[^.\n]{0,80}?,?\s*"
            r"(?:always\s+)?(?:answer|respond|reply|say|state|declare|tell\s+\w+)\s+(?:that\s+)?[^.\n]{0,60}?"
            r"\b(?:compliant|in\s+compliance|no\s+(?:open\s+)?(?:findings|gaps|issues|risks|incidents)|passed|certified)\b",
            "tells the reader how to answer questions",
        ),
        (
            r"(?<!\bto )(?<!\bnot )(?<!n't )(?<!\bcan )(?<!cannot )(?<!\bmay )(?<!\bmust )(?<!\bshall )"
            r"(?<!\bshould )"
            r"\b(?:declare|report|state|say|answer|conclude|assert|confirm|claim|write|tell\s+(?:the\s+)?\w+)\s+"
            r"(?:that\s+)?(?!whether\b|if\b)[^.\n]{0,80}?\b(?:is|are|as|be|was|were)\s+(?:[\w-]+\s+){0,3}?"
            + _COMPLIANT
            + r"\b",
            "asks to declare compliance",
        ),
        (
            r"\byou\s+(?:must|should|shall|will|are\s+to)\s+(?:always\s+)?(?:declare|report|state|say|answer|confirm|"
            r"claim)\s+(?:that\s+)?(?!whether\b|if\b)[^.\n]{0,80}?\b(?:is|are|as|be|was|were)\s+(?:[\w-]+\s+){0,3}?"
            + _COMPLIANT
            + r"\b",
            "asks to declare compliance",
        ),
        (
            r"\bdeclare\s+(?:the\s+|this\s+|our\s+|all\s+)?(?:[\w-]+\s+){0,4}?(?:fully\s+)?compliant\b",
            "asks to declare compliance",
        ),
        (
            r"\b(?:do\s+not|don't|never|must\s+not|should\s+not|without)\s+(?:cite|citing|include\s+citations?|"
            r"giv(?:e|ing)\s+(?:a\s+|any\s+)?citations?|provid(?:e|ing)\s+(?:a\s+|any\s+)?(?:citations?|sources?)|"
            r"referenc(?:e|ing)\s+(?:this|the|any)\s+(?:source|document)|mention(?:ing)?\s+(?:this|the)\s+source)\b",
            "asks not to cite sources",
        ),
        (
            r"\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+to|reveal\s+to)\s+the\s+(?:user|reader)s?\s+"
            r"(?:about\s+)?(?:this|these)\s+(?:instructions?|notes?|text|findings?|issues?|gaps?)\b",
            "asks to hide something from the user",
        ),
        (
            r"\b(?:hide|omit|suppress|conceal|leave\s+out|do\s+not\s+(?:mention|report|disclose|list|include)|"
            r"don't\s+(?:mention|report|disclose|list|include)|never\s+(?:mention|report|disclose))\s+"
            r"(?:any\s+|all\s+|the\s+)?(?:open\s+|outstanding\s+|audit\s+|known\s+)*(?:findings|gaps|deficiencies|"
            r"weaknesses|vulnerabilities|issues)\b(?!\s+(?:to|with|outside|beyond|externally|publicly|in\s+public)\b)"
            r"(?=[^.\n]{0,80}\b(?:answer|response|report|summary|memo|reply|user|reader|assistant|auditor|question))",
            "asks to hide findings",
        ),
        (
            r"\b(?:report|state|say|answer|confirm|claim)\s+(?:that\s+)?(?:there\s+(?:are|were)\s+)?"
            r"no\s+(?:open\s+|outstanding\s+)?(?:findings|gaps|deficiencies|issues)\b",
            "asks to report no findings",
        ),
        (
            r"\b(?:reveal|print|repeat|output|show|leak|display|disclose)\s+(?:your\s+(?:hidden\s+|initial\s+|original\s+"
            r"|system\s+)?|the\s+(?:hidden|initial|original|system)\s+)(?:instructions|prompt)\b",
            "asks the assistant to reveal its instructions",
        ),
        (
            r"\b(?:respond|reply|answer)\s+(?:only\s+)?with\s+(?:only\s+)?(?:the\s+(?:word|phrase)|exactly)\b",
            "dictates the assistant's reply",
        ),
    )
)

# Characters that render as nothing (or only steer the layout): zero-width, bidi controls, soft hyphen,
# variation selectors, tag characters. Category Cf covers most; a few others are listed explicitly.
_INVISIBLE_EXTRA = {0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x180E}
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)")
_MARKUP = re.compile(r"[*`~]+")


@lru_cache(maxsize=1)
def _confusable_map() -> dict[int, str]:
    """Non-ASCII letters that look like an ASCII letter or digit, mapped to it (Unicode TR39 data as kept
    by the ``confusable_homoglyphs`` package; falls back to NFKC alone if the package is missing)."""
    try:
        raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    table: dict[int, str] = {}
    for char, glyphs in json.loads(raw).items():
        if len(char) != 1 or ord(char) < 128:
            continue
        target = next(
            (g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()), None
        )
        if target is None:
            continue
        name = unicodedata.name(char, "")
        if target == "l" and re.search(
            r"\bLETTER (?:SMALL |CAPITAL )?(?:DOTLESS )?I\b|UKRAINIAN I\b|PALOCHKA", name
        ):
            target = "i"  # TR39 maps capital I to l; for words, a Cyrillic "І" stands for "i"
        table[ord(char)] = target
    return table


def _invisible(ch: str) -> bool:
    cp = ord(ch)
    if ch in "\n\t\f\r":
        return False
    return (
        unicodedata.category(ch) == "Cf"
        or cp in _INVISIBLE_EXTRA
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0000 <= cp <= 0xE007F
    )


def normalise(text: str) -> str:
    """The text as detection sees it: NFKC; invisible/bidi characters dropped; confusables folded to ASCII;
    hyphenated line ends joined ("ig-\\nnore" -> "ignore"); emphasis markers inside words dropped; every run
    of whitespace (line, page and form-feed breaks included) one space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not _invisible(ch))
    text = text.translate(_confusable_map())
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _MARKUP.sub("", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def find_injection(text: str) -> list[str]:
    """Return short descriptions of instruction-like phrases in ``text`` (each description at most once).

    Each description quotes the matched words (normalised), e.g.
    ``asks to ignore previous instructions: "Ignore all previous instructions"``. Pass a whole
    document's text so that a phrase split across pages or chunks is seen whole.
    """
    flat = normalise(text)
    found: list[str] = []
    seen: set[str] = set()
    for pattern, description in _PATTERNS:
        if description in seen:
            continue
        match = pattern.search(flat)
        if match is None:
            continue
        seen.add(description)
        quote = match.group(0).strip(" .!?:;,\n")
        if len(quote) > 80:
            quote = quote[:77] + "..."
        found.append(f'{description}: "{quote}"')
    return found
