"""`vciso eval`: run the evaluation datasets through vciso and the comparison systems, write a report,
and gate on the committed baseline."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from advisor.cli import EXIT_OK, EXIT_PARTIAL, UsageError
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    from evals.datasets import DATASETS
    from evals.runner import SYSTEMS

    p = sub.add_parser(
        "eval",
        help="evaluate answer quality side by side and compare with the baseline",
        description="Runs the evaluation datasets through vciso, BM25-only, dense-only and a naive "
        "LangChain RAG baseline; prints the table and writes result.json, report.md and "
        "metrics.png. With --baseline, exits 1 when a metric regressed beyond its "
        "tolerance (evals/tolerances.json).",
    )
    p.add_argument(
        "--dataset",
        action="append",
        choices=DATASETS,
        metavar="NAME",
        help=f"dataset to run (repeatable; default: all of {', '.join(DATASETS)})",
    )
    p.add_argument(
        "--engine", help="answer engine for the vciso systems (default: settings, i.e. extractive)"
    )
    p.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma-separated systems to compare (default: {','.join(SYSTEMS)})",
    )
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="compare with this baseline (e.g. evals/baseline.json); exit 1 on a regression",
    )
    p.add_argument("--out", metavar="DIR", help="where to write the report (default: <data dir>/eval-report)")
    p.add_argument("--fast", action="store_true", help="only the fixed fast subset (CI)")
    p.add_argument(
        "--update-baseline", action="store_true", help="rewrite evals/baseline.json with this run's numbers"
    )
    p.add_argument(
        "--api",
        metavar="URL",
        help="evaluate a deployed instance through its HTTP API (e.g. staging); "
        "systems: vciso, bm25-only, dense-only",
    )
    p.add_argument(
        "--token",
        metavar="T",
        default=os.environ.get("VCISO_API_TOKEN", ""),
        help="API token for --api (default: $VCISO_API_TOKEN)",
    )
    p.set_defaults(handler=evaluate)


def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor
    from evals import report, runner
    from evals.datasets import DATASETS, DatasetError, load_cases

    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in names if s not in runner.SYSTEMS]
    if unknown or not names:
        raise UsageError(
            f"unknown system(s) {', '.join(unknown) or '(none)'}; valid: {', '.join(runner.SYSTEMS)}"
        )
    if args.engine:
        settings = settings.model_copy(
            update={"llm": settings.llm.model_copy(update={"engine": args.engine})}
        )
    datasets = tuple(args.dataset or DATASETS)
    try:
        cases = load_cases(datasets, fast=args.fast)
    except DatasetError as exc:
        raise UsageError(str(exc)) from exc
    baseline = None
    if args.baseline:
        try:
            baseline = runner.load_json(args.baseline)
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"cannot read baseline {args.baseline}: {exc}") from exc

    def say(msg: str) -> None:
        print(f"[eval] {msg}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    if args.api:
        result = _run_over_api(args, settings, cases, names, datasets, say)
    else:
        adv = build_advisor(settings)
        files = runner.prepare(adv, cases, say)
        systems = runner.default_systems(adv, names, files)
        say(f"{len(cases)} cases x {len(systems)} systems")
        meta = {
            "fast": args.fast,
            "datasets": list(datasets),
            "engine": adv.engine.name,
            "embedding": settings.embedding,
        }
        result = runner.run(cases, systems, adv.services(local_operator()).checker.supports, say, meta)
        runner.add_crosswalk(result, adv)
    result["meta"]["runtime_s"] = round(time.perf_counter() - started, 1)

    regressions = []
    if baseline is not None:
        base_meta = baseline.get("meta", {})
        if base_meta.get("fast") != args.fast or sorted(base_meta.get("datasets", [])) != sorted(datasets):
            say(
                f"warning: the baseline was made with fast={base_meta.get('fast')} "
                f"datasets={base_meta.get('datasets')}; "
                f"this run has fast={args.fast} datasets={list(datasets)}"
            )
        tolerances = runner.load_tolerances()
        regressions = runner.compare(result, baseline, tolerances)

    out = args.out or settings.data_dir / "eval-report"
    paths = report.write(result, out, regressions)
    print(report.plain_table(result["systems"]))
    print(
        f"\nreport: {paths['markdown']}  (json: {paths['json']}, chart: {paths['chart']}); "
        f"total {result['meta']['runtime_s']} s"
    )
    if args.update_baseline:
        runner.BASELINE.write_text(
            json.dumps(runner.jsonable(runner.baseline_of(result)), indent=2) + "\n", encoding="utf-8"
        )
        print(f"baseline updated: {runner.BASELINE}")
    if regressions:
        for r in regressions:
            print(runner.describe(r))
        return EXIT_PARTIAL
    if baseline is not None:
        print("no regressions against the baseline")
    return EXIT_OK


def _run_over_api(args: argparse.Namespace, settings: Settings, cases, names, datasets, say) -> dict:
    """The same run against a deployed instance: its answers through the API, scored here."""
    from advisor.answering.support import SupportChecker
    from advisor.errors import BackendUnavailable
    from advisor.retrieval.embeddings import build_embeddings
    from evals import runner
    from evals.http_system import ApiClient, ApiError, http_systems, prepare_http

    if args.systems == ",".join(runner.SYSTEMS):
        names = [n for n in names if n != "naive-rag"]  # the default list, less what only runs locally
    try:
        api = ApiClient(args.api, args.token)
        systems = http_systems(api, names)
        prepare_http(api, runner.client_files(settings.knowledge_base, cases), say)
        say(f"{len(cases)} cases x {len(systems)} systems through {args.api}")
        meta = {
            "fast": args.fast,
            "datasets": list(datasets),
            "engine": f"api {args.api}",
            "embedding": settings.embedding,
        }
        checker = SupportChecker(build_embeddings(settings.embedding))  # claims are scored here, as locally
        return runner.run(cases, systems, checker.supports, say, meta)
    except ApiError as exc:  # the instance refused or is unreachable: exit 1 with its message
        raise BackendUnavailable(str(exc)) from exc
