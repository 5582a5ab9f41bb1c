"""Write an evaluation result as ``result.json``, ``report.md`` (tables: one row per metric, one column
per system) and ``metrics.png`` (a bar chart of the 0–1 quality metrics)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.runner import describe, jsonable
from evals.scoring import HIGHER_IS_BETTER

DESCRIPTIONS = {
    "recall@5": "share of gold chunks among the first 5 retrieved",
    "recall@10": "share of gold chunks among the first 10 retrieved",
    "mrr": "1 / rank of the first gold chunk",
    "ndcg@10": "rank-discounted gain of gold chunks in the top 10",
    "gold_source_hit": "answer cites the gold document/page or clause",
    "citation_precision": "ALCE: citations needed for their sentence's support",
    "citation_recall": "ALCE: sentences supported by the passages they cite",
    "fact_accuracy": "expected facts found in the answer",
    "trap_accuracy": "same question, two clients: right facts, none of the other client's",
    "abstention_precision": "abstentions that were right",
    "abstention_recall": "unanswerable questions that were declined",
    "abstention_f1": "harmonic mean of the two",
    "cross_client_leaks": "citations of another client's documents (must be 0)",
    "injection_resisted": "answers that did not follow an injected instruction",
    "injection_cited": "answers citing the injected document",
    "executive_fk_grade": "Flesch-Kincaid grade of executive answers",
    "latency_p50_ms": "median time to answer",
    "latency_p95_ms": "95th percentile time to answer",
}


def fmt(value: Any, metric: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if "latency" in metric:
        return f"{value:,.0f}"
    if metric == "cross_client_leaks":
        return f"{value:.0f}"
    if metric == "executive_fk_grade":
        return f"{value:.1f}"
    return f"{value:.3f}"


def table(
    rows: Mapping[str, Mapping[str, Any]], metrics: Sequence[str] | None = None, *, with_notes: bool = True
) -> str:
    """Markdown table: one row per metric, one column per system."""
    systems = list(rows)
    metrics = list(metrics or HIGHER_IS_BETTER)
    head = ["metric", *systems] + (["better", "what it measures"] if with_notes else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for m in metrics:
        if all(
            rows[s].get(m) is None or (isinstance(rows[s].get(m), float) and math.isnan(rows[s][m]))
            for s in systems
        ):
            continue
        cells = [m, *(fmt(rows[s].get(m), m) for s in systems)]
        if with_notes:
            cells += ["↑" if HIGHER_IS_BETTER.get(m, True) else "↓", DESCRIPTIONS.get(m, "")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plain_table(rows: Mapping[str, Mapping[str, Any]]) -> str:
    """The side-by-side table for a terminal."""
    systems = list(rows)
    width = max(len(m) for m in HIGHER_IS_BETTER) + 2
    out = ["metric".ljust(width) + "".join(s.rjust(12) for s in systems)]
    for m in HIGHER_IS_BETTER:
        values = [rows[s].get(m) for s in systems]
        if all(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
            continue
        out.append(m.ljust(width) + "".join(fmt(v, m).rjust(12) for v in values))
    return "\n".join(out)


def markdown(result: Mapping[str, Any], regressions: Sequence[Any] = ()) -> str:
    meta = result.get("meta", {})
    parts = [
        "# vciso evaluation report",
        "",
        f"Cases: {meta.get('cases')} ({', '.join(meta.get('datasets', []))}); "
        f"subset: {'fast' if meta.get('fast') else 'full'}; engine: {meta.get('engine', '?')}; "
        f"embedding: {meta.get('embedding', '?')}.",
        "",
        "## Summary",
        "",
        table(result["systems"]),
        "",
    ]
    if regressions:
        parts += ["## Regressions against the baseline", "", *[f"- {describe(r)}" for r in regressions], ""]
    counts = result.get("counts", {})
    if counts:
        parts += [
            "## Counts",
            "",
            "| system | cases | answered | abstained | trap confusions | runtime (s) |",
            "|---|---|---|---|---|---|",
        ]
        for s, c in counts.items():
            parts.append(
                f"| {s} | {c['cases']} | {c['answered']} | {c['abstained']} | {c['trap_confusions']} | "
                f"{result.get('runtime_s', {}).get(s, '–')} |"
            )
        parts.append("")
    by_dataset = result.get("by_dataset", {})
    datasets = sorted({d for per in by_dataset.values() for d in per})
    for d in datasets:
        rows = {s: per[d] for s, per in by_dataset.items() if d in per}
        parts += [f"## Dataset: {d}", "", table(rows, with_notes=False), ""]
    misses = _misses(result)
    if misses:
        parts += [
            "## Weakest vciso answers",
            "",
            "Cases where vciso missed an expected fact, the gold source, or abstained wrongly.",
            "",
        ]
        parts += misses
    return "\n".join(parts).rstrip() + "\n"


def _misses(result: Mapping[str, Any], system: str = "vciso", limit: int = 25) -> list[str]:
    out = []
    for s in result.get("cases", {}).get(system, []):
        wrong_abstain = s["abstained"] != s["should_abstain"] and s["kind"] != "injection"
        missed = s.get("fact_accuracy", 1.0) < 1.0 or s.get("gold_source_hit", 1.0) < 1.0 or wrong_abstain
        if not missed:
            continue
        answer = " ".join(s["answer"].split())
        answer = answer[:240] + ("…" if len(answer) > 240 else "")
        why = []
        if wrong_abstain:
            why.append("abstained" if s["abstained"] else "should have abstained")
        if s.get("fact_accuracy", 1.0) < 1.0 and not s["abstained"]:
            why.append(f"facts {s['fact_accuracy']:.2f}")
        if s.get("gold_source_hit", 1.0) < 1.0 and not s["abstained"]:
            why.append("gold source not cited")
        out.append(
            f"- **{s['id']}** ({s.get('client') or 'library'}) {s['question']} — {', '.join(why)}  \n  > "
            f"{answer}"
        )
        if len(out) >= limit:
            break
    return out


def chart(result: Mapping[str, Any], path: Path) -> None:
    """Grouped bars of the 0–1 quality metrics, one colour per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result["systems"]
    systems = list(rows)
    metrics = [
        m
        for m in HIGHER_IS_BETTER
        if HIGHER_IS_BETTER[m]
        and "latency" not in m
        and any(isinstance(rows[s].get(m), (int, float)) and not math.isnan(rows[s][m]) for s in systems)
    ]
    fig, ax = plt.subplots(figsize=(max(8, len(metrics) * 0.9), 4.5))
    width = 0.8 / max(len(systems), 1)
    for i, s in enumerate(systems):
        values = [rows[s].get(m) for m in metrics]
        values = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]
        ax.bar([x + i * width for x in range(len(metrics))], values, width, label=s)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(metrics))])
    ax.set_xticklabels(metrics, rotation=35, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (higher is better)")
    ax.set_title("vciso evaluation: quality metrics by system")
    ax.legend(fontsize=8, ncol=len(systems))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(result: Mapping[str, Any], out_dir: Path, regressions: Sequence[Any] = ()) -> dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "result.json",
        "markdown": out_dir / "report.md",
        "chart": out_dir / "metrics.png",
    }
    paths["json"].write_text(
        json.dumps(jsonable(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths["markdown"].write_text(markdown(jsonable(result), regressions), encoding="utf-8")
    chart(result, paths["chart"])
    return paths
