"""Unit tests for evals.metrics on small hand-computed examples (arithmetic next to each number)."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    SentenceCitations,
    abstention_scores,
    citation_precision_recall,
    cross_client_leaks,
    fact_accuracy,
    gold_source_hit,
    mrr,
    ndcg_at_k,
    recall_at_k,
    section_matches,
)

# --- recall@k, MRR, nDCG ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (1, 0.0),  # top 1 = [x]: 0 of 3 gold
        (2, 1 / 3),  # top 2 = [x, a]: {a} = 1 of 3 gold
        (4, 2 / 3),  # top 4 = [x, a, y, b]: {a, b} = 2 of 3
        (100, 2 / 3),  # k beyond the list: still {a, b} = 2 of 3 (c never retrieved)
    ],
)
def test_recall_at_k(k, expected):
    assert recall_at_k(["x", "a", "y", "b"], {"a", "b", "c"}, k) == pytest.approx(expected)


def test_recall_at_k_counts_duplicates_once():
    # ranked [a, a] with gold {a, b}: |{a}| / |{a, b}| = 1/2, not 2/2
    assert recall_at_k(["a", "a"], ["a", "b"], 2) == pytest.approx(0.5)
    # duplicate gold ids collapse: gold ["a", "a"] is {a}, so 1/1
    assert recall_at_k(["a"], ["a", "a"], 1) == 1.0


def test_recall_at_k_rejects_empty_gold_and_bad_k():
    with pytest.raises(ValueError):
        recall_at_k(["a"], [], 1)
    with pytest.raises(ValueError):
        recall_at_k(["a"], ["a"], 0)


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [
        (["a", "x"], 1.0),  # first gold at rank 1: 1/1
        (["x", "y", "b", "a"], 1 / 3),  # first gold (b) at rank 3: 1/3
        (["x", "y"], 0.0),  # no gold
        ([], 0.0),  # nothing retrieved
    ],
)
def test_mrr(ranked, expected):
    assert mrr(ranked, {"a", "b"}) == pytest.approx(expected)


def test_mrr_rejects_empty_gold():
    with pytest.raises(ValueError):
        mrr(["a"], set())


def test_ndcg_gold_at_ranks_1_and_3():
    # DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5; IDCG (2 gold) = 1 + 1/log2(3) = 1.63093
    # nDCG = 1.5 / 1.63093 = 0.91972
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["a", "x", "b"], {"a", "b"}) == pytest.approx(expected)
    assert expected == pytest.approx(0.91972, abs=1e-5)


def test_ndcg_duplicates_count_once():
    # ranked [a, a, b]: the repeated a at rank 2 earns 0 but uses up the position.
    # DCG = 1/log2(2) + 0 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) -> same 0.91972 as above.
    # Counting the duplicate would give (1 + 0.63093 + 0.5) / 1.63093 = 1.30657 > 1.
    value = ndcg_at_k(["a", "a", "b"], {"a", "b"})
    assert value == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    assert value <= 1.0


def test_ndcg_cuts_at_k_and_ideal_uses_min_gold_k():
    # k=2, gold {a, b, c}, ranked [x, a, b]: b at rank 3 is cut.
    # DCG = 0 + 1/log2(3) = 0.63093; IDCG = min(3, 2) = 2 terms = 1 + 1/log2(3) = 1.63093
    # nDCG = 0.63093 / 1.63093 = 0.38685
    value = ndcg_at_k(["x", "a", "b"], {"a", "b", "c"}, k=2)
    assert value == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert value == pytest.approx(0.38685, abs=1e-5)


def test_ndcg_perfect_and_empty():
    assert ndcg_at_k(["b", "a", "x"], {"a", "b"}) == pytest.approx(1.0)  # DCG = IDCG
    assert ndcg_at_k([], {"a"}) == 0.0  # DCG = 0
    with pytest.raises(ValueError):
        ndcg_at_k(["a"], [])
    with pytest.raises(ValueError):
        ndcg_at_k(["a"], ["a"], k=0)


# --- section matching and gold sources -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cited", "gold", "expected"),
    [
        ("Art. 33", "Art. 33", True),  # equal
        ("art.  33 ", "Art. 33", True),  # case and whitespace
        ("Art. 33(1)", "Art. 33", True),  # paragraph of the article
        ("Art. 33", "Art. 33(1)", False),  # the article is broader than the gold paragraph
        ("Art. 33", "Art. 3", False),  # prefix continues the number
        ("Art. 34", "Art. 33", False),
        ("AC-2(3)", "AC-2", False),  # 800-53 enhancement is a different control
        ("AC-2 (3)", "AC-2", False),  # also with a space before the enhancement
        ("AC-20", "AC-2", False),  # different control
        ("AC-2(a)", "AC-2", True),  # a part of the base control
        ("AC-2 Account Management", "AC-2", True),  # id followed by title
        ("AC-2(3)(a)", "AC-2(3)", True),  # part of the enhancement
        ("164.308(a)(1)", "164.308", True),  # HIPAA paragraph
        ("164.308(a)(1)(ii)(B)", "164.308(a)(1)", True),
        ("164.310(a)", "164.31", False),
        ("03.01.01", "03.01", True),  # 800-171 requirement within family
        ("GV.OC-01", "GV.OC", True),  # CSF subcategory within category
        ("Access Control > MFA", "Access Control", True),  # heading path
        ("Access Control>MFA", "Access Control", True),
        ("Access Controls", "Access Control", False),
        (None, "Art. 33", False),  # cited has no section but gold requires one
        (None, None, True),
        ("anything", None, True),
        ("anything", "  ", True),  # blank gold = no constraint
    ],
)
def test_section_matches(cited, gold, expected):
    assert section_matches(cited, gold) is expected


GDPR = "GDPR"
NIST = "NIST SP 800-53 Rev. 5"


def test_gold_source_hit_matches_source_page_and_section():
    citations = [
        {"source": GDPR, "page": 52, "section": "Art. 33(1)"},
        {"source": "policy.pdf", "page": 3, "section": "Incident Response"},
    ]
    assert gold_source_hit(citations, [{"source": GDPR, "page": None, "section": "Art. 33"}]) == 1.0
    assert gold_source_hit(citations, [{"source": GDPR, "page": 52, "section": None}]) == 1.0
    assert gold_source_hit(citations, [{"source": "policy.pdf", "page": 3, "section": None}]) == 1.0
    # wrong page
    assert gold_source_hit(citations, [{"source": GDPR, "page": 53, "section": None}]) == 0.0
    # right section on the wrong source
    assert gold_source_hit(citations, [{"source": NIST, "page": None, "section": "Art. 33"}]) == 0.0
    # enhancement is not the base control
    nist_cit = [{"source": NIST, "page": None, "section": "AC-2(3)"}]
    assert gold_source_hit(nist_cit, [{"source": NIST, "page": None, "section": "AC-2"}]) == 0.0


def test_gold_source_hit_any_of_several_gold_items():
    citations = [{"source": NIST, "page": 20, "section": "AC-2"}]
    gold = [
        {"source": GDPR, "page": None, "section": "Art. 33"},  # not cited
        {"source": NIST, "page": None, "section": "AC-2"},  # cited -> hit
    ]
    assert gold_source_hit(citations, gold) == 1.0


def test_gold_source_hit_edge_cases():
    gold = [{"source": GDPR, "page": 5, "section": None}]
    assert gold_source_hit([], gold) == 0.0  # no citations
    assert gold_source_hit([{"source": GDPR}], gold) == 0.0  # citation has no page, gold needs 5
    assert gold_source_hit([{"source": GDPR, "page": "5"}], gold) == 0.0  # pages compare exactly
    with pytest.raises(ValueError):
        gold_source_hit([{"source": GDPR, "page": 5}], [])


# --- ALCE citation precision / recall --------------------------------------------------------------


class TokenJudge:
    """Deterministic entailment: the claim's words are all among the passages' words."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def __call__(self, claim: str, passages) -> bool:
        self.calls.append((claim, tuple(passages)))
        return set(claim.split()) <= set(" ".join(passages).split())


