"""Which words of a question name its topic: the words an answer must hold (by stem or synonym), without
the words that say what kind of answer is wanted, examples, relative periods and everyday phrases (whose
documents' terms stand in for them).

    >>> topic_words("How often do we double-check who can get into which systems?")
    ['systems', 'access', 'review']
"""

from __future__ import annotations

import re

from advisor.retrieval.lexical import words
from advisor.retrieval.synonyms import idiom_heads, without_idioms

# Words that say what kind of answer is wanted, not what it is about; their absence proves nothing.
GENERIC = frozenset(
    """policy policies document documents documentation client company organisation organization our us we
    require required requires requirement requirements need needs must
    shall should state states say says tell describe
    give list current currently process procedure procedures plan
    plans security information formal formally many much
    long often frequently frequency minimum maximum within according per exist exists existing place
    anyone someone who whom whose which what when where why how
    get got make made use used using ensure apply applies
    applicable cover covers covered covering mention mentions mentioned there have has had does do did yes
    regarding about kind type types way ways rule rules handle handled handling address addressed let lets
    okay please explain summary summarize summarise main key top overall owns own owner owners responsible
    gets getting handles every each
    accountable lead leads charge bottom line anything something everything nothing anybody somebody right
    now single expect expected goes going gone quickly fast soon actually really exactly off
    try trying see seeing send sending double allowed allow permitted i'm i've i'd i'll we're we've you're
    it's""".split()
)
# "tools like ChatGPT", "measures such as encryption": examples of the topic, not words an answer must hold.
_EXAMPLES = re.compile(r"\b(?:like|such as|e\.g\.?|for example|for instance)\s+[^,;?.]+", re.I)

# "next year", "last quarter": when, not what about; the documents name the period ("FY2027", "Q3 2026").
_RELATIVE_TIME = re.compile(
    r"\b(?:this|next|last|previous|coming|past) (?:year|quarter|month|week)(?:'s)?", re.I
)


def topic_words(text: str) -> list[str]:
    """The content words of ``text`` that name its topic (unstemmed, in order, without repeats); words of
    an example ("like ChatGPT"), of a relative period ("next year") or of an everyday phrase do not count; the
    phrase's main term joins them instead ("get into": access)."""
    out: list[str] = []
    for w in words(without_idioms(_RELATIVE_TIME.sub(" ", _EXAMPLES.sub(" ", text)))):
        if w in GENERIC or w.isdigit() or len(w) < 3 or w in out:
            continue
        out.append(w)
    return out + [t for t in idiom_heads(text) if t not in out]
