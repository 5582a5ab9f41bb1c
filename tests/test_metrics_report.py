"""Unit tests for readability (evals.readability), latency percentiles (evals.metrics) and the baseline
regression gate (evals.regressions): hand-computed examples, arithmetic next to each number."""

from __future__ import annotations

import numpy as np
import pytest

from evals import readability
from evals.metrics import latency_summary, percentile
from evals.readability import flesch_kincaid_grade
from evals.regressions import Regression, regressions

# --- readability -----------------------------------------------------------------------------------


def test_flesch_kincaid_plain_text():
    # 9 words, 2 sentences, 10 syllables (happy = 2, the rest 1):
    # 0.39*9/2 + 11.8*10/9 - 15.59 = 1.755 + 13.11111 - 15.59 = -0.72389
    text = "The cat sat on the mat. It was happy."
    assert flesch_kincaid_grade(text) == pytest.approx(0.39 * 9 / 2 + 11.8 * 10 / 9 - 15.59)


def test_flesch_kincaid_strips_markers_and_markdown():
    plain = flesch_kincaid_grade("The cat sat on the mat. It was happy.")
    marked = "The cat sat on the **mat** [1]. It was *happy* [2, 3][4]."
    assert flesch_kincaid_grade(marked) == pytest.approx(plain)
    assert flesch_kincaid_grade(
        "The cat sat on the [mat](http://x.example/a-b) [1]. It was `happy`."
    ) == pytest.approx(plain)


def test_flesch_kincaid_heading_and_bullets_end_sentences():
    text = "# Summary\n- The cat sat on the mat\n- It was so happy"
    # -> "Summary. The cat sat on the mat. It was so happy."
    # words 1 + 6 + 4 = 11; sentences: textstat ignores those of <= 2 words -> 3 - 1 = 2;
    # syllables: summary 3, six 1-syllable words 6, it/was/so 3, happy 2 = 14
    # 0.39*11/2 + 11.8*14/11 - 15.59 = 2.145 + 15.01818 - 15.59 = 1.57318
    # (run together as one 11-word sentence it would be 4.29 + 15.01818 - 15.59 = 3.71818)
    assert flesch_kincaid_grade(text) == pytest.approx(0.39 * 11 / 2 + 11.8 * 14 / 11 - 15.59)


def test_flesch_kincaid_empty():
    assert flesch_kincaid_grade("") == 0.0
    assert flesch_kincaid_grade("[1] [2]\n\n---\n") == 0.0


def test_flesch_kincaid_never_downloads(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("textstat tried to download NLTK data")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(readability, "_READABILITY", None)
    assert flesch_kincaid_grade("Encryption protects confidential records at rest.") > 0


# --- latency ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([10, 20, 30, 40], 50, 25.0),  # h = 3*0.5 = 1.5 -> 20 + 0.5*(30-20) = 25
        ([10, 20, 30, 40], 95, 38.5),  # h = 3*0.95 = 2.85 -> 30 + 0.85*10 = 38.5
        ([40, 10, 30, 20], 0, 10.0),  # unsorted input; h = 0 -> min
        ([10, 20, 30, 40], 100, 40.0),  # h = 3 -> max
        ([7], 95, 7.0),  # single value
    ],
)
def test_percentile(values, p, expected):
    assert percentile(values, p) == pytest.approx(expected)
    assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)))


def test_percentile_matches_numpy_on_irregular_data():
    values = [3.1, 0.2, 9.9, 4.4, 4.4, 12.0, 7.5]
    for p in (1, 10, 33.3, 50, 90, 95, 99):
        assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)))


def test_percentile_rejects_bad_input():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)
    with pytest.raises(ValueError):
        percentile([1.0], -1)


def test_latency_summary():
    # p50: h = 1.5 -> 25; p95: h = 2.85 -> 38.5; mean = 100/4 = 25
    assert latency_summary([10, 20, 30, 40]) == pytest.approx({"p50": 25.0, "p95": 38.5, "mean": 25.0})
    with pytest.raises(ValueError):
        latency_summary([])


# --- regressions against a baseline ----------------------------------------------------------------

BASELINE = {
    "extractive": {"recall@5": 0.8, "citation_precision": 0.9, "fk_grade": 10.0, "latency_p95_ms": 500.0},
}


def test_regressions_within_tolerance_is_not_a_regression():
    current = {
        "extractive": {"recall@5": 0.7, "citation_precision": 0.9, "fk_grade": 10.5, "latency_p95_ms": 5000.0}
    }
    # recall drop 0.8 - 0.7 = 0.1 <= tolerance 0.1 (float noise absorbed);
    # fk_grade rose 0.5 <= 1.0 (lower is better); latency ignored (no tolerance)
    found = regressions(
        current, BASELINE, {"recall@5": 0.1, "fk_grade": 1.0}, {"recall@5": True, "fk_grade": False}
    )
    assert found == []


def test_regressions_detects_drops_in_both_directions():
    current = {
        "extractive": {
            "recall@5": 0.65,
            "citation_precision": 0.95,
            "fk_grade": 11.5,
            "latency_p95_ms": 650.0,
        }
    }
    found = regressions(
        current, BASELINE, {"recall@5": 0.1, "fk_grade": 1.0, "latency_p95_ms": 100.0}, {"fk_grade": False}
    )
    assert found == [
        # latency: 650 - 500 = 150 > 100, lower is better by default for latency
        Regression("extractive", "fk_grade", 10.0, 11.5, 1.0, False),  # 11.5 - 10 = 1.5 > 1.0
        Regression("extractive", "latency_p95_ms", 500.0, 650.0, 100.0, False),
        Regression("extractive", "recall@5", 0.8, 0.65, 0.1, True),  # 0.8 - 0.65 = 0.15 > 0.1
    ]  # citation_precision improved 0.9 -> 0.95: not a regression (default tolerance 0)


def test_regressions_missing_metric_system_or_nan():
    current = {"extractive": {"recall@5": float("nan"), "fk_grade": 10.0}}
    found = regressions(current, BASELINE, {}, {"fk_grade": False})
    # recall NaN and citation_precision missing -> regressions; latency excluded (no tolerance)
    assert [(r.metric, r.current) for r in found] == [("citation_precision", None), ("recall@5", None)]
    gone = regressions({}, {"ollama": {"recall@5": 0.5}}, {}, {})
    assert gone == [Regression("ollama", "recall@5", 0.5, None, 0.0, True)]


def test_regressions_ignores_new_metrics_and_rejects_negative_tolerance():
    current = {"extractive": {**BASELINE["extractive"], "new_metric": 0.0}, "new_system": {"x": 0.0}}
    assert regressions(current, BASELINE, {}, {"fk_grade": False}) == []
    with pytest.raises(ValueError):
        regressions(current, BASELINE, {"recall@5": -0.1}, {})
