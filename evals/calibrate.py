"""Fit the abstention model of :mod:`advisor.answering.confidence` on a development split; check it on a
test split.

    VCISO_DATA_DIR=... python -m evals.calibrate [--features /tmp/features.json] [--reuse]

Every eval question (library ones also with each demo client selected; injection cases excluded) is
retrieved as ``vciso ask`` retrieves it and its evidence signals are computed. Questions that a rule
decides before the model (a framework the library lacks, a named item not found, a named clause found)
are left out. The rest are split by question id (a library question and its with-client variants fall
in the same split) into development (2/3) and test (1/3). A logistic regression over the signals is
fitted on the development split (class-balanced); the threshold is the one on the development split
that maximises abstention F1 with precision and recall both >= 0.9 where possible. The script prints
the weights to put in ``advisor/answering/confidence.py`` and the precision/recall curve of abstention on both
splits, so a change of threshold is a reading of the curve, not a guess.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np

from advisor.access.policy import local_operator
from advisor.answering.abstention import COVERAGE_MIN, GUARD_DENSE, decide
from advisor.answering.confidence import BIAS, FEATURES, THRESHOLD, WEIGHTS, signals
from advisor.answering.plan import evidence
from advisor.factory import build_advisor
from advisor.service import Advisor
from advisor.settings import Settings
from evals.datasets import DATASETS, Case, load_cases
from evals.runner import prepare

OPERATOR = local_operator()  # the terminal's explicit local operator (every core read takes a principal)
MODEL_REASONS = ("enough evidence", "the evidence is too weak")


def split_of(case_id: str) -> str:
    base = case_id.split("@")[0]
    return "test" if int(hashlib.sha256(base.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def collect(adv: Advisor, every: int = 1) -> list[dict]:
    """Signals of the questions: all unanswerable, paraphrase and executive ones, every ``every``-th of the
    large answerable datasets (library, clients) and every ``2 * every``-th library question with a client.
    Library questions about a framework the data dir's library lacks are left out (their label would lie)."""
    # Injection cases are judged on what the answer says, not on abstaining; the real-world questions count
    # when their documents are ingested in this data dir (``vciso eval --dataset realworld`` does that).
    cases = load_cases([d for d in DATASETS if d != "injection"])
    indexed = set(adv.clients(user=OPERATOR))
    cases = [c for c in cases if c.dataset != "realworld" or c.client in indexed]
    services = adv.services(OPERATOR)
    shipped = {c.extra.get("framework") for c in services.library().chunks}
    cases = [c for c in cases if all(g.framework in shipped for g in c.gold_clauses)]
    step = {"library": every, "clients": every, "comparison": 10**6}
    kept: list[Case] = []
    seen: dict[str, int] = {}
    for c in cases:
        n = step.get(c.dataset, 2 * every if "@" in c.dataset else 1)
        seen[c.dataset] = seen.get(c.dataset, -1) + 1
        if seen[c.dataset] % n == 0:
            kept.append(c)
    cases = kept
    rows = []
    for i, case in enumerate(cases, 1):
        trace = services.retrieve(case.question, case.client)
        q, topics, passages = evidence(trace, case.client)
        sig = signals(q, topics, passages, services.checker)
        d = decide(q, passages, client=case.client, signals=sig)
        row = {
            "id": case.id,
            "dataset": case.dataset,
            "answerable": not case.should_abstain,
            "by_model": d.reason.startswith(MODEL_REASONS),
            "rule_abstains": d.abstain,
            "split": split_of(case.id),
            "signals": sig.as_dict(),
            "guard": sig.soft < COVERAGE_MIN and max(sig.dense, sig.sentence) < GUARD_DENSE,
        }
        if case.client is not None and row["by_model"]:  # the plan's second chance: the library alone
            library = list(services.retrieve(q, None).passages)
            row["library_signals"] = signals(q, topics, library, services.checker).as_dict()
        rows.append(row)
        if i % 50 == 0:
            print(f"  {i}/{len(cases)} questions", file=sys.stderr)
    return rows


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, lr: float = 0.5
) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression by gradient descent (y = 1: answerable)."""
    w, b = np.zeros(x.shape[1]), 0.0
    weight = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * weight
        w -= lr * (x.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return w, b


def abstention_pr(scores: np.ndarray, answerable: np.ndarray, threshold: float) -> tuple[float, float]:
    """Precision and recall of abstaining (score < threshold) against the unanswerable questions."""
    abstain = scores < threshold
    should = ~answerable
    tp = float((abstain & should).sum())
    precision = tp / abstain.sum() if abstain.sum() else 1.0
    recall = tp / should.sum() if should.sum() else 1.0
    return precision, recall


def choose_threshold(scores: np.ndarray, answerable: np.ndarray) -> float:
    best, best_key = 0.5, (-1.0, -1.0)
    for t in np.arange(0.05, 0.96, 0.01):
        p, r = abstention_pr(scores, answerable, t)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        key = (float(p >= 0.9 and r >= 0.9), f1)
        if key > best_key:
            best, best_key = round(float(t), 2), key
    return best


def curve(name: str, scores: np.ndarray, answerable: np.ndarray, mark: float) -> None:
    print(f"\n{name}: {int(answerable.sum())} answerable, {int((~answerable).sum())} unanswerable")
    print("threshold  abstain_precision  abstain_recall")
    for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, mark):
        p, r = abstention_pr(scores, answerable, t)
        print(f"{t:9.2f}  {p:17.3f}  {r:14.3f}{'   <- chosen' if t == mark else ''}")


def _two_stage(row: dict, w: np.ndarray, b: float, t: float) -> bool:
    """Would the plan answer: the question's own evidence, else the library alone?"""
    for key in ("signals", "library_signals"):
        if key in row and 1 / (1 + math.exp(-(float(np.dot(w, [row[key][f] for f in FEATURES])) + b))) >= t:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--features",
        type=Path,
        default=Path("/tmp/vciso-calibration.json"),
        help="where the collected signals are written (and read with --reuse)",
    )
    ap.add_argument("--reuse", action="store_true", help="fit on previously collected signals")
    ap.add_argument("--every", type=int, default=1, help="keep every N-th library and client question (time)")
    args = ap.parse_args(argv)
    if args.reuse and args.features.is_file():
        rows = json.loads(args.features.read_text())
    else:
        adv = build_advisor(Settings())
        prepare(adv, load_cases(["library"]))
        rows = collect(adv, args.every)
        args.features.write_text(json.dumps(rows))
    rows = [r for r in rows if r["by_model"]]
    # Fitted on the evidence of the question's own retrieval; a library question with a client selected is
    # judged on the plan's two stages (client scope, then the library alone) and only evaluated.
    fitted = [r for r in rows if "@" not in r["dataset"]]
    x = np.array([[r["signals"][f] for f in FEATURES] for r in fitted])
    y = np.array([1.0 if r["answerable"] else 0.0 for r in fitted])
    dev = np.array([r["split"] == "dev" for r in fitted])
    w, b = fit(x[dev], y[dev])
    score = 1 / (1 + np.exp(-(x @ w + b)))
    t = choose_threshold(score[dev], y[dev] == 1)
    answered_with_client = [_two_stage(r, w, b, t) for r in rows if "@" in r["dataset"]]
    if answered_with_client:
        print(
            f"library questions with a client selected, answered by the two-stage plan: "
            f"{sum(answered_with_client)}/{len(answered_with_client)}"
        )
    print("fitted on the development split:")
    print(f"WEIGHTS = ({', '.join(f'{v:.2f}' for v in w)})  # {', '.join(FEATURES)}")
    print(f"BIAS = {b:.2f}")
    print(f"THRESHOLD = {t:.2f}")
    old = np.array(
        [
            0.0
            if (
                r["signals"]["dense"] < 0.25
                or (r["signals"]["coverage"] < 0.6 and r["signals"]["dense"] < 0.55)
            )
            else 1.0
            for r in fitted
        ]
    )
    for name, sel in (("development", dev), ("test", ~dev)):
        p, r = abstention_pr(old[sel], y[sel] == 1, 0.5)
        print(
            f"word-overlap rule used before (dense < 0.25, or coverage < 0.6 and dense < 0.55) on the {name} "
            f"split: abstention precision {p:.3f}, recall {r:.3f}"
        )
    curve("development split", score[dev], y[dev] == 1, t)
    curve("test split", score[~dev], y[~dev] == 1, t)
    guard = np.array([bool(r.get("guard")) for r in fitted])
    for name, sel in (("development", dev), ("test", ~dev)):
        with_guard = np.where(guard[sel], 0.0, score[sel])  # the guard abstains whatever the model says
        p, r = abstention_pr(with_guard, y[sel] == 1, t)
        print(f"fitted model and the guard at {t:.2f}, {name} split: precision {p:.3f}, recall {r:.3f}")
    current = np.array([1 / (1 + math.exp(-(BIAS + float(np.dot(WEIGHTS, v))))) for v in x])
    p, r = abstention_pr(current[~dev], y[~dev] == 1, THRESHOLD)
    for name, wanted in (("unanswerable", lambda row: not row["answerable"]),):
        with_library = [
            _two_stage(row, w, b, t) for row in fitted if wanted(row) and row.get("library_signals")
        ]
        print(f"{name} questions the library fallback would answer: {sum(with_library)}/{len(with_library)}")
    print(f"\nmodel in answering/confidence.py, test split: abstention precision {p:.3f}, recall {r:.3f}")
    wrong = [
        (fitted[i]["id"], round(float(score[i]), 2))
        for i in range(len(fitted))
        if (score[i] >= t) != bool(y[i])
    ]
    print(f"misjudged with the fitted model ({len(wrong)}): {wrong[:40]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
