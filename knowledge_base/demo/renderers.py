"""Render the demo documents' block model to PDF, DOCX, XLSX, HTML, Markdown and CSV.

A document is a list of blocks, each a tuple whose first item names its kind:

    ("title", text)                  document title
    ("subtitle", text)               line under the title
    ("meta", [(label, value), ...])  document-control box
    ("h1", text) / ("h2", text)      numbered headings ("4 Access Control", "4.1 Provisioning")
    ("p", text)                      paragraph
    ("bullets", [text, ...])         bulleted list
    ("table", headers, rows, widths) table; widths are relative (PDF only)

PDFs take a list of pages (each a list of blocks) so that page breaks, and hence the page on which
each fact lives, are decided by the content, never by chance. A page that overflows is an error.

Every writer is deterministic: fixed creation dates, fixed ZIP entry times, no random ids.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

FIXED_TIME = datetime(2026, 3, 1, 9, 0, 0, tzinfo=timezone.utc)

# Core PDF fonts only cover Latin-1; the PDFs are written in plain ASCII punctuation.
_PDF_SAFE = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2018": "'",
                           "\u201c": '"', "\u201d": '"', "\u2022": "-", "\u2265": ">="})


def _pdf_text(text: str) -> str:
    out = text.translate(_PDF_SAFE)
    out.encode("latin-1")  # fail loudly on anything the core fonts cannot show
    return out


# --------------------------------------------------------------------------------------------- PDF

def write_pdf(path: Path, pages: list[list[tuple]], *, title: str, author: str, header: str,
              footer: str, page_format: str = "Letter", created: datetime = FIXED_TIME) -> None:
    from fpdf import FPDF

    class _Doc(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 5, _pdf_text(header), new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(180, 180, 180)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-13)
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 5, _pdf_text(f"{footer} | Page {self.page_no()} of {{nb}}"), align="C")
            self.set_text_color(0, 0, 0)

    pdf = _Doc(format=page_format)
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_creation_date(created)
    pdf.set_title(_pdf_text(title))
    pdf.set_author(_pdf_text(author))
    pdf.set_creator("vciso knowledge_base/demo/generate.py")
    pdf.set_producer("vciso demo generator")
    for number, blocks in enumerate(pages, start=1):
        pdf.add_page()
        for block in blocks:
            _pdf_block(pdf, block)
        if pdf.page != number:
            raise ValueError(f"{path.name}: content planned for page {number} overflows onto page {pdf.page}")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def _pdf_block(pdf, block: tuple) -> None:
    kind = block[0]
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if kind == "title":
        pdf.set_font("Helvetica", "B", 17)
        pdf.multi_cell(width, 8, _pdf_text(block[1]), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif kind == "subtitle":
        pdf.set_font("Helvetica", "", 11)
        pdf.set_text_color(60, 60, 60)
        pdf.multi_cell(width, 6, _pdf_text(block[1]), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)
    elif kind == "meta":
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(col_widths=(30, 70), text_align="LEFT", first_row_as_headings=False,
                       line_height=5, padding=1) as table:
            for label, value in block[1]:
                row = table.row()
                row.cell(_pdf_text(label))
                row.cell(_pdf_text(value))
        pdf.ln(3)
    elif kind == "h1":
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12.5)
        pdf.multi_cell(width, 6.5, _pdf_text(block[1]), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif kind == "h2":
        pdf.ln(1)
        pdf.set_font("Helvetica", "B", 10.5)
        pdf.multi_cell(width, 5.5, _pdf_text(block[1]), align="L", new_x="LMARGIN", new_y="NEXT")
    elif kind == "p":
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, _pdf_text(block[1]), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    elif kind == "bullets":
        pdf.set_font("Helvetica", "", 10)
        for item in block[1]:
            pdf.set_x(pdf.l_margin + 3)
            pdf.cell(4, 5, "-")
            pdf.multi_cell(width - 7, 5, _pdf_text(item), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    elif kind == "table":
        _, headers, rows, widths = block
        pdf.set_font("Helvetica", "", 8.5)
        with pdf.table(col_widths=tuple(widths), text_align="LEFT", line_height=4.2, padding=1) as table:
            for cells in [headers, *rows]:
                row = table.row()
                for value in cells:
                    row.cell(_pdf_text(value))
        pdf.ln(3)
    else:
        raise ValueError(f"unknown block kind {kind!r}")


# -------------------------------------------------------------------------------------------- DOCX

def write_docx(path: Path, blocks: list[tuple], *, title: str, author: str,
               created: datetime = FIXED_TIME) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = created.replace(tzinfo=None)
    props.modified = created.replace(tzinfo=None)
    props.last_printed = created.replace(tzinfo=None)
    props.revision = 1
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    for block in blocks:
        kind = block[0]
        if kind == "title":
            doc.add_heading(block[1], level=0)
        elif kind == "subtitle":
            doc.add_paragraph(block[1], style="Subtitle")
        elif kind == "meta":
            _docx_table(doc, None, [list(pair) for pair in block[1]])
            doc.add_paragraph()
        elif kind == "h1":
            doc.add_heading(block[1], level=1)
        elif kind == "h2":
            doc.add_heading(block[1], level=2)
        elif kind == "p":
            doc.add_paragraph(block[1])
        elif kind == "bullets":
            for item in block[1]:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            _docx_table(doc, block[1], block[2])
            doc.add_paragraph()
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalise_zip(path, created)


def _docx_table(doc, headers: list[str] | None, rows: list[list[str]]) -> None:
    all_rows = ([headers] if headers else []) + [list(r) for r in rows]
    table = doc.add_table(rows=len(all_rows), cols=len(all_rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(all_rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            if headers and r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


# -------------------------------------------------------------------------------------------- XLSX

def write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list]]], *, title: str,
               author: str, created: datetime = FIXED_TIME) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.created = created.replace(tzinfo=None)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for idx, header in enumerate(headers):
            longest = max([len(str(header))] + [len(str(r[idx])) for r in rows])
            ws.column_dimensions[chr(ord("A") + idx)].width = min(max(10, longest + 2), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    normalise_zip(path, created)


def normalise_zip(path: Path, when: datetime = FIXED_TIME) -> None:
    """Rewrite an OOXML package with fixed entry times and a fixed modified date."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, data)
    path.write_bytes(buffer.getvalue())


