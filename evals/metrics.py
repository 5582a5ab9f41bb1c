"""Metric functions for the evaluation harness (readability: evals.readability; the baseline gate:
evals.regressions).

Pure functions: no I/O, no project imports, deterministic. Each docstring states the formula and
the edge cases. Rank metrics read ``ranked_ids`` position by position as given (position 1 is the
first element); an id that repeats earns nothing after its first occurrence.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def _gold_set(gold: Collection[str]) -> set[str]:
    gold_set = set(gold)
    if not gold_set:
        raise ValueError("gold must contain at least one id")
    return gold_set


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


# --- retrieval ---------------------------------------------------------------------------------


def recall_at_k(ranked_ids: Sequence[str], gold: Collection[str], k: int) -> float:
    """|set(ranked_ids[:k]) ∩ gold| / |gold|. Raises ValueError if gold is empty or k < 1."""
    gold_set = _gold_set(gold)
    _check_k(k)
    return len(gold_set.intersection(ranked_ids[:k])) / len(gold_set)


def mrr(ranked_ids: Sequence[str], gold: Collection[str]) -> float:
    """Reciprocal rank: 1 / (1-based position of the first gold id), 0.0 if none is ranked.

    Raises ValueError if gold is empty (there is nothing to find).
    """
    gold_set = _gold_set(gold)
    for position, doc_id in enumerate(ranked_ids, start=1):
        if doc_id in gold_set:
            return 1.0 / position
    return 0.0


def ndcg_at_k(ranked_ids: Sequence[str], gold: Collection[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k = DCG@k / IDCG@k.

    DCG@k = Σ_{i=1..k} rel_i / log2(i + 1), rel_i = 1 if the id at position i is gold and has not
    appeared at an earlier position, else 0 (duplicates count once; they still use up a position).
    IDCG@k = Σ_{i=1..min(|gold|, k)} 1 / log2(i + 1). Raises ValueError if gold is empty or k < 1.
    """
    gold_set = _gold_set(gold)
    _check_k(k)
    seen: set[str] = set()
    dcg = 0.0
    for position, doc_id in enumerate(ranked_ids[:k], start=1):
        if doc_id in gold_set and doc_id not in seen:
            dcg += 1.0 / math.log2(position + 1)
        seen.add(doc_id)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(gold_set), k) + 1))
    return dcg / idcg


# --- citations against gold sources ----------------------------------------------------------

_SPACE = re.compile(r"\s+")
# An NIST SP 800-53 base control id such as "AC-2"; "(3)" after it is an enhancement, "(a)" a part.
_BASE_CONTROL = re.compile(r"[a-z]{2}-\d+")
_SUBDIVISION_STARTS = ("(", " ", ">", ".", "-")


def section_matches(cited: str | None, gold: str | None) -> bool:
    """True when a cited section lies at or below the gold section.

    Both sides are whitespace-collapsed, stripped and case-folded. gold None (or blank) matches
    anything;
    cited None matches only gold None. Otherwise the sections match when they are equal, or when
    cited starts with gold and the next character opens a subdivision: "(" ("Art. 33" ⊒
    "Art. 33(1)", "164.308(a)" ⊒ "164.308(a)(1)"), "." or "-" (hierarchical ids: "03.01" ⊒
    "03.01.01", "GV.OC" ⊒ "GV.OC-01"), " " or ">" (heading paths: "Access" ⊒ "Access > MFA").
    A prefix that continues the id never matches ("Art. 3" vs "Art. 33", "AC-2" vs "AC-20"), nor
    does a cited parent of a gold subdivision ("Art. 33" vs gold "Art. 33(1)"). Exception: after an 800-53
    base control id (two letters, dash,
    number), "(<digit>" is a control enhancement, a different control: "AC-2" does not match
    "AC-2(3)", but does match a part such as "AC-2(a)". Wording variants ("Article 33") are not
    recognised.
    """
    if gold is None:
        return True
    if cited is None:
        return False
    c = _SPACE.sub(" ", cited).strip().casefold()
    g = _SPACE.sub(" ", gold).strip().casefold()
    if c == g or not g:
        return True
    if not c.startswith(g) or c[len(g)] not in _SUBDIVISION_STARTS:
        return False
    rest = c[len(g) :]
    if _BASE_CONTROL.fullmatch(g) and re.match(r"\s*\(\s*\d", rest):
        return False
    return True


