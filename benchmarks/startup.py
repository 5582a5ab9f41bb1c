"""Cold-start benchmark: `vciso --help` and the light commands, and a cold `vciso ask` in a new process
against its floor (loading the embedding model plus one warm answer), all measured in the same run.

Run: .venv/bin/python benchmarks/startup.py [--data-dir DIR]
Targets (issue 17): `vciso --help` <= 0.3 s; cold ask / (model load + warm answer) <= 1.5.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script, and its name would shadow the
# project's `ingest` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLIENT = "meridian-health"
QUESTION = "What is the minimum password length?"
WARM_UP = (
    "Who leads incident response?"  # another question: the floor's answer gets no cached sentence vectors
)
HEAVY = ("torch", "sentence_transformers", "chromadb", "streamlit", "fastapi", "matplotlib", "evals")
_PROBE = (
    "import sys\nfrom advisor.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "sys.stderr.write('\\nLOADED ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
)


def _run(args: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def _median(args: list[str], env: dict[str, str], runs: int) -> float:
    return statistics.median(_run(args, env) for _ in range(runs))


def _heavy_imports(command: list[str], env: dict[str, str]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *command], env=env, capture_output=True, text=True, check=False
    )
    loaded = out.stderr.rpartition("LOADED ")[2].split()
    return [m for m in HEAVY if m in loaded]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, help="reuse a data dir that has the library and the demo client")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="vciso-startup-"))
    env = {**os.environ, "VCISO_DATA_DIR": str(data)}
    shared = ROOT.parent / "shared" / "corpus"  # as the Makefile does: the shared corpus when it is there
    if shared.is_dir():
        env.setdefault("VCISO_CORPUS_DIR", str(shared))
    vciso = [str(Path(sys.executable).with_name("vciso"))]

    if args.data_dir is None:
        t = time.perf_counter()
        subprocess.run([*vciso, "kb", "build"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [*vciso, "ingest", str(ROOT / "knowledge_base/demo" / CLIENT), "--client", CLIENT],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"setup (library + {CLIENT}): {time.perf_counter() - t:.1f} s")

    python = _median([sys.executable, "-c", "pass"], env, args.runs)
    help_s = _median([*vciso, "--help"], env, args.runs)
    print(f"vciso --help: {help_s:.2f} s (target <= 0.3 s; baseline: bare interpreter start {python:.2f} s)")
    for command in (
        ["clients"],
        ["sources", "--client", CLIENT],
        ["audit", "--limit", "1"],
        ["users", "list"],
    ):
        s = _median([*vciso, *command], env, args.runs)
        heavy = _heavy_imports(command, env)
        print(
            f"vciso {' '.join(command)}: {s:.2f} s (x{s / help_s:.1f} of --help); "
            f"imports {', '.join(heavy) if heavy else 'nothing heavy'}"
        )

    ask = [*vciso, "ask", QUESTION, "--client", CLIENT]
    _run(
        [*vciso, "ask", WARM_UP, "--client", CLIENT], env
    )  # the first ask of a data dir saves its BM25 indexes; the page cache is warm for both sides
    cold = _median(ask, env, args.runs)

    # The floor, in this process: load the embedding model, then the time of one answer once the process is
    # warm (it has answered another question), to a question it has not answered (no cached vectors).
    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor
    from advisor.retrieval.embeddings import build_embeddings
    from advisor.settings import Settings

    t = time.perf_counter()
    embeddings = build_embeddings("minilm")
    embeddings.embed_query("warm up")
    load_s = time.perf_counter() - t
    adv = build_advisor(Settings(data_dir=data), embeddings=embeddings)
    adv.ask(WARM_UP, CLIENT, user=local_operator())
    t = time.perf_counter()
    adv.ask(QUESTION, CLIENT, user=local_operator())
    warm_s = time.perf_counter() - t
    floor = load_s + warm_s
    print(
        f"cold vciso ask: {cold:.2f} s; baseline: model load {load_s:.2f} s + warm answer {warm_s:.2f} s "
        f"= {floor:.2f} s; ratio {cold / floor:.2f} (target <= 1.5)"
    )


if __name__ == "__main__":
    main()
