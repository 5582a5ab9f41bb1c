"""The real-world dataset: questions about documents nobody on this project wrote.

The documents live outside the repository, in ``../shared/realworld/`` beside the checkout (CI has
it there too): they are read in place, never copied. Each client of the dataset is one folder:

    cisa-samples  ->  ../shared/realworld/cisa-ncats-sample-reports/  (CISA's sample assessment reports)

Records (``evals/datasets/realworld.jsonl``, model ``evals.datasets.RealWorldQuestion``) are either
answerable (gold file + physical 1-based page, and the facts the answer must state) or not (a
``reason`` why no document answers it; the right answer is an abstention).
"""

from __future__ import annotations

import os
from pathlib import Path

from evals.datasets import REPO_ROOT

REALWORLD_DIR = Path(os.environ.get("VCISO_REALWORLD_DIR", REPO_ROOT.parent / "shared" / "realworld"))
CLIENT_FOLDERS = {"cisa-samples": "cisa-ncats-sample-reports"}


def folder(client: str, root: Path = REALWORLD_DIR) -> Path:
    return Path(root) / CLIENT_FOLDERS[client]


def files(client: str, root: Path = REALWORLD_DIR) -> list[Path]:
    """The client's documents, read in place. Raises FileNotFoundError when the shared folder is absent."""
    where = folder(client, root)
    if not where.is_dir():
        raise FileNotFoundError(
            f"real-world documents not found at {where} (expected ../shared/realworld "
            "beside the checkout, or set VCISO_REALWORLD_DIR)"
        )
    return sorted(
        p for p in where.iterdir() if p.is_file() and p.suffix.lower() != ".md" and not p.name.startswith(".")
    )
