"""A bounded fuzz run in CI (the benchmark runs 2,000 mutants per format): every mutant of every format
ingests or fails alone with a reason; none crashes or hangs, and the worker survives them all."""

from __future__ import annotations

import random

import pytest

from tests.fuzzing import FORMATS, mutate, run


def test_mutations_change_the_file_and_are_reproducible() -> None:
    data = b"%PDF-1.4 hello world " * 20
    a = [mutate(data, random.Random(5), zip_members=False) for _ in range(3)]
    assert a[0] == a[1] == a[2] and a[0] != data


@pytest.mark.slow
def test_bounded_fuzz_run_has_no_crash_and_no_hang() -> None:
    report = run(12, seed=7)
    print("\n" + report.table())
    assert set(report.counts) == set(FORMATS)
    for _fmt, counts in report.counts.items():
        assert sum(counts.values()) == 12
        assert counts["crashed"] == 0 and counts["hung"] == 0, report.crashes
