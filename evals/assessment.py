"""Metrics for gap analysis and questionnaire autofill on the healthcare demo client (evaluation code: it
lives in evals/, which the core never imports).

``gap_metrics(adv)`` and ``questionnaire_metrics(adv)`` return plain dicts for the evals harness; the pure
scoring functions below them are tested on their own.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from advisor.settings import REPO_ROOT

QUESTIONNAIRES = REPO_ROOT / "knowledge_base" / "questionnaires"
PLANTED = QUESTIONNAIRES / "planted_gaps_meridian.json"
GOLD = QUESTIONNAIRES / "gold_meridian.jsonl"
SAMPLE = QUESTIONNAIRES / "vendor_security_questionnaire.xlsx"
FLAGGED = ("missing", "partial")


def score_gaps(items: Sequence[dict], planted: Sequence[dict]) -> dict:
    """``items``: contract items of a gap analysis; ``planted``: [{id, units: [...]}].

    - finding_recall: share of planted findings with at least one of their units flagged missing/partial
      AND citing that finding;
    - unit_recall: the same over (finding, unit) pairs;
    - link_precision: share of (item, finding) links the analysis made that are planted pairs;
    - flagged_precision: share of missing/partial items that are planted units (low by nature: most
      missing/partial items are real gaps no audit reported).
    """
    by_id = {i["id"]: i for i in items}
    expected = {(p["id"], u) for p in planted for u in p["units"]}
    hit_pairs = {
        (f, u)
        for f, u in expected
        if u in by_id
        and by_id[u]["status"] in FLAGGED
        and f in {x["id"] for x in by_id[u].get("findings", [])}
    }
    found = {f for f, _ in hit_pairs}
    links = {(x["id"], i["id"]) for i in items for x in i.get("findings", [])}
    flagged = [i["id"] for i in items if i["status"] in FLAGGED]
    planted_units = {u for _, u in expected}
    missed = sorted({f for f, _ in expected} - found)
    return {
        "finding_recall": round(len(found) / len({p["id"] for p in planted}), 4) if planted else None,
        "unit_recall": round(len(hit_pairs) / len(expected), 4) if expected else None,
        "link_precision": round(len(links & expected) / len(links), 4) if links else None,
        "flagged_precision": round(len(planted_units & set(flagged)) / len(flagged), 4) if flagged else None,
        "flagged": len(flagged),
        "missed_findings": missed,
        "wrong_links": sorted(f"{f}->{u}" for f, u in links - expected),
    }


def score_questionnaire(answers: Iterable[dict], gold: Iterable[dict]) -> dict:
    """Accuracy of answers vs gold (matched by row), and how unknowns are handled.

    - accuracy: answer == gold answer over all gold rows ("" == "" counts: correctly left for review);
    - answered_accuracy: accuracy over the rows gold answers (yes/no/partial/n/a);
    - review_recall: share of gold unknowns left for review (needs_review and answer "");
    - guesses: gold unknowns that got an answer (should be 0);
    - over_review: answerable rows left for review;
    - contradiction_recall: share of the rows where a finding contradicts the policy (gold "partial") that
      did not get "yes" (a "yes" there hides the finding).
    """
    got = {a["row"]: a for a in answers}
    gold = list(gold)
    correct = [g for g in gold if got.get(g["row"], {}).get("answer") == g["answer"]]
    unknown = [g for g in gold if g["answer"] == ""]
    known = [g for g in gold if g["answer"] != ""]
    reviewed = [
        g for g in unknown if got.get(g["row"], {}).get("needs_review") and got[g["row"]]["answer"] == ""
    ]
    over = [g for g in known if got.get(g["row"], {}).get("needs_review")]
    contradicted = [g for g in gold if g["answer"] == "partial"]
    held = [g for g in contradicted if got.get(g["row"], {}).get("answer") != "yes"]
    return {
        "accuracy": round(len(correct) / len(gold), 4) if gold else None,
        "answered_accuracy": round(sum(1 for g in known if g in correct) / len(known), 4) if known else None,
        "review_recall": round(len(reviewed) / len(unknown), 4) if unknown else None,
        "guesses": [g["row"] for g in unknown if g not in reviewed],
        "over_review": [g["row"] for g in over],
        "contradiction_recall": round(len(held) / len(contradicted), 4) if contradicted else None,
        "wrong": [
            {"row": g["row"], "gold": g["answer"], "got": got.get(g["row"], {}).get("answer")}
            for g in gold
            if g not in correct
        ],
        "questions": len(gold),
    }


def gap_metrics(adv, planted_path: Path = PLANTED, *, user) -> dict:
    """HIPAA gap analysis of meridian-health against its planted findings, run as ``user``."""
    from advisor.assessment.gaps import analyze

    spec = json.loads(Path(planted_path).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    report = analyze(adv, spec["client"], spec["framework"], user=user)
    result = score_gaps(report.as_contract()["items"], spec["findings"])
    result.update(
        client=spec["client"],
        framework=spec["framework"],
        runtime_s=round(time.perf_counter() - t0, 2),
        coverage_pct=report.summary["overall"]["coverage_pct"],
    )
    return result


def questionnaire_metrics(
    adv, gold_path: Path = GOLD, questionnaire: Path = SAMPLE, client: str = "meridian-health", *, user
) -> dict:
    """The sample questionnaire answered for meridian-health as ``user``, against the gold answers."""
    from advisor.assessment.questionnaire import fill

    gold = [
        json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        answers, _, _ = fill(adv, questionnaire, client, out=Path(tmp) / questionnaire.name, user=user)
    result = score_questionnaire([a.as_contract() for a in answers], gold)
    result.update(client=client, runtime_s=round(time.perf_counter() - t0, 2))
    return result