def _citation_matches(citation: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if citation.get("source") != gold.get("source"):
        return False
    gold_page = gold.get("page")
    if gold_page is not None and citation.get("page") != gold_page:
        return False
    return section_matches(citation.get("section"), gold.get("section"))


def gold_source_hit(citations: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> float:
    """1.0 if any citation matches any gold item, else 0.0.

    A gold item is {"source": str, "page": int | None, "section": str | None}. A citation matches
    when its source is equal (exact string), the gold page is None or equal to the citation's page
    (exact; 3 != "3"), and section_matches(citation section, gold section). No citations -> 0.0.
    Raises ValueError if gold is empty.
    """
    if not gold:
        raise ValueError("gold must contain at least one source")
    return 1.0 if any(_citation_matches(c, g) for c in citations for g in gold) else 0.0


@dataclass(frozen=True)
class SentenceCitations:
    """One answer sentence and the texts of the passages it cites."""

    text: str
    cited_texts: tuple[str, ...] = ()


def citation_precision_recall(
    sentences: Sequence[SentenceCitations],
    supports: Callable[[str, Sequence[str]], bool],
) -> tuple[float, float]:
    """ALCE citation (precision, recall) (Gao et al. 2023, "Enabling LLMs to generate text with
    citations"), with ``supports(claim, passages)`` as the entailment judge (True when the passages
    together support the claim).

    recall = (#sentences whose cited passages jointly support them) / #sentences; a sentence
    without citations is unsupported and is not passed to ``supports``.
    precision = (#relevant citations) / (#citations over all sentences). As in the ALCE code:
    all citations of a jointly unsupported sentence are irrelevant; the single citation of a
    supported sentence is relevant; a citation of a supported multi-citation sentence is
    irrelevant when it alone does not support the sentence and the others without it still do.
    Edge cases: no sentences -> (0.0, 0.0); sentences but no citations -> precision 0.0.
    """
    if not sentences:
        return 0.0, 0.0
    supported = relevant = total = 0
    for sentence in sentences:
        cited = tuple(sentence.cited_texts)
        total += len(cited)
        if not cited or not supports(sentence.text, cited):
            continue
        supported += 1
        if len(cited) == 1:
            relevant += 1
            continue
        for i, passage in enumerate(cited):
            alone = supports(sentence.text, (passage,))
            if alone or not supports(sentence.text, cited[:i] + cited[i + 1 :]):
                relevant += 1
    precision = relevant / total if total else 0.0
    return precision, supported / len(sentences)


# --- answer content ------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_TOKEN = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+")


def _fact_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP).casefold()
    text = _THOUSANDS.sub("", text)
    tokens = []
    for token in _TOKEN.findall(text):
        if token.isalpha() and len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        tokens.append(token)
    return tokens


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def fact_accuracy(answer: str, facts: Sequence[str]) -> float:
    """Fraction of expected facts found in the answer: #found / #facts.

    Both texts are normalised and tokenised the same way, and a fact is found when its tokens occur
    as a contiguous run in the answer's tokens (so "72 hours" is not found in "172 hours").
    Normalisation: Unicode NFKC, case-folding, unicode dashes/quotes to ASCII, thousands commas
    dropped ("1,000" = "1000"). Tokens are numbers (decimals kept: "99.9") and letter runs; all
    punctuation and spacing is ignored ("12-character" = "12 character", "AC-2(3)" = "AC-2 (3)").
    A trailing "s" is dropped from letter tokens longer than 3 that do not end in "ss"
    ("12 characters" = "12-character"). Not accepted: spelled-out numbers ("twelve" != "12"),
    synonyms, "%"/"$" signs (ignored, not required). Raises ValueError if facts is empty or a
    fact has no tokens.
    """
    if not facts:
        raise ValueError("facts must contain at least one fact")
    answer_tokens = _fact_tokens(answer)
    found = 0
    for fact in facts:
        fact_tokens = _fact_tokens(fact)
        if not fact_tokens:
            raise ValueError(f"fact has no words or numbers: {fact!r}")
        found += _contains(answer_tokens, fact_tokens)
    return found / len(facts)


def abstention_scores(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float | int]:
    """Abstention as a binary classifier over (should_abstain, did_abstain) pairs.

    tp = both, fp = abstained but should not, fn = should have but did not, tn = neither.
    precision = tp / (tp + fp), recall = tp / (tp + fn), f1 = 2pr / (p + r) (0.0 when p + r = 0).
    Vacuous cases: no abstention predicted (tp + fp = 0) -> precision 1.0 (no wrong abstention);
    none expected (tp + fn = 0) -> recall 1.0. The other score still exposes the failure, so f1
    is 0.0 when abstentions were expected but none made, or made but none expected, and 1.0 when
    neither. Empty input -> precision = recall = f1 = 1.0 with n = 0.
    Returns {"precision", "recall", "f1", "tp", "fp", "fn", "tn", "n"}.
    """
    tp = sum(1 for should, did in pairs if should and did)
    fp = sum(1 for should, did in pairs if not should and did)
    fn = sum(1 for should, did in pairs if should and not did)
    tn = sum(1 for should, did in pairs if not should and not did)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "n": len(pairs),
    }


def cross_client_leaks(citations: Sequence[Mapping[str, Any]], client: str) -> int:
    """Number of citations whose "client" is neither None (built-in library) nor ``client``.

    A citation without a "client" key counts as None (library), not as a leak.
    """
    return sum(1 for c in citations if c.get("client") is not None and c.get("client") != client)


# --- latency -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """p-th percentile (p in [0, 100]) by linear interpolation, as numpy.percentile's default.

    With x sorted and h = (n − 1) · p / 100: x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋]).
    Raises ValueError on empty values or p outside [0, 100].
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"p must be in [0, 100], got {p}")
    ordered = sorted(float(v) for v in values)
    h = (len(ordered) - 1) * p / 100
    lo = math.floor(h)
    if lo + 1 >= len(ordered):
        return ordered[-1]
    return ordered[lo] + (h - lo) * (ordered[lo + 1] - ordered[lo])


def latency_summary(values: Sequence[float]) -> dict[str, float]:
    """{"p50", "p95", "mean"} of the values (same units in and out). Raises ValueError if empty."""
    if not values:
        raise ValueError("latency summary of no values")
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "mean": sum(values) / len(values)}
