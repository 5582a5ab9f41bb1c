"""Gap-analysis exports: xlsx (openpyxl), csv and Markdown. Data in, file out; no rendering elsewhere."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from advisor.assessment.gaps import GapReport
from advisor.errors import AdvisorError
from advisor.xml_text import xml_safe
from ingest.frameworks.registry import attribution_lines, gap_sets

COLUMNS = ("Group", "Id", "Title", "Status", "Confidence", "Evidence", "Findings")
_FILL = {"covered": "C6EFCE", "partial": "FFEB9C", "missing": "FFC7CE", "not_applicable": "D9D9D9"}


def _evidence(item) -> str:
    return "\n".join(
        f"[{e['n']}] {e['source']}"
        + (f" p.{e['page']}" if e.get("page") else "")
        + (f" §{e['section']}" if e.get("section") else "")
        + f": “{e['quote']}”"
        for e in item.evidence
    )


def _findings(item) -> str:
    return "\n".join(
        f"{f['id']} {f['title']} ({f.get('severity') or 'n/a'}; {f['source']}"
        + (f" p.{f['page']}" if f.get("page") else "")
        + ")"
        for f in item.findings
    )


def attribution(report: GapReport) -> str:
    """The attribution line of the framework whose requirement texts the report quotes."""
    sets = gap_sets()
    lines = attribution_lines([sets[report.framework][0].name]) if report.framework in sets else []
    return lines[0] if lines else ""


def rows(report: GapReport) -> list[list]:
    return [
        [
            xml_safe(v)
            for v in (
                f"{i.group} {i.group_title}".strip(),
                i.id,
                i.title,
                i.status,
                i.confidence,
                _evidence(i),
                _findings(i),
            )
        ]
        for i in report.items
    ]


def to_csv(report: GapReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    w.writerows(rows(report))
    return buf.getvalue()


def to_markdown(report: GapReport) -> str:
    s = report.summary
    o = s["overall"]
    lines = [
        f"# Gap analysis: {report.client} against {s['framework_title']}",
        "",
        f"Coverage {o['coverage_pct']}% — {o['covered']} covered, {o['partial']} partial, {o['missing']} "
        f"missing, {o['not_applicable']} not applicable, of {o['total']} requirements.",
        "",
        f"| {s['group_by'].title()} | Covered | Partial | Missing | N/A | Coverage |",
        "|---|---|---|---|---|---|",
    ]
    for g in s["groups"]:
        lines.append(
            f"| {g['group']} {g['title']} | {g['covered']} | {g['partial']} | {g['missing']} | "
            f"{g['not_applicable']} | {g['coverage_pct']}% |"
        )
    if attribution(report):
        lines[1:1] = [f"*Requirement texts — {attribution(report)}*", ""]
    lines += ["", "| Id | Title | Status | Confidence | Evidence | Findings |", "|---|---|---|---|---|---|"]
    for i in report.items:
        ev = "<br>".join(
            f"{e['source']}"
            + (f" p.{e['page']}" if e.get("page") else "")
            + (f" §{e['section']}" if e.get("section") else "")
            for e in i.evidence
        )
        fi = "<br>".join(f"{f['id']} {f['title']}" for f in i.findings)
        lines.append(
            f"| {i.id} | {_cell(i.title)} | {i.status} | {i.confidence:.2f} | {_cell(ev)} | {_cell(fi)} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_xlsx(report: GapReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    s = report.summary
    ws.append([f"Gap analysis: {report.client} against {s['framework_title']}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Requirement texts — {attribution(report)}" if attribution(report) else ""])
    ws.append(
        [
            s["group_by"].title(),
            "Title",
            "Covered",
            "Partial",
            "Missing",
            "Not applicable",
            "Total",
            "Coverage %",
        ]
    )
    for g in s["groups"]:
        ws.append(
            [
                g["group"],
                g["title"],
                g["covered"],
                g["partial"],
                g["missing"],
                g["not_applicable"],
                g["total"],
                g["coverage_pct"],
            ]
        )
    o = s["overall"]
    ws.append(
        [
            "Overall",
            "",
            o["covered"],
            o["partial"],
            o["missing"],
            o["not_applicable"],
            o["total"],
            o["coverage_pct"],
        ]
    )
    for cell in ws[3]:
        cell.font = Font(bold=True)
    items = wb.create_sheet("Requirements")
    items.append(list(COLUMNS))
    for cell in items[1]:
        cell.font = Font(bold=True)
    for row, item in zip(rows(report), report.items):
        items.append(row)
        items.cell(items.max_row, 4).fill = PatternFill("solid", fgColor=_FILL[item.status])
    for col, width in zip("ABCDEFG", (28, 18, 50, 14, 11, 80, 60)):
        items.column_dimensions[col].width = width
    for r in items.iter_rows(min_row=2):
        for c in r:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    items.freeze_panes = "A2"
    wb.save(path)


def write(report: GapReport, path: Path) -> Path:
    """Write ``report`` to ``path``; the format follows the suffix (.xlsx, .csv, .md)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        to_xlsx(report, path)
    elif suffix == ".csv":
        path.write_text(to_csv(report), encoding="utf-8", newline="")
    elif suffix in (".md", ".markdown"):
        path.write_text(to_markdown(report), encoding="utf-8")
    else:
        raise AdvisorError(f"cannot export to {path.name}: use .xlsx, .csv or .md")
    return path
