"""Everyday words users write for the documents' terms ("squad" for "team", "problems" for "findings").

``SYNONYMS`` are looked up by stem in both directions, so any word form finds its entry ("scrambled" finds
"scramble"): abstention's soft coverage counts a question word as found when a synonym is there, and a "how
many problems" question is answered by a number of findings. ``IDIOMS`` are everyday phrases whose own words
say nothing ("get into" is access); the question reader searches and weighs their terms instead.

    >>> sorted(expanded("scrambled"))
    ['encrypted', 'encryption', 'scrambled']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

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
    "problems": ("findings", "issues", "incident"),
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
    # Everyday words for checking, tricking, losing and getting in (a user rarely writes the policy's term).
    "check": ("review", "test", "verify", "verification", "audit", "validate"),
    "checked": ("reviewed", "tested", "verified", "audited"),
    "confirm": ("verify", "verification", "validate"),
    "scam": ("phishing", "fraud", "social"),
    "fake": ("simulated", "simulation", "phishing", "spoofed"),
    "trick": ("phishing", "simulation", "social"),
    "notebook": ("laptop", "endpoint"),
    "phone": ("mobile", "device"),
    "scrambled": ("encryption", "encrypted"),
    "unreadable": ("encryption", "encrypted"),
    "steal": ("theft", "exfiltration"),
    "lose": ("loss", "lost", "theft"),
    "expose": ("exposure", "disclosure", "breach"),
    "disaster": ("recovery", "continuity", "contingency", "disruption"),
    "partner": ("vendor", "supplier", "sub-processor", "provider", "processor", "third-party"),
    "provider": ("vendor", "supplier", "sub-processor"),
    "company": ("vendor", "supplier", "firm"),
    "firm": ("vendor", "supplier", "company"),
    "identity": ("kyc", "verification", "identification"),
    "password": ("credential", "authentication"),
    "sign": ("authentication", "log-in", "login"),
    "entry": ("access",),
    "enter": ("access",),
    "permissions": ("access", "privileges", "rights"),
    "rights": ("access", "privileges"),
    "admin": ("privileged", "administrator", "administrative"),
    "spy": ("monitoring", "surveillance"),
    "watch": ("monitoring", "monitor", "surveillance"),
    "trail": ("audit", "logs", "logging"),
    "trace": ("logs", "logging", "audit"),
    "virus": ("malware", "antivirus", "endpoint"),
    "ransom": ("ransomware", "extortion"),
    "downtime": ("outage", "recovery", "disruption"),
    "offline": ("outage", "disruption", "unavailable"),
    "crash": ("outage", "failure", "disruption"),
    "training": ("awareness", "education"),
    "teach": ("training", "awareness"),
    "newcomer": ("onboarding", "joiner", "hire"),
    "joins": ("onboarding", "joiner", "hire"),
    "starts": ("onboarding", "joiner", "hire"),
    "customer": ("client", "merchant", "patient"),
    "personal": ("pii", "ephi", "phi"),
    "health": ("phi", "ephi", "medical", "patient"),
    "deadline": ("due", "target"),
    "fine": ("penalty", "penalties", "sanction"),
    "punish": ("penalty", "sanction", "sanctions"),
    "insurer": ("insurance",),
    "cloud": ("aws", "azure", "saas"),
    "emergency": ("incident", "contingency", "break-glass"),
    "alarm": ("alert", "alerting"),
    "spot": ("detect", "detection", "monitoring"),
    "catch": ("detect", "detection"),
    "shred": ("disposal", "destruction", "sanitize"),
    "destroy": ("disposal", "destruction", "sanitize"),
    "throw": ("disposal",),
    "secret": ("confidential", "credential", "key"),
    "sensitive": ("confidential", "restricted", "classification"),
    "label": ("classification", "classify"),
    "outsider": ("third-party", "vendor", "visitor"),
    "guest": ("visitor",),
    "wifi": ("wireless", "wi-fi", "network"),
    "thumb": ("usb", "removable"),
    "stick": ("usb", "removable"),
    "plug": ("connect", "usb"),
    "mail": ("email",),
    # People, places and devices in everyday words
    "starter": ("onboarding", "joiner", "hire"),
    "departing": ("leaver", "termination"),
    "temps": ("contractor", "temporary"),
    "keycard": ("badge", "access"),
    "machines": ("systems", "servers", "workstations"),
    "dodgy": ("suspicious",),
    "shady": ("suspicious",),
    "fishy": ("suspicious",),
    "building": ("physical", "facility", "premises"),
    "door": ("physical", "facility"),
    "camera": ("surveillance", "video", "cctv"),
    "safekeeping": ("backup", "retention"),
    "snoop": ("inappropriate", "monitoring"),
    "snooping": ("inappropriate", "monitoring"),
    "upgrade": ("patch", "update"),
    "pentest": ("penetration",),
    "2fa": ("mfa", "multi-factor", "two-factor"),
    "screensaver": ("lock", "inactivity"),
    "leadership": ("management", "board", "executive"),
    "bosses": ("management", "executive"),
    "blackmail": ("ransomware", "extortion"),
    "scammers": ("attacker", "fraud", "phishing"),
    "fraudsters": ("attacker", "fraud"),
    "impersonate": ("spoofing", "social"),
    "spill": ("breach", "disclosure"),
    "lost": ("loss", "theft", "stolen"),
    "children": ("minors",),
    "kids": ("minors", "children"),
    "grown": ("adult",),
    "clinicians": ("workforce", "clinical"),
    "nurses": ("workforce", "clinical"),
    "doctors": ("workforce", "clinical", "physician"),
    "texting": ("messaging", "sms"),
    "cellphone": ("mobile", "device"),
    "tablet": ("mobile", "device"),
    "centre": ("center",),
    "internet": ("network", "external"),
    "website": ("web", "application", "portal"),
    "apps": ("applications",),
    "developers": ("engineers", "development"),
    "programmers": ("engineers", "development"),
    "contract": ("agreement",),
    "checkup": ("assessment", "audit", "review"),
    "inspection": ("audit", "assessment"),
    "solved": ("remediated", "closed", "resolved"),
    "late": ("overdue",),
    "behind": ("overdue",),
    "intruder": ("attacker", "unauthorized"),
    "spam": ("phishing", "filtering"),
    "junk": ("spam", "phishing"),
    "cut": ("disconnect", "disconnected", "revoke", "terminate"),
    "swap": ("rotate", "rotation", "replace"),
    "swapped": ("rotated", "rotation", "replaced"),
    "change": ("rotate", "rotation", "update"),
    "tokens": ("tokenization", "token"),
    "stolen": ("theft", "lost", "loss", "compromise", "breach"),
    "gmail": ("personal", "email"),
    "hotmail": ("personal", "email"),
    "private": ("personal",),
    "letter": ("notice", "notification", "mail"),
    "warn": ("notify", "notification", "alert"),
    "shops": ("merchants", "stores"),
    "hits": ("affected", "impact"),
    "affects": ("affected", "impact"),
    "react": ("response", "respond"),
    "mess": ("incident",),
    "chart": ("record", "records"),
    "visit": ("encounter", "appointment"),
}


# Everyday phrases for the documents' terms, where the phrase's own words say nothing ("who they say they
# are" is identity verification; "get into" is access). Their terms join the question's topic and its
# lexical query.
IDIOMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(rx, re.I), terms)
    for rx, terms in (
        (
            r"\bwho (?:they|he|she|you|people|users|customers|merchants|clients) (?:say|claim)s? "
            r"(?:they|he|she|you) (?:are|is)\b",
            ("identity", "verification"),
        ),
        (r"\b(?:get|gets|getting|got|go|goes) (?:in|into|at)\b(?! (?:touch|time|place))", ("access",)),
        (r"\b(?:get|gets|getting|bring|brings|have) (?:\w+ ){0,3}back\b(?! to)", ("restore", "recovery")),
        (r"\b(?:up and running|running again|back online|working again)\b", ("recovery", "restore")),
        (r"\b(?:go|goes|went|is|are|be) down\b|\bstops? working\b", ("outage", "disruption")),
        (r"\bbad (?:guys?|actors?)\b|\bhackers?\b|\bcriminals?\b", ("attacker", "threat")),
        (r"\block(?:s|ed)? (?:\w+ )?out\b", ("lockout",)),
        (
            r"\blet go\b|\bkicked out\b|\bleaves? the (?:company|firm|organi[sz]ation)\b",
            ("termination", "leaver"),
        ),
        (r"\bin charge\b|\bcalls? the shots\b|\bruns? the show\b", ("responsible", "lead")),
        (r"\bsign(?:s|ed)? off\b", ("approve", "approval")),
        (r"\bkeeps? (?:an|a (?:close )?)eye on\b|\bwatch(?:es)? over\b", ("monitoring", "monitored")),
        (r"\bclean(?:s|ed|ing)? up\b", ("eradication", "recovery")),
        (r"\bwhat went wrong\b|\blessons? learn", ("lessons", "review")),
        (r"\bsit down\b|\bget together\b", ("review", "meeting")),
        (r"\b(?:fake|scam|bogus|spoofed|trick) (?:e-?mails?|messages?)\b", ("phishing",)),
        (r"\bsomething (?:bad|goes wrong)|\bthings go wrong\b|\bgets? hacked\b", ("incident",)),
        (r"\b(?:sent|send|passed|pass) on\b|\bauto-?(?:matically )?(?:sent|send)", ("forward",)),
        (r"\bjump on\b|\bdeal with\b|\breact to\b|\brespond to\b", ("response",)),
        (r"\bvery worst\b|\bmost serious\b|\bworst kind\b", ("critical", "highest")),
        (r"\b(?:big|serious|bad|severe) enough\b", ("criteria", "threshold")),
        (r"\bcounts? as\b", ("classification", "classified")),
        (
            r"\b(?:walk|walks|step|steps|go|goes) away\b|\bleaves? (?:it|them|the \w+) unattended\b",
            ("inactivity",),
        ),
        (r"\bstart working on\b|\bpick(?:s|ed)? up\b", ("response",)),
        (r"\b(?:hang|hold)(?:s|ing)? on ?to\b", ("retain", "retention")),
        (r"\bwork(?:s|ing)? from home\b|\bwfh\b", ("remote",)),
        (
            r"\btwo-step\b|\bsecond factor\b|\bcodes? (?:on|from) (?:my|your|their|a|the) phone\b",
            ("mfa", "multi-factor"),
        ),
        (r"\bethical hack\w*|\bpen[- ]?tests?\b", ("penetration",)),
        (r"\b(?:weak|soft) spots?\b|\bholes?\b", ("vulnerability",)),
        (r"\bwrong (?:person|address|recipient)\b", ("misdirected", "disclosure")),
        (r"\bbreak[- ]?ins?\b|\bbroke in\b", ("intrusion", "breach")),
        (r"\bdouble[- ]check", ("review",)),
    )
)


def without_idioms(text: str) -> str:
    """``text`` without its everyday phrases (their terms stand in for them)."""
    for rx, _ in IDIOMS:
        text = rx.sub(" ", text)
    return text


def idiom_terms(text: str) -> tuple[str, ...]:
    """The documents' terms for the everyday phrases in ``text`` (see IDIOMS), without repeats."""
    return _unique(t for rx, terms in IDIOMS if rx.search(text) for t in terms)


