"""The CI gate's comparison of a run's metrics with the baseline: which metrics got worse beyond their
tolerance. Pure functions: no I/O, no project imports, deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

_EPSILON = 1e-9


@dataclass(frozen=True)
class Regression:
    """A metric that got worse than the baseline by more than its tolerance (or went missing)."""

    system: str
    metric: str
    baseline: float
    current: float | None  # None: the metric (or the whole system) is missing from current
    tolerance: float
    higher_is_better: bool


def _is_latency(metric: str) -> bool:
    return "latency" in metric.casefold()


def regressions(
    current: Mapping[str, Mapping[str, float]],
    baseline: Mapping[str, Mapping[str, float]],
    tolerances: Mapping[str, float],
    higher_is_better: Mapping[str, bool],
) -> list[Regression]:
    """Compare current[system][metric] to baseline[system][metric] for every baseline entry.

    A metric regresses when it is worse by more than its tolerance (absolute, default 0.0):
    higher is better: baseline − current > tolerance + 1e-9; lower is better:
    current − baseline > tolerance + 1e-9 (the 1e-9 absorbs float noise, so 0.8 → 0.7 with
    tolerance 0.1 passes). higher_is_better defaults to True, except False for latency metrics.
    A metric, or a whole system, missing from current (or NaN there) is a regression with
    current=None. Latency metrics ("latency" in the name) are skipped unless they have a
    tolerance. Baseline NaNs are skipped; metrics only in current are ignored (new metrics).
    Negative tolerances raise ValueError. Result sorted by (system, metric).
    """
    for metric, tolerance in tolerances.items():
        if tolerance < 0:
            raise ValueError(f"tolerance for {metric!r} is negative: {tolerance}")
    found = []
    for system in sorted(baseline):
        for metric in sorted(baseline[system]):
            if _is_latency(metric) and metric not in tolerances:
                continue
            base = float(baseline[system][metric])
            if math.isnan(base):
                continue
            tolerance = float(tolerances.get(metric, 0.0))
            higher = higher_is_better.get(metric, not _is_latency(metric))
            value = current.get(system, {}).get(metric)
            now = None if value is None or math.isnan(float(value)) else float(value)
            worse_by = None if now is None else (base - now if higher else now - base)
            if worse_by is None or worse_by > tolerance + _EPSILON:
                found.append(Regression(system, metric, base, now, tolerance, higher))
    return found