def test_citation_precision_recall_alce_example():
    judge = TokenJudge()
    sentences = [
        SentenceCitations("a b", ("a b",)),  # supported, single citation -> 1 relevant of 1
        # jointly supported; "a": alone no, without it (b, c) no -> relevant;
        # "b": same -> relevant; "c": alone no, without it (a, b) yes -> irrelevant: 2 of 3
        SentenceCitations("a b", ("a", "b", "c")),
        SentenceCitations("x", ("y",)),  # unsupported -> its citation irrelevant: 0 of 1
        SentenceCitations("z", ()),  # no citation -> unsupported, no citations counted
    ]
    precision, recall = citation_precision_recall(sentences, judge)
    # recall = 2 supported / 4 sentences = 0.5; precision = (1 + 2 + 0) / (1 + 3 + 1) = 3/5 = 0.6
    assert recall == pytest.approx(0.5)
    assert precision == pytest.approx(0.6)
    assert all(claim != "z" for claim, _ in judge.calls)  # uncited sentence never judged
    # judge calls: sentence 1 joint only (a single citation is its own joint set) = 1;
    # sentence 2 joint + (alone, without) for each of 3 citations = 1 + 6 = 7; sentence 3 = 1 -> 9
    assert len(judge.calls) == 9


def test_citation_precision_redundant_but_individually_supporting_citations_are_relevant():
    # "a" cited by ("a", "a b"): each alone supports -> both relevant: precision 2/2, recall 1/1
    assert citation_precision_recall([SentenceCitations("a", ("a", "a b"))], TokenJudge()) == (1.0, 1.0)


