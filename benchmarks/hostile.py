"""Parser-limit benchmark: the issue's hostile files (1 GB DOCX zip bomb, 300 x 16,384-cell workbook,
100,000-page PDF) — seconds and peak memory of a fresh process that parses each — and the cost of parsing
in the reused sandbox worker compared with in-process parsing, on many small files.

Run: .venv/bin/python benchmarks/hostile.py [--small-files 200]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script; the repository root must be there.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from ingest.errors import IngestError  # noqa: E402
from ingest.limits import ParseLimits  # noqa: E402
from ingest.sandbox import parse  # noqa: E402
from tests.hostile_files import docx_zip_bomb, huge_workbook, many_page_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_MB = 1024 * 1024
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from ingest.errors import IngestError
from ingest.sandbox import parse
t0 = time.perf_counter()
try:
    parse(Path(sys.argv[1]), max_bytes=100 * 2**20, isolate=False)
    reason = None
except IngestError as exc:
    reason = exc.reason
print(json.dumps({"reason": reason, "seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def hostile(folder: Path) -> None:
    print("hostile file                     size     parse s  peak MB  reason")
    for label, make in (
        ("DOCX zip bomb (1 GB unpacked)", lambda: docx_zip_bomb(folder / "bomb.docx", 1024)),
        ("workbook 300 x 16,384 cells", lambda: huge_workbook(folder / "wide.xlsx")),
        ("PDF of 100,000 pages", lambda: many_page_pdf(folder / "pages.pdf")),
    ):
        path = make()
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, cwd=ROOT, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{label:<32} {path.stat().st_size / _MB:5.1f} MB {r['seconds']:8.2f} {r['peak_mb']:8.0f}  "
            f"{r['reason']}"
        )


def small_files(folder: Path, n: int) -> None:
    files = []
    for i in range(n):
        p = folder / f"note-{i:04d}.md"
        p.write_text(f"# Note {i}\n\nBackups of system {i} run nightly and are kept for {i % 90 + 1} days.\n")
        files.append(p)
    limits = ParseLimits()
    timings = {}
    for isolate in (False, True):
        t0 = time.perf_counter()
        for p in files:
            try:
                parse(p, max_bytes=_MB, limits=limits, isolate=isolate)
            except IngestError as exc:
                raise SystemExit(f"{p}: {exc.reason}") from exc
        timings[isolate] = time.perf_counter() - t0
    print(
        f"\n{n} small Markdown files: in-process {timings[False]:.2f} s ({timings[False] / n * 1000:.1f} "
        "ms/file), "
        f"sandbox worker {timings[True]:.2f} s ({timings[True] / n * 1000:.1f} ms/file, including the "
        "worker's one-time start)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small-files", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hostile(Path(tmp))
        small_files(Path(tmp), args.small_files)


if __name__ == "__main__":
    main()
