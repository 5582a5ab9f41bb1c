"""Everyday words users write for the documents' terms ("squad" for "team", "problems" for "findings").

Abstention's soft coverage counts a question word as found when a synonym is there; a "how many problems"
question is answered by a number of findings. Both directions are looked up.

    >>> sorted(expanded("problems"))
    ['findings', 'issues', 'problems']
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.retrieval.lexical import stems

SYNONYMS: dict[str, tuple[str, ...]] = {
    "squad": ("team",),
    "crew": ("team",),
    "group": ("team", "committee"),
    "boss": ("manager", "owner", "lead"),
    "hacked": ("breach", "incident", "compromise"),
    "hack": ("breach", "incident", "attack"),
    "attack": ("incident", "breach"),
    "breach": ("incident",),
    "leak": ("breach", "disclosure"),
    "fired": ("terminated", "termination", "leaver"),
    "quits": ("leaver", "termination"),
    "leaves": ("leaver", "termination", "terminated"),
    "leaving": ("leaver", "termination", "terminated"),
    "laptop": ("endpoint", "device", "workstation"),
    "computer": ("workstation", "endpoint", "device"),
    "passcode": ("password",),
    "passphrase": ("password",),
    "login": ("log-in", "authentication", "sign-in"),
    "logins": ("log-in", "authentication"),
    "vendor": ("supplier", "sub-processor", "processor", "third-party"),
    "supplier": ("vendor", "sub-processor", "processor"),
    "outage": ("disruption", "recovery", "downtime"),
    "down": ("outage", "recovery", "disruption"),
    "money": ("budget",),
    "spend": ("budget",),
    "regulator": ("supervisory", "authority"),
    "tell": ("notify", "notification"),
    "inform": ("notify",),
    "copies": ("backup",),
    "copy": ("backup",),
    "wipe": ("erase", "delete", "sanitize"),
    "kept": ("retained", "retain"),
    "keep": ("retain", "retention"),
    "store": ("retain", "retention"),
    "delete": ("erase", "disposal"),
    "scan": ("scanning", "vulnerability"),
    "patch": ("remediation", "flaw", "update"),
    "fix": ("remediation", "remediate"),
    "bug": ("flaw", "vulnerability"),
    "weakness": ("vulnerability", "flaw"),
    "staff": ("workforce", "employee", "personnel"),
    "employees": ("workforce", "personnel", "staff"),
    "workers": ("workforce", "personnel"),
    "phishing": ("social", "engineering"),
    "drill": ("exercise", "tabletop", "test"),
    "practice": ("exercise", "test"),
    "problems": ("findings", "issues"),
    "issues": ("findings",),
    "worst": ("highest", "critical"),
    "biggest": ("highest", "top"),
    "risky": ("risk",),
    "encrypt": ("encryption", "encrypted"),
    "scramble": ("encryption",),
    "forget": ("erasure",),
    "erase": ("erasure",),
    "remove": ("erasure", "revoke"),
    "outsource": ("processor",),
    "contractor": ("processor", "third-party"),
    "lock": ("lockout",),
    "locked": ("lockout",),
    "tries": ("attempts",),
    "guesses": ("attempts",),
    "minimum": ("least",),
    "europe": ("eea", "eu", "european"),
    "target": ("objective",),
    "back": ("recovery", "restore", "restored"),
}


def expanded(word: str) -> set[str]:
    """``word`` with its synonyms (as written)."""
    return {word, *SYNONYMS.get(word, ()), *(k for k, v in SYNONYMS.items() if word in v)}


def expanded_stems(word: str) -> set[str]:
    """The stems of ``word`` and of its synonyms."""
    return {s for w in expanded(word) for s in stems(w)}


def share(topics: Sequence[str], text: str) -> float:
    """The share of the topic words ``text`` holds, by stem or synonym (1.0 without topic words)."""
    here = set(stems(text))
    return sum(bool(expanded_stems(w) & here) for w in topics) / len(topics) if topics else 1.0
