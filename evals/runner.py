"""Run systems over the datasets and compute the metrics; compare a result with the baseline.

    adv = build_advisor(settings)
    prepare(adv, cases)                       # library built, demo + injection clients ingested
    result = run(cases, default_systems(adv, names), supports=adv.services(local_operator()).checker.supports)
    problems = compare(result, load_json(BASELINE), load_tolerances())

A result is plain JSON: ``systems[name]`` holds the summary metrics (the gated numbers),
``by_dataset[name][dataset]`` the same per dataset, ``counts[name]`` case counts and ``cases[name]``
the per-case scores with the answers (for reading what went wrong).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from advisor.access.policy import local_operator
from advisor.service import Advisor
from evals import regressions as gate
from evals.datasets import DEMO_CLIENTS, REPO_ROOT, Case
from evals.scoring import HIGHER_IS_BETTER, counts, gold_ids, score_case, summarize
from evals.systems import AdvisorSystem, System

log = logging.getLogger(__name__)

EVALS_DIR = Path(__file__).resolve().parent
BASELINE = EVALS_DIR / "baseline.json"
TOLERANCES = EVALS_DIR / "tolerances.json"
SYSTEMS = ("vciso", "bm25-only", "dense-only", "naive-rag")


def demo_files(knowledge_base: Path, client: str) -> list[Path]:
    folder = Path(knowledge_base) / "demo" / client
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def client_files(knowledge_base: Path, cases: Sequence[Case]) -> dict[str, list[Path]]:
    """Files of every client the cases ask about: the demo folders, the real-world folders and each
    injection case's documents."""
    files: dict[str, list[Path]] = {}
    for client in DEMO_CLIENTS:
        files[client] = demo_files(knowledge_base, client)
    for client in sorted({c.client for c in cases if c.dataset == "realworld" and c.client}):
        from evals import realworld

        files[client] = realworld.files(client)  # read in place from ../shared/realworld
    for case in cases:
        if case.documents and case.client:
            paths = [REPO_ROOT / d for d in case.documents]
            files[case.client] = sorted(set(files.get(case.client, [])) | set(paths))
    return files


def prepare(
    adv: Advisor, cases: Sequence[Case], progress: Callable[[str], None] | None = None
) -> dict[str, list[Path]]:
    """Make sure everything the cases need is indexed: the library, the demo clients and the temporary
    injection clients (unchanged files are skipped quickly). Returns client -> files."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    adv.ensure_library()
    say(f"library ready ({time.perf_counter() - t0:.1f} s)")
    files = client_files(adv.settings.knowledge_base, cases)
    for client, paths in files.items():
        report = adv.ingest(paths, client, user=local_operator())
        if report.failed:
            raise RuntimeError(f"ingest failed for {client}: {report.failed}")
        say(
            f"client {client}: {len(report.added) + len(report.updated)} ingested, {len(report.unchanged)} "
            "unchanged"
        )
    return files


def default_systems(
    adv: Advisor, names: Sequence[str] = SYSTEMS, files: Mapping[str, Sequence[Path]] | None = None
) -> list[System]:
    """The systems compared side by side, by name."""
    services = adv.services(local_operator())  # the evals run from the terminal, as its operator
    out: list[System] = []
    for name in names:
        if name == "vciso":
            out.append(AdvisorSystem(adv, "vciso", services=services))
        elif name == "bm25-only":
            out.append(AdvisorSystem(adv, "bm25-only", services=services, dense=False))
        elif name == "dense-only":
            out.append(AdvisorSystem(adv, "dense-only", services=services, lexical=False))
        elif name == "naive-rag":
            from evals.baseline_rag import NaiveRAG, store_vectors

            naive = NaiveRAG(
                services.store.embeddings,
                adv.settings.corpus,
                files or {},
                cache_path=adv.settings.data_dir / "evals" / "naive_rag_embeddings.npz",
            )
            naive.embeddings.prefill(*store_vectors(services.store, None))
            out.append(naive)
        else:
            raise ValueError(f"unknown system {name!r}; valid: {', '.join(SYSTEMS)}")
    return out


def run(
    cases: Sequence[Case],
    systems: Sequence[System],
    supports: Callable[[str, Sequence[str]], bool],
    progress: Callable[[str], None] | None = None,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every case through every system; the result (see the module docstring)."""
    say = progress or (lambda _msg: None)
    result: dict[str, Any] = {
        "meta": {
            **(meta or {}),
            "cases": len(cases),
            "datasets": sorted({c.dataset for c in cases}),
            "systems": [s.name for s in systems],
        },
        "systems": {},
        "by_dataset": {},
        "counts": {},
        "cases": {},
        "runtime_s": {},
    }
    for system in systems:
        t0 = time.perf_counter()
        scores = []
        for i, case in enumerate(cases, start=1):
            answer = system.run(case)
            gold = gold_ids(case, system.index) if (case.gold_clauses or case.gold_sources) else set()
            scores.append(score_case(case, answer, gold, supports))
            if i % 20 == 0:
                say(f"{system.name}: {i}/{len(cases)}")
        result["systems"][system.name] = summarize(scores)
        result["by_dataset"][system.name] = {
            d: summarize([s for s in scores if s["dataset"] == d])
            for d in sorted({s["dataset"] for s in scores})
        }
        result["counts"][system.name] = counts(scores)
        result["cases"][system.name] = scores
        result["runtime_s"][system.name] = round(time.perf_counter() - t0, 1)
        say(f"{system.name}: done in {result['runtime_s'][system.name]} s")
    return result


