"""Gap coverage per framework assessed: the latest finished gap-analysis job of each framework for a client
(:mod:`advisor.assessment.jobs`; its result is the `gaps --json` contract), for the portfolio and the report.

    coverage = gap_coverage(JobQueue.from_settings(settings), "meridian-health")
    coverage[0].framework, coverage[0].coverage_pct    # ("hipaa", 61.5)
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.jobs.queue import JobQueue

GAPS = "gaps"  # the job kind of advisor.assessment.jobs (not imported: it pulls in the frameworks)
SCAN = 200  # newest gap jobs of a client looked at


@dataclass(frozen=True)
class Coverage:
    """One framework's coverage: (covered + partial / 2) / applicable requirements, in percent."""

    framework: str
    title: str
    coverage_pct: float | None
    covered: int
    partial: int
    missing: int
    assessed_at: str
    job: int

    def as_json(self) -> dict:
        return {
            "framework": self.framework,
            "title": self.title,
            "coverage_pct": self.coverage_pct,
            "covered": self.covered,
            "partial": self.partial,
            "missing": self.missing,
            "assessed_at": self.assessed_at,
            "job": self.job,
        }


def gap_coverage(queue: JobQueue, client: str) -> list[Coverage]:
    """The latest finished gap analysis of each framework for ``client``, by framework id. The caller has
    checked that the user may read the client."""
    latest: dict[str, Coverage] = {}
    for job in queue.list(client=client, kind=GAPS, limit=SCAN):  # newest first
        result = job.result or {}
        if job.status != "succeeded" or not result.get("summary"):
            continue
        framework = str(result.get("framework") or job.params.get("framework", ""))
        if framework in latest:
            continue
        overall = result["summary"].get("overall", {})
        latest[framework] = Coverage(
            framework=framework,
            title=str(result["summary"].get("framework_title", framework)),
            coverage_pct=overall.get("coverage_pct"),
            covered=int(overall.get("covered", 0)),
            partial=int(overall.get("partial", 0)),
            missing=int(overall.get("missing", 0)),
            assessed_at=job.finished_at or "",
            job=job.id,
        )
    return sorted(latest.values(), key=lambda c: c.framework)
