"""Person names in text, found by general rules rather than a list of any client's words.

A person's name here is two capitalised words in a row ("Priya Raman", "Karen O'Neil") where neither
word is ordinary vocabulary:

- not a common English word (the Dale–Chall list of about 3,000 familiar words that textstat ships);
- not a word of organisations, roles or documents ("Chief", "Officer", "Policy", "Committee",
  "Payments", "Partners", "Plan" ...), a general vocabulary of how firms and documents are named;
- not shaped like a common noun or adjective ("-tion", "-ment", "-ity", "-ness", "-ance", "-ence",
  "-ship", "-ing", "-ive", "-ical", "-ous" ...), nor a plural of one of the above;
- not written in lower case elsewhere in the same text (a word the text also uses as a common noun,
  "incident" beside "Incident Response", is not a name).

Pure functions; the word list loads once.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_PAIR = re.compile(rf"(?<![\w'’-])({_WORD}) ({_WORD})(?![\w'’-])")
_SHAPE = re.compile(
    r"(?:tion|sion|ment|ments|ity|ities|ness|ance|ence|ship|ing|ive|ical|ous|ary|ory|ics|ism|"
    r"able|ible|ful|less|ise|ize|ised|ized|ated|ally|ure|ures|ency|ancy|ogy|phy)$"
)
# How organisations, roles, units and documents are named, in any company.
_INSTITUTIONAL = frozenset(
    """
    chief officer executive director manager head lead vice
    president senior junior deputy assistant acting interim
    principal associate commander coordinator administrator analyst
    engineer architect auditor assessor counsel
    controller secretary treasurer chair chairman chairwoman chairperson founder partner partners owner member
    board committee council department division office unit team group staff workforce desk centre center
    company corporation corp inc ltd llc plc gmbh
    holdings holding bank payments health healthcare medical clinic
    hospital insurance capital financial finance fund
    trust foundation associates consulting consultants solutions
    systems technologies technology software networks network labs lab services service security assurance
    cyber data cloud digital global international national federal state county city university college school
    policy plan procedure standard register report assessment audit review summary appendix annex schedule
    section chapter part article clause table figure exhibit attachment version draft final annual quarterly
    monthly weekly daily incident response continuity recovery access control privacy protection risk vendor
    supplier customer client patient user users employee
    employees contractor critical high medium low severity
    status open closed due date owner effective approved exercise tabletop training awareness retention
    finding findings observation recommendation recommendations discovery issue action item evidence scope
    north south east west northern southern eastern western new old general united american european
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december spring summer autumn fall winter
    the this that these those our your their its his her an a and of for to in on at by with from
""".split()
)


@functools.cache
def _common_words() -> frozenset[str]:
    try:
        import textstat

        path = Path(textstat.__file__).parent / "resources" / "en" / "easy_words.txt"
        return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").split())
    except (ImportError, OSError):
        return frozenset()


def _ordinary(word: str, lower_in_text: set[str]) -> bool:
    w = word.lower()
    stem = w[:-1] if w.endswith("s") and len(w) > 3 else w
    return (
        w in _INSTITUTIONAL
        or stem in _INSTITUTIONAL
        or w in _common_words()
        or stem in _common_words()
        or _SHAPE.search(stem) is not None
        or w in lower_in_text
    )


def person_names(text: str) -> list[str]:
    """Likely person names in ``text`` ("Priya Raman"), in order, without duplicates."""
    lower_in_text = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    found = [
        f"{a} {b}"
        for a, b in _PAIR.findall(text)
        if not _ordinary(a, lower_in_text) and not _ordinary(b, lower_in_text)
    ]
    return list(dict.fromkeys(found))


def has_person_name(text: str) -> bool:
    return bool(person_names(text))
