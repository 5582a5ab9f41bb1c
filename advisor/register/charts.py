"""Charts of the registers as PNG bytes (matplotlib, headless): risk heat map, open findings by severity."""

from __future__ import annotations

import io
from collections.abc import Sequence

from advisor.register.findings import SEVERITIES, Finding
from advisor.register.risks import Risk


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def heat_counts(risks: Sequence[Risk], scale: int, residual: bool = False) -> list[list[list[str]]]:
    """grid[impact-1][likelihood-1] = the refs of the risks rated there (unrated risks are left out)."""
    grid: list[list[list[str]]] = [[[] for _ in range(scale)] for _ in range(scale)]
    for r in risks:
        lik, imp = (r.residual_likelihood, r.residual_impact) if residual else (r.likelihood, r.impact)
        if lik and imp and lik <= scale and imp <= scale:
            grid[imp - 1][lik - 1].append(r.ref)
    return grid


def risk_heatmap(risks: Sequence[Risk], scale: int = 5, *, residual: bool = False, title: str = "") -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    grid = heat_counts(risks, scale, residual)
    score = np.array([[(i + 1) * (j + 1) for j in range(scale)] for i in range(scale)], dtype=float)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.imshow(score, cmap="RdYlGn_r", origin="lower", vmin=1, vmax=scale * scale, alpha=0.75)
    for i in range(scale):
        for j in range(scale):
            refs = grid[i][j]
            if refs:
                label = "\n".join(refs[:3]) + (f"\n+{len(refs) - 3}" if len(refs) > 3 else "")
                ax.text(j, i, label, ha="center", va="center", fontsize=7)
    ax.set_xticks(range(scale), [str(n) for n in range(1, scale + 1)])
    ax.set_yticks(range(scale), [str(n) for n in range(1, scale + 1)])
    ax.set_xlabel("Likelihood")
    ax.set_ylabel("Impact")
    ax.set_title(title or ("Residual risk" if residual else "Inherent risk"))
    return _png(fig)


def findings_by_severity(findings: Sequence[Finding], title: str = "Open findings by severity") -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = [sum(1 for f in findings if f.is_open and f.severity == s) for s in SEVERITIES]
    late = [sum(1 for f in findings if f.overdue() and f.severity == s) for s in SEVERITIES]
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    x = range(len(SEVERITIES))
    ax.bar([i - 0.2 for i in x], counts, width=0.4, label="open", color="#d9822b")
    ax.bar([i + 0.2 for i in x], late, width=0.4, label="overdue", color="#c23030")
    ax.set_xticks(list(x), [s.title() for s in SEVERITIES])
    ax.set_ylabel("Findings")
    ax.set_title(title)
    ax.legend()
    return _png(fig)
