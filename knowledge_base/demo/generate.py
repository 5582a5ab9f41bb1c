"""Generate the two fictional demo clients, their eval facts and FACTS.md.

    python knowledge_base/demo/generate.py [--out DIR]

Writes DIR/meridian-health/, DIR/ledgerly/, DIR/facts.jsonl and DIR/FACTS.md (DIR defaults to the
folder of this script). Output is deterministic: running it twice gives the same bytes.

Each fact's page is computed from the generated PDF (the page that contains every fact string and
the section heading), and every fact is checked against the generated text before it is written.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep the data folder free of __pycache__
sys.path.insert(0, str(HERE))

import ledgerly_policy  # noqa: E402
import ledgerly_records  # noqa: E402
import ledgerly_resilience  # noqa: E402
import meridian_assessment  # noqa: E402
import meridian_policy  # noqa: E402
import meridian_prior  # noqa: E402
import meridian_records  # noqa: E402
import renderers as r  # noqa: E402

MERIDIAN = "meridian-health"
LEDGERLY = "ledgerly"

# Words that must not appear in any demo document: the eval asks about cyber insurance as a
# question that neither client's documents can answer.
FORBIDDEN = re.compile(r"insur|underwrit", re.IGNORECASE)


def _on(day: str) -> datetime:
    """A fixed document date (09:00 UTC), used as creation date and ZIP entry time."""
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=timezone.utc)


def build(out: Path) -> dict[str, list[Path]]:
    m, ld = out / MERIDIAN, out / LEDGERLY
    written: dict[str, list[Path]] = {MERIDIAN: [], LEDGERLY: []}

    def add(client: str, path: Path) -> None:
        written[client].append(path)

    # ------------------------------------------------------------------ Meridian Family Health
    p = m / "Information_Security_Policy.pdf"
    r.write_pdf(p, meridian_policy.POLICY_PAGES, title="Information Security Policy",
                author="Dana Whitfield", header="Meridian Family Health | Policy ISP-001 | Internal",
                footer="Meridian Family Health", created=_on("2026-02-18"))
    add(MERIDIAN, p)
    p = m / "HIPAA_Risk_Assessment_2026.pdf"
    r.write_pdf(p, meridian_assessment.ASSESSMENT_PAGES, title="HIPAA Security Risk Assessment 2026",
                author="Karen Liu", header="Report NAP-MFH-2026-01 | Confidential",
                footer="Prepared for Meridian Family Health", created=_on("2026-03-16"))
    add(MERIDIAN, p)
    p = m / "HIPAA_Risk_Assessment_2025.pdf"
    r.write_pdf(p, meridian_prior.PRIOR_PAGES, title="HIPAA Security Review 2025 (prior year)",
                author="Karen Liu", header="Report NAP-MFH-2025-01 | Prior year | Confidential",
                footer="Prepared for Meridian Family Health", created=_on(meridian_prior.REPORT_DATE))
    add(MERIDIAN, p)
    p = m / "Vendor_Register.docx"
    r.write_docx(p, meridian_records.VENDOR_BLOCKS, title="Vendor Register", author="Luis Ortega",
                 created=_on("2026-04-24"))
    add(MERIDIAN, p)
    p = m / "Risk_Register.xlsx"
    r.write_xlsx(p, [("Risk Register", meridian_records.RISK_HEADERS, meridian_records.RISKS),
                     ("Scoring", meridian_records.SCORING_HEADERS, meridian_records.SCORING)],
                 title="Risk Register", author="Dana Whitfield", created=_on("2026-04-24"))
    add(MERIDIAN, p)
    p = m / "Incident_Response_Plan.docx"
    r.write_docx(p, meridian_records.IRP_BLOCKS, title="Incident Response Plan", author="Dana Whitfield",
                 created=_on("2026-01-15"))
    add(MERIDIAN, p)
    p = m / "Tabletop_Exercise_2026-05.md"
    r.write_markdown(p, meridian_records.TABLETOP_BLOCKS)
    add(MERIDIAN, p)
    p = m / "Board_Meeting_Minutes_2026-Q2.txt"
    r.write_text(p, meridian_records.MINUTES, "cp1252")
    add(MERIDIAN, p)
    p = m / "Acceptable_Use_Policy.html"
    r.write_html(p, meridian_policy.AUP_BLOCKS, title="Acceptable Use Policy - Meridian Family Health")
    add(MERIDIAN, p)

    # ------------------------------------------------------------------------ Ledgerly Payments
    p = ld / "Security_Policy.pdf"
    r.write_pdf(p, ledgerly_policy.POLICY_PAGES, title="Security Policy", author="Raj Patel",
                header="Ledgerly Payments B.V. | SEC-POL-01 | Internal", footer="Ledgerly Payments",
                page_format="A4", created=_on("2026-01-20"))
    add(LEDGERLY, p)
    p = ld / "PCI_Internal_Audit_2026.pdf"
    r.write_pdf(p, ledgerly_records.AUDIT_PAGES, title="PCI DSS Internal Audit 2026",
                author="Hannah Berg", header="Ledgerly Internal Audit | IA-2026-02 | Confidential",
                footer="Ledgerly Payments", page_format="A4",
                created=_on("2026-04-24"))
    add(LEDGERLY, p)
    p = ld / "Subprocessor_List.docx"
    r.write_docx(p, ledgerly_records.SUBPROCESSOR_BLOCKS, title="GDPR Sub-processor List",
                 author="Sofie Jansen", created=_on("2026-03-15"))
    add(LEDGERLY, p)
    p = ld / "Incident_Response_Runbook.md"
    r.write_markdown(p, ledgerly_records.RUNBOOK_BLOCKS)
    add(LEDGERLY, p)
    p = ld / "Data_Retention_Schedule.html"
    r.write_html(p, ledgerly_records.RETENTION_BLOCKS, title="Data Retention Schedule - Ledgerly Payments")
    add(LEDGERLY, p)
    p = ld / "Risk_Register.csv"
    r.write_csv(p, ledgerly_records.RISK_HEADERS, ledgerly_records.RISKS)
    add(LEDGERLY, p)
    p = ld / "ICT_Third_Party_Register.docx"
    r.write_docx(p, ledgerly_resilience.REGISTER_BLOCKS, title="Register of ICT Third-Party Service Providers",
                 author="Pieter Bakker", created=_on("2025-06-30"))
    add(LEDGERLY, p)
    p = ld / "Incident_Classification_Procedure.docx"
    r.write_docx(p, ledgerly_resilience.CLASSIFICATION_BLOCKS, title="ICT Incident Classification Procedure",
                 author="Raj Patel", created=_on("2026-03-30"))
    add(LEDGERLY, p)
    return written


# ------------------------------------------------------------------------------- text extraction

def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def document_pages(path: Path) -> list[str]:
    """Whitespace-normalised text: one string per PDF page, a single string for other formats."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader
        return [normalise(page.extract_text() or "") for page in PdfReader(str(path)).pages]
    if suffix == ".docx":
        from docx import Document
        doc = Document(str(path))
        parts = [para.text for para in doc.paragraphs]
        for table in doc.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        return [normalise("\n".join(parts))]
    if suffix == ".xlsx":
        from openpyxl import load_workbook
        wb = load_workbook(str(path), read_only=True)
        parts = [" | ".join("" if v is None else str(v) for v in row)
                 for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
        return [normalise("\n".join(parts))]
    raw = path.read_bytes()
    text = raw.decode("cp1252") if suffix == ".txt" else raw.decode("utf-8")
    if suffix in (".html", ".htm"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [normalise(text)]


# ------------------------------------------------------------------------------------- the facts

def resolve_facts(out: Path) -> list[dict]:
    specs = [(MERIDIAN, f) for f in meridian_policy.FACTS + meridian_assessment.FACTS
             + meridian_records.FACTS]
    specs += [(LEDGERLY, f) for f in ledgerly_policy.FACTS + ledgerly_records.FACTS + ledgerly_resilience.FACTS]
    cache: dict[Path, list[str]] = {}
    rows = []
    for client, (question, file, section, facts) in specs:
        path = out / client / file
        pages = cache.setdefault(path, document_pages(path))
        wanted = [normalise(s) for s in facts] + [normalise(section)]
        hits = [i for i, text in enumerate(pages, start=1) if all(w in text for w in wanted)]
        if len(hits) != 1:
            raise SystemExit(f"fact {question!r} ({client}/{file}, {section!r}): "
                             f"expected one page with all facts and the section, found {hits}")
        page = hits[0] if path.suffix.lower() == ".pdf" else None
        rows.append({"client": client, "question": question, "file": file, "page": page,
                     "section": section, "facts": facts})
    return rows


def check_documents(written: dict[str, list[Path]]) -> None:
    for paths in written.values():
        for path in paths:
            for text in document_pages(path):
                hit = FORBIDDEN.search(text)
                if hit:
                    raise SystemExit(f"{path.name} mentions {hit.group(0)!r}; the demo must not")


def write_facts(out: Path, rows: list[dict]) -> None:
    with (out / "facts.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    import facts_summary
    (out / "FACTS.md").write_text(facts_summary.render(rows), encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    written = build(out)
    check_documents(written)
    rows = resolve_facts(out)
    write_facts(out, rows)
    counts = {c: sum(1 for row in rows if row["client"] == c) for c in written}
    print(f"wrote {sum(len(v) for v in written.values())} documents and {len(rows)} facts "
          f"({', '.join(f'{c}: {n}' for c, n in counts.items())}) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
