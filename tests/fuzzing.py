"""Mutation fuzzing of the loaders: small valid seed files of every format, byte-level and zip-member
mutations, and a run that sorts every mutant into ingested / failed with a clear reason / failed with a
generic reason (a parser exception turned into one) / hung / crashed. Used by ``benchmarks/fuzz.py``
(thousands of mutants per format) and ``tests/test_fuzz.py`` (a few, in CI).

A mutant "crashed" when anything other than an :class:`IngestError` escapes parsing, chunking or
injection detection; it "hung" when the sandbox stopped it at its time limit.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.errors import IngestError
from ingest.injection import find_injection
from ingest.limits import ParseLimits
from ingest.sandbox import parse

FORMATS = (".pdf", ".docx", ".xlsx", ".pptx", ".html", ".md")
_TEXT = (
    "Access control policy. Passwords must be at least 12 characters long. Multi-factor authentication "
    "is required for remote access. Backups run nightly and are kept for 35 days."
)


def seeds(folder: Path) -> dict[str, bytes]:
    """One small valid file per format, written with the usual libraries."""
    from docx import Document
    from fpdf import FPDF
    from openpyxl import Workbook
    from pptx import Presentation

    out: dict[str, bytes] = {}
    pdf = FPDF()
    for n in range(2):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, f"{n + 1}. Section", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, _TEXT)
    out[".pdf"] = bytes(pdf.output())
    doc = Document()
    doc.add_heading("Access Control Policy", 1)
    doc.add_paragraph(_TEXT)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(1, 0).text, table.cell(1, 1).text = (
        "Control",
        "Owner",
        "MFA",
        "IT",
    )
    buf = io.BytesIO()
    doc.save(buf)
    out[".docx"] = buf.getvalue()
    wb = Workbook()
    ws = wb.active
    ws.append(["Risk", "Owner", "Likelihood"])
    ws.append(["Ransomware", "CISO", "High"])
    ws.append(["Vendor breach", "CFO", "Medium"])
    buf = io.BytesIO()
    wb.save(buf)
    out[".xlsx"] = buf.getvalue()
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Security programme"
    slide.placeholders[1].text = _TEXT
    buf = io.BytesIO()
    deck.save(buf)
    out[".pptx"] = buf.getvalue()
    out[".html"] = (
        f"<!doctype html><html><head><title>Policy</title></head><body><h1>Policy</h1><p>{_TEXT}</p>"
        "<table><tr><th>Control</th><th>Owner</th></tr><tr><td>MFA</td><td>IT</td></tr></table>"
        "</body></html>"
    ).encode()
    out[".md"] = (
        f"# Policy\n\n## Access\n\n{_TEXT}\n\n| Control | Owner |\n|---|---|\n| MFA | IT |\n".encode()
    )
    return out


def mutate(data: bytes, rng: random.Random, *, zip_members: bool) -> bytes:
    """One mutant: for zip formats half the time a mutation inside one member (re-zipped, so the parser
    sees damaged XML rather than only a damaged archive), else 1-8 byte-level edits."""
    if zip_members and rng.random() < 0.5:
        try:
            src = zipfile.ZipFile(io.BytesIO(data))
            names = src.namelist()
            victim = rng.choice(names)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
                for name in names:
                    body = src.read(name)
                    dst.writestr(name, _edit_bytes(body, rng) if name == victim else body)
            return buf.getvalue()
        except (zipfile.BadZipFile, KeyError, ValueError):
            pass
    return _edit_bytes(data, rng)


def _edit_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            b += bytes([rng.randrange(256)])
            continue
        op = rng.randrange(7)
        i = rng.randrange(len(b))
        if op == 0:  # flip bits
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # random byte
            b[i] = rng.randrange(256)
        elif op == 2:  # insert interesting bytes
            b[i:i] = rng.choice(
                [
                    b"\x00",
                    b"\xff\xfe",
                    b"<",
                    b">",
                    b"&",
                    b"]]>",
                    b"<<",
                    b"obj",
                    b"endobj",
                    b"\xe2\x80\xae",
                    b"9" * rng.randint(1, 12),
                    b"-1",
                    b"%PDF-",
                    b"PK\x03\x04",
                ]
            )
        elif op == 3:  # delete a range
            del b[i : i + rng.randint(1, 64)]
        elif op == 4:  # duplicate a range
            j = min(len(b), i + rng.randint(1, 256))
            b[i:i] = b[i:j] * rng.randint(1, 4)
        elif op == 5:  # truncate
            del b[rng.randrange(len(b)) :]
        else:  # swap two ranges' bytes
            j = rng.randrange(len(b))
            b[i], b[j] = b[j], b[i]
    return bytes(b)


@dataclass
class FuzzReport:
    counts: dict[str, Counter] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, fmt: str, outcome: str, detail: str = "") -> None:
        self.counts.setdefault(fmt, Counter())[outcome] += 1
        if outcome in ("crashed", "hung") and len(self.crashes) < 50:
            self.crashes.append(f"{fmt} {outcome}: {detail}")

    def table(self) -> str:
        cols = ("ingested", "failed-clearly", "failed-generic", "hung", "crashed")
        lines = [f"{'format':<7}" + "".join(f"{c:>16}" for c in cols) + f"{'total':>8}"]
        for fmt, c in self.counts.items():
            lines.append(f"{fmt:<7}" + "".join(f"{c[k]:>16}" for k in cols) + f"{sum(c.values()):>8}")
        return "\n".join(lines)


def run(
    per_format: int,
    *,
    seed: int = 13,
    limits: ParseLimits | None = None,
    isolate: bool = True,
    formats: tuple[str, ...] = FORMATS,
) -> FuzzReport:
    """Parse, chunk and scan ``per_format`` mutants of each format's seed; every outcome is counted."""
    limits = limits or ParseLimits(timeout_s=20.0, memory_mb=1024)
    rng = random.Random(seed)
    report = FuzzReport()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = seeds(folder)
        for fmt in formats:
            for k in range(per_format):
                data = mutate(base[fmt], rng, zip_members=fmt in (".docx", ".xlsx", ".pptx"))
                path = folder / f"mutant-{k}{fmt}"
                path.write_bytes(data)
                report.add(fmt, *_outcome(path, limits, isolate))
                path.unlink()
    report.seconds = time.perf_counter() - t0
    return report


def _outcome(path: Path, limits: ParseLimits, isolate: bool) -> tuple[str, str]:
    try:
        doc = parse(path, max_bytes=25 * 2**20, limits=limits, isolate=isolate)
        chunk_document(
            doc,
            client="fuzz",
            source=path.name,
            doc_type="other",
            sha256="0" * 64,
            ingested_at="2026-01-01T00:00:00+00:00",
            max_chars=1000,
        )
        find_injection("\n".join(p.text for p in doc.pages))
        return "ingested", ""
    except IngestError as exc:
        reason = exc.reason or ""
        if "longer than" in reason:
            return "hung", reason
        if "Traceback" in reason or not reason.strip():
            return "crashed", reason
        return (
            "failed-generic" if reason.startswith("could not read this file (") else "failed-clearly"
        ), reason
    except Exception as exc:  # noqa: BLE001 — exactly what the fuzzer looks for
        return "crashed", f"{type(exc).__name__}: {exc}"[:200]