def test_citation_precision_unsupported_multi_citation_sentence():
    # "q" not supported by (a, b) jointly -> both citations irrelevant: precision 0/2, recall 0/1
    assert citation_precision_recall([SentenceCitations("q", ("a", "b"))], TokenJudge()) == (0.0, 0.0)


def test_citation_precision_recall_edge_cases():
    assert citation_precision_recall([], TokenJudge()) == (0.0, 0.0)  # no sentences
    # sentences but no citations at all: recall 0/1, precision 0 citations -> 0.0
    assert citation_precision_recall([SentenceCitations("a", ())], TokenJudge()) == (0.0, 0.0)


# --- fact accuracy ---------------------------------------------------------------------------------


def test_fact_accuracy_fraction_found():
    answer = "Notify the authority within 72 hours [1]."
    # "72 hours" found, "supervisory authority" not -> 1/2
    assert fact_accuracy(answer, ["72 hours", "supervisory authority"]) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("answer", "fact", "expected"),
    [
        ("NOTIFY WITHIN 72 HOURS", "72 hours", 1.0),  # case
        ("within\n72\t hours", "72 hours", 1.0),  # whitespace
        ("within 172 hours", "72 hours", 0.0),  # token boundary on numbers
        ("within 72 hoursly", "72 hours", 0.0),  # token boundary on words
        ("at least 12-character passwords", "12 characters", 1.0),  # hyphen + plural
        ("AC\u20112 (3) applies", "AC-2(3)", 1.0),  # non-breaking hyphen, spacing
        ("fines up to \u20ac20,000,000", "20000000", 1.0),  # thousands separators
        ("the \u201cminimum necessary\u201d rule", '"minimum necessary"', 1.0),  # curly quotes
        ("uptime of 99.5%", "99.9%", 0.0),  # decimals kept
        ("version 1.5", "1", 0.0),  # "1" is not the number 1.5
        ("twelve characters", "12 characters", 0.0),  # spelled-out numbers not accepted
        ("access reviews", "access review", 1.0),  # "ss" kept, plural s dropped
    ],
)
def test_fact_accuracy_normalisation(answer, fact, expected):
    assert fact_accuracy(answer, [fact]) == expected


def test_fact_accuracy_rejects_empty_facts():
    with pytest.raises(ValueError):
        fact_accuracy("anything", [])
    with pytest.raises(ValueError):
        fact_accuracy("anything", ["--"])


# --- abstention ------------------------------------------------------------------------------------


def test_abstention_scores_mixed():
    pairs = [(True, True), (True, False), (False, True), (False, False), (False, False)]
    scores = abstention_scores(pairs)
    # tp=1 fp=1 fn=1 tn=2; p = 1/2, r = 1/2, f1 = 2*0.25/1 = 0.5
    assert scores == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1, "tn": 2, "n": 5}


def test_abstention_scores_f1():
    scores = abstention_scores([(True, True), (True, True), (True, False)])
    # tp=2 fp=0 fn=1: p = 2/2 = 1, r = 2/3, f1 = 2*1*(2/3) / (1 + 2/3) = (4/3)/(5/3) = 0.8
    assert scores["precision"] == 1.0
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(True, False), (False, False)], (1.0, 0.0, 0.0)),  # none predicted: p vacuous, r = 0/1
        ([(False, True), (False, False)], (0.0, 1.0, 0.0)),  # none expected: r vacuous, p = 0/1
        ([(False, False)], (1.0, 1.0, 1.0)),  # neither expected nor predicted
        ([], (1.0, 1.0, 1.0)),  # empty
    ],
)
def test_abstention_scores_edge_cases(pairs, expected):
    scores = abstention_scores(pairs)
    assert (scores["precision"], scores["recall"], scores["f1"]) == expected
    assert scores["n"] == len(pairs)


# --- tenancy ---------------------------------------------------------------------------------------


def test_cross_client_leaks():
    citations = [
        {"client": None},  # library
        {"client": "acme"},  # own
        {"client": "globex"},  # leak
        {},  # no client key = library
        {"client": "initech"},  # leak
    ]
    assert cross_client_leaks(citations, "acme") == 2
    assert cross_client_leaks(citations, "globex") == 2  # acme + initech
    assert cross_client_leaks([], "acme") == 0