def add_crosswalk(result: dict[str, Any], adv: Advisor, k: int = 10) -> None:
    """Crosswalk quality beside vciso's metrics when the run asks library questions: recall@k of the official
    SP 800-171 -> SP 800-53 mappings through ``vciso map`` and of the retrieval suggestions alone
    (:mod:`evals.crosswalk`), so the baseline gates them like any other metric."""
    row = result["systems"].get("vciso")
    if row is None or not any(d.startswith("library") for d in result["meta"]["datasets"]):
        return
    from evals.crosswalk import crosswalk_recall

    found = crosswalk_recall(adv, k)
    row[f"crosswalk_official_recall@{k}"] = found[f"official_recall@{k}"]
    row[f"crosswalk_suggested_recall@{k}"] = found[f"suggested_recall@{k}"]


# -- baseline comparison -----------------------------------------------------------------------------


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_tolerances(path: Path = TOLERANCES) -> dict[str, float]:
    """Per-metric absolute tolerances; "default" applies to every gated metric not listed."""
    data = load_json(path)
    return {k: float(v) for k, v in data.items() if not k.startswith("_")}


def _numbers(table: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    return {
        system: {m: (math.nan if v is None else float(v)) for m, v in row.items()}
        for system, row in table.items()
    }


def compare(
    current: Mapping[str, Any], baseline: Mapping[str, Any], tolerances: Mapping[str, float]
) -> list[gate.Regression]:
    """Regressions of ``current`` against ``baseline`` (both results or baseline files), via
    ``regressions.regressions``. Latency is not gated (timings vary by machine); every other metric gets
    its listed tolerance or the default. Only systems present in both are compared."""
    cur = _numbers(current["systems"])
    base = {s: row for s, row in _numbers(baseline["systems"]).items() if s in cur}
    default = float(tolerances.get("default", 0.0))
    gated = {m for row in base.values() for m in row if "latency" not in m}
    tol = {m: float(tolerances.get(m, default)) for m in gated}
    return gate.regressions(cur, base, tol, HIGHER_IS_BETTER)


def describe(r: gate.Regression) -> str:
    now = "missing" if r.current is None else f"{r.current:.4g}"
    return f"REGRESSION {r.system} {r.metric}: {r.baseline:.4g} -> {now} (tolerance {r.tolerance:g})"


def baseline_of(result: Mapping[str, Any]) -> dict[str, Any]:
    """What evals/baseline.json keeps: the summary metrics and what produced them (no answers, no timings
    of individual cases)."""
    meta = {k: v for k, v in result.get("meta", {}).items() if k not in ("started", "runtime_s")}
    return {"meta": meta, "systems": result["systems"], "counts": result["counts"]}


def jsonable(value: Any) -> Any:
    """NaN -> None, recursively (JSON has no NaN)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