def idiom_heads(text: str) -> tuple[str, ...]:
    """The main term of each everyday phrase in ``text``: a topic word the answer must hold."""
    return _unique(terms[0] for rx, terms in IDIOMS if rx.search(text))


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=1)
def _by_stem() -> dict[str, frozenset[str]]:
    """Each word's stem -> the words it stands for or that stand for it (both directions, any word form:
    "scrambled" finds the entry for "scramble")."""
    out: dict[str, set[str]] = {}
    for key, values in SYNONYMS.items():
        for stem in stems(key):
            out.setdefault(stem, set()).update(values)
        for value in values:
            for stem in stems(value):
                out.setdefault(stem, set()).add(key)
    return {stem: frozenset(found) for stem, found in out.items()}


def expanded(word: str) -> set[str]:
    """``word`` with its synonyms (as written)."""
    return {word, *(w for stem in stems(word) for w in _by_stem().get(stem, ()))}


def expanded_stems(word: str) -> set[str]:
    """The stems of ``word`` and of its synonyms."""
    return {s for w in expanded(word) for s in stems(w)}


def share(topics: Sequence[str], text: str) -> float:
    """The share of the topic words ``text`` holds, by stem or synonym (1.0 without topic words)."""
    here = set(stems(text))
    return sum(bool(expanded_stems(w) & here) for w in topics) / len(topics) if topics else 1.0
