"""evals/registers.py: the extraction and vendor-flag metrics score what they should (they can fail), and the
demo clients reach perfect extraction of id, severity, owner, due date and status (as the latest report gives
it) and perfect vendor flags."""

from __future__ import annotations

from advisor.register.findings import Finding
from evals.registers import extraction_scores, flag_scores, planted_findings, run


def test_metrics_count_wrong_and_missing_fields():
    planted = [
        {"id": "F-01", "severity": "High", "owner": "Ann Lee, CIO", "due": "2026-01-31"},
        {"id": "F-02", "severity": "Low", "owner": "Bo Chan, IT", "due": "2026-02-28"},
    ]
    predicted = [
        Finding(ref="F-01", title="a", severity="high", owner="Ann Lee", due="2026-01-30"),
        Finding(ref="X-9", title="b", severity="low", owner="", due=None),
    ]
    s = extraction_scores(predicted, planted)
    assert s["id"] == {"precision": 0.5, "recall": 0.5}
    assert s["severity"] == {"precision": 0.5, "recall": 0.5}
    assert s["owner"] == {"precision": 1.0, "recall": 0.5}
    assert s["due"] == {"precision": 0.0, "recall": 0.0}
    assert flag_scores({("A", "x"), ("B", "y")}, {("A", "x")}) == {"precision": 0.5, "recall": 1.0}
    assert flag_scores(set(), set()) == {"precision": 1.0, "recall": 1.0}
    # a field the report does not state: n/a when nothing is proposed, wrong when something is
    gold = [{"id": "SI-4", "severity": "", "owner": "", "due": ""}]
    none = extraction_scores([Finding(ref="SI-4", title="t")], gold)
    assert none["id"] == {"precision": 1.0, "recall": 1.0}
    assert none["severity"] == {"precision": None, "recall": None}
    invented = extraction_scores([Finding(ref="SI-4", title="t", severity="high")], gold)
    assert invented["severity"] == {"precision": 0.0, "recall": None}


def test_demo_extraction_and_vendor_flags_are_perfect(tmp_path):
    # Meridian: the 2026 report's 8 findings and the prior-year report's 11 items (closed by the 2026 report)
    assert {c: len(v) for c, v in planted_findings().items()} == {"meridian-health": 19, "ledgerly": 6}
    result = run(tmp_path)
    for client, fields in result["findings"].items():
        for name, pr in fields.items():
            assert pr == {"precision": 1.0, "recall": 1.0}, (client, name, pr)
    for client, pr in result["vendor_flags"].items():
        assert pr == {"precision": 1.0, "recall": 1.0}, (client, pr)
    real = result["findings_realworld"]
    if real is not None:  # ../shared/realworld is there: every VADR discovery, on its page, nothing invented
        scores = real["cisa-samples"]
        assert scores["id"] == {"precision": 1.0, "recall": 1.0}, scores
        assert all(scores[f] == {"precision": None, "recall": None} for f in ("severity", "owner", "due"))
        assert real["proposals"] == 8 and real["on_gold_page"] == 1.0
