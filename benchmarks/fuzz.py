"""Fuzzing benchmark: mutants of valid PDF/DOCX/XLSX/PPTX/HTML/Markdown files through the sandboxed
loaders, chunking and injection detection; prints how many ingested, failed with a clear reason, failed
with a generic reason (a parser exception), hung (stopped at the time limit) or crashed.

Run: .venv/bin/python benchmarks/fuzz.py [--per-format 2000] [--seed 13] [--formats .pdf,.docx]
Exit 1 when any mutant crashed or hung.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script; the repository root must be there.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402

from tests.fuzzing import FORMATS, run  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-format", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--formats", default=",".join(FORMATS))
    args = ap.parse_args()
    report = run(args.per_format, seed=args.seed, formats=tuple(args.formats.split(",")))
    print(report.table())
    total = sum(sum(c.values()) for c in report.counts.values())
    print(
        f"\n{total} mutants in {report.seconds:.0f} s ({report.seconds / max(total, 1) * 1000:.0f} ms each)"
    )
    for line in report.crashes:
        print("  " + line)
    bad = sum(c["crashed"] + c["hung"] for c in report.counts.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