# --------------------------------------------------------------------------------- HTML, MD, CSV

def write_html(path: Path, blocks: list[tuple], *, title: str) -> None:
    esc = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(title)}</title>",
           "<style>body{font-family:Segoe UI,Arial,sans-serif;max-width:60em;margin:2em auto;"
           "line-height:1.45;color:#222}table{border-collapse:collapse;margin:1em 0}"
           "th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
           "th{background:#1f4e79;color:#fff}.meta td:first-child{font-weight:bold}</style>",
           "</head>", "<body>"]
    for block in blocks:
        kind = block[0]
        if kind == "title":
            out.append(f"<h1>{esc(block[1])}</h1>")
        elif kind == "subtitle":
            out.append(f'<p class="subtitle"><em>{esc(block[1])}</em></p>')
        elif kind == "meta":
            out.append('<table class="meta">')
            out += [f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in block[1]]
            out.append("</table>")
        elif kind == "h1":
            out.append(f"<h2>{esc(block[1])}</h2>")
        elif kind == "h2":
            out.append(f"<h3>{esc(block[1])}</h3>")
        elif kind == "p":
            out.append(f"<p>{esc(block[1])}</p>")
        elif kind == "bullets":
            out.append("<ul>")
            out += [f"<li>{esc(item)}</li>" for item in block[1]]
            out.append("</ul>")
        elif kind == "table":
            out.append("<table>")
            out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in block[1]) + "</tr>")
            for row in block[2]:
                out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            out.append("</table>")
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    out += ["</body>", "</html>", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


def write_markdown(path: Path, blocks: list[tuple]) -> None:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            out += [f"# {block[1]}", ""]
        elif kind == "subtitle":
            out += [f"*{block[1]}*", ""]
        elif kind == "meta":
            out += [f"- **{k}:** {v}" for k, v in block[1]] + [""]
        elif kind == "h1":
            out += [f"## {block[1]}", ""]
        elif kind == "h2":
            out += [f"### {block[1]}", ""]
        elif kind == "p":
            out += [block[1], ""]
        elif kind == "bullets":
            out += [f"- {item}" for item in block[1]] + [""]
        elif kind == "table":
            headers, rows = block[1], block[2]
            out.append("| " + " | ".join(headers) + " |")
            out.append("|" + "|".join("---" for _ in headers) + "|")
            out += ["| " + " | ".join(row) + " |" for row in rows]
            out.append("")
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8", newline="\n")


def write_csv(path: Path, headers: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)


def write_text(path: Path, text: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
