"""`vciso gaps | questionnaire`: gap analysis against a framework, and questionnaire autofill."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.settings import Settings
from ingest.frameworks.registry import gap_sets

FRAMEWORK_CHOICES = tuple(gap_sets())  # the registry's gap sets (ingest/frameworks/registry.py)
EXPORTS = (".xlsx", ".csv", ".md")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gaps", help="gap analysis of one client's documents against a framework")
    p.add_argument("--client", required=True)
    p.add_argument("--framework", required=True, choices=FRAMEWORK_CHOICES)
    p.add_argument("--json", action="store_true", help="print the contract JSON")
    p.add_argument("--out", type=Path, help="also write a report: FILE.xlsx, FILE.csv or FILE.md")
    p.set_defaults(handler=gaps)

    p = sub.add_parser(
        "questionnaire", help="fill in a security questionnaire (xlsx or csv) from a client's documents"
    )
    p.add_argument("file", type=Path)
    p.add_argument("--client", required=True)
    p.add_argument("--question-column", help="header of the question column (detected when omitted)")
    p.add_argument("--json", action="store_true", help="print the contract JSON")
    p.add_argument("--out", type=Path, help="where to write the filled file (default: FILE_filled.xlsx|.csv)")
    p.set_defaults(handler=questionnaire)


def _progress(label: str):
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty() and (done == total or done % 10 == 0):
            print(
                f"\r{label}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True
            )

    return report


def gaps(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.assessment import export
    from advisor.assessment.gaps import analyze
    from advisor.factory import build_advisor

    if args.out and args.out.suffix.lower() not in EXPORTS:
        raise UsageError(f"--out must end in {', '.join(EXPORTS)}")
    adv = build_advisor(settings)
    report = analyze(
        adv, args.client, args.framework, progress=_progress("requirements"), user=local_operator()
    )
    if args.out:
        export.write(report, args.out)
    if args.json:
        emit_json(report.as_contract())
        return EXIT_OK
    s = report.summary
    o = s["overall"]
    print(
        f"{s['framework_title']} — {args.client}: coverage {o['coverage_pct']}% "
        f"({o['covered']} covered, {o['partial']} partial, {o['missing']} missing, {o['not_applicable']} n/a "
        f"of {o['total']}; {s['runtime_s']} s)"
    )
    print(
        f"\n{s['group_by'].title():<10} {'covered':>8} {'partial':>8} {'missing':>8} {'n/a':>5} "
        f"{'coverage':>9}"
    )
    for g in s["groups"]:
        print(
            f"{g['group']:<10} {g['covered']:>8} {g['partial']:>8} {g['missing']:>8} "
            f"{g['not_applicable']:>5} {str(g['coverage_pct']) + '%':>9}  {g['title']}"
        )
    flagged = [i for i in report.items if i.findings]
    if flagged:
        print("\nRequirements contradicted by audit findings:")
        for i in flagged:
            print(f"  {i.id:<22} {i.status:<8} {', '.join(f['id'] + ' ' + f['title'] for f in i.findings)}")
    if args.out:
        print(f"\nReport written to {args.out}")
    return EXIT_OK


def questionnaire(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.assessment.questionnaire import QuestionnaireError, default_output, fill
    from advisor.factory import build_advisor

    if args.file.suffix.lower() not in (".xlsx", ".xlsm", ".csv", ".tsv", ".txt"):
        raise UsageError(f"{args.file.name}: use an .xlsx or .csv questionnaire")
    if not args.file.exists():
        raise UsageError(f"{args.file} does not exist")
    out = args.out or default_output(args.file)
    try:
        answers, written, table = fill(
            build_advisor(settings),
            args.file,
            args.client,
            question_column=args.question_column,
            out=out,
            progress=_progress("questions"),
            user=local_operator(),
        )
    except QuestionnaireError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        emit_json({"items": [a.as_contract() for a in answers]})
        return EXIT_OK
    review = sum(a.needs_review for a in answers)
    print(
        f"{len(answers)} questions from column {table.headers[table.question_col]!r}"
        + (f" of sheet {table.sheet!r}" if table.sheet else "")
        + f": {len(answers) - review} answered, "
        f"{review} left for review."
    )
    for a in answers:
        print(f"  row {a.row:>3} {(a.answer or 'REVIEW'):<8} {a.question[:80]}")
    print(f"Filled questionnaire written to {written}")
    return EXIT_OK
