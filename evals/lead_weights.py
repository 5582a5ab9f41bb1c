"""Fit the lead-sentence weights of the extractive engine on labelled questions, with cross-validation.

    VCISO_DATA_DIR=... python -m evals.lead_weights [--folds 5] [--features /tmp/lead.json] [--reuse]

For every answerable question with expected facts (demo clients, paraphrase, executive and, when their
documents are indexed, the real-world questions), the evidence is retrieved and planned as ``vciso ask``
does, and :func:`advisor.answering.extractive.rank_sentences` scores every candidate sentence. Each
candidate carries its four features (semantic similarity, topic coverage, prior, shape bonus); a candidate
is a right lead when it holds an expected fact (``evals.metrics.fact_accuracy``). Questions where no
candidate holds a fact say nothing about the weights and are left out.

A grid of weights is searched for the one that puts a right candidate first most often. Folds are made by
question id (a library question's with-client variants stay together); the weights chosen on the other
folds are scored on the held-out fold, so the printed cross-validated accuracy is what the weights would
do on unseen questions. The hand-set weights in ``advisor/answering/extractive.py`` are scored the same way.
Change them only when the fitted ones win on the held-out folds.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from advisor.access.policy import local_operator
from advisor.answering import extractive
from advisor.answering.plan import make_plan
from advisor.factory import build_advisor
from advisor.settings import Settings
from evals.datasets import load_cases
from evals.metrics import fact_accuracy

OPERATOR = local_operator()
DATASETS = ("clients", "paraphrase", "executive", "realworld")
GRID = {
    "semantic": (0.3, 0.45, 0.6, 0.8, 1.0),
    "coverage": (0.0, 0.15, 0.3, 0.45, 0.6),
    "prior": (0.5, 1.0, 1.5),
    "shape": (0.5, 1.0, 1.5, 2.0),
}


def current_weights() -> tuple[float, ...]:
    e = extractive
    return (e.SEMANTIC_WEIGHT, e.COVERAGE_WEIGHT, e.PRIOR_WEIGHT, e.SHAPE_WEIGHT)


def collect(adv) -> list[dict]:
    """Per question: the candidates' features and whether each holds an expected fact."""
    indexed = set(adv.clients(user=OPERATOR))
    cases = [
        c
        for c in load_cases(list(DATASETS))
        if not c.should_abstain and c.facts and (c.client is None or c.client in indexed)
    ]
    services = adv.services(OPERATOR)
    rows = []
    for i, case in enumerate(cases, 1):
        trace = services.retrieve(case.question, case.client)
        plan = make_plan(services.retrieve, services.checker, trace, case.client)
        if plan.client_passages or plan.library_passages:
            continue  # a comparison is composed per side, not by one lead
        prefer = case.client is not None and not plan.question.requirement
        ranked = extractive.rank_sentences(plan.question, list(plan.passages), services.checker, prefer)
        labels = [fact_accuracy(c.text, case.facts) > 0 for c in ranked]
        if ranked and any(labels):
            rows.append(
                {
                    "id": case.id,
                    "dataset": case.dataset,
                    "features": [list(c.features) for c in ranked],
                    "right": labels,
                }
            )
        if i % 25 == 0:
            print(f"  {i}/{len(cases)} questions", file=sys.stderr)
    return rows


def lead_right(rows: list[dict], weights: tuple[float, ...]) -> np.ndarray:
    """For each question: is the best-scored candidate under ``weights`` a right one? (Ties: first.)"""
    w = np.array(weights)
    out = []
    for r in rows:
        scores = np.array(r["features"]) @ w
        out.append(bool(r["right"][int(np.argmax(scores))]))
    return np.array(out)


def best_weights(rows: list[dict]) -> tuple[tuple[float, ...], float]:
    """The grid point with the most right leads on ``rows`` (ties: closest to the current weights)."""
    now = np.array(current_weights())
    best, best_key = current_weights(), (-1.0, 0.0)
    for combo in itertools.product(*GRID.values()):
        acc = float(lead_right(rows, combo).mean())
        key = (acc, -float(np.abs(np.array(combo) - now).sum()))
        if key > best_key:
            best, best_key = combo, key
    return best, best_key[0]


def fold_of(case_id: str, folds: int) -> int:
    return int(hashlib.sha256(case_id.split("@")[0].encode()).hexdigest(), 16) % folds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--features", type=Path, default=Path("/tmp/vciso-lead-features.json"))
    ap.add_argument("--reuse", action="store_true", help="fit on previously collected features")
    args = ap.parse_args(argv)
    if args.reuse and args.features.is_file():
        rows = json.loads(args.features.read_text())
    else:
        rows = collect(build_advisor(Settings()))
        args.features.write_text(json.dumps(rows))
    print(f"{len(rows)} questions with a right candidate; features: semantic, coverage, prior, shape")
    held_fit, held_now = [], []
    for k in range(args.folds):
        train = [r for r in rows if fold_of(r["id"], args.folds) != k]
        test = [r for r in rows if fold_of(r["id"], args.folds) == k]
        if not test:
            continue
        w, train_acc = best_weights(train)
        fit_acc = lead_right(test, w)
        now_acc = lead_right(test, current_weights())
        held_fit += list(fit_acc)
        held_now += list(now_acc)
        print(
            f"fold {k}: fitted {w} train {train_acc:.3f} held-out {fit_acc.mean():.3f} "
            f"(current weights {now_acc.mean():.3f}, {len(test)} questions)"
        )
    print(
        f"cross-validated lead accuracy: fitted {np.mean(held_fit):.3f}, "
        f"current {current_weights()} {np.mean(held_now):.3f}"
    )
    w, acc = best_weights(rows)
    print(f"fitted on all questions: {w} lead accuracy {acc:.3f}")
    for name in DATASETS:
        part = [r for r in rows if r["dataset"] == name]
        if part:
            print(
                f"  {name}: {len(part)} questions, fitted {lead_right(part, w).mean():.3f}, "
                f"current {lead_right(part, current_weights()).mean():.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
