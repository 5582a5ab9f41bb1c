"""What each page of a PDF draws, read with pypdfium2 (C, a few milliseconds per page) so that the costly
pdfplumber layout pass runs only on the pages that need it.

For every page, :func:`survey` reports:

- ``image_share``: the largest share of the page covered by one image (images inside form XObjects
  included, placed with the forms' matrices), which makes a text-less page a scanned page;
- ``may_hold_table``: whether the page draws enough vector geometry to hold a ruled table.

The table criterion is a necessary condition for pdfplumber's default table finder (the "lines"
strategy for both directions), so skipping the other pages loses no table. That finder builds its
edges only from path objects (lines, rectangles, curves), each edge joining two consecutive points
of one path, so a path of ``n`` points gives at most ``n - 1`` edges, and a rectangle four. A table
the loader keeps has at least two rows and two columns (:func:`ingest.loaders.pdf_tables.clean_rows`),
that is four cells, whose corners need at least three distinct horizontal and three distinct vertical
edges. Six edges need at least :data:`MIN_TABLE_SEGMENTS` path points (pdfium's "segments") on the
page; a page drawing fewer (a rule under the header, a box around a note) has no table.

pdfium is not thread-safe: every use in this process goes through :data:`PDFIUM_LOCK`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

MIN_TABLE_SEGMENTS = 6
PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageSurvey:
    image_share: float  # the largest share of the page area one image covers
    may_hold_table: bool


def survey(data: bytes) -> list[PageSurvey] | None:
    """One :class:`PageSurvey` per page, or None when pypdfium2 cannot read the PDF (the caller then
    looks at every page the slow way)."""
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover - a core dependency
        return None
    with PDFIUM_LOCK:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except Exception as exc:  # damaged, or needs a password pypdf was given
            log.debug("pdfium could not open the PDF: %r", exc)
            return None
        try:
            return [_page(pdf[i]) for i in range(len(pdf))]
        except Exception as exc:  # a page pdfium cannot load
            log.debug("pdfium could not survey the PDF: %r", exc)
            return None
        finally:
            pdf.close()


def _page(page) -> PageSurvey:  # noqa: ANN001 - a pypdfium2 PdfPage
    import pypdfium2.raw as pdfium_c

    try:
        width, height = page.get_size()
        area = float(width * height) or 1.0
        segments = 0
        largest = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                segments += max(0, pdfium_c.FPDFPath_CountSegments(obj.raw))
            else:
                x0, y0, x1, y1 = _page_bounds(obj)
                largest = max(largest, abs(x1 - x0) * abs(y1 - y0) / area)
        return PageSurvey(image_share=largest, may_hold_table=segments >= MIN_TABLE_SEGMENTS)
    finally:
        page.close()


def _page_bounds(obj) -> tuple[float, float, float, float]:  # noqa: ANN001 - a pypdfium2 PdfObject
    """The object's bounding box on the page: pdfium gives the bounds of an object inside a form
    XObject in the form's space, which the form object's matrix (and its parents') maps to the page."""
    box = tuple(obj.get_bounds())
    form = obj.container
    while form is not None:
        box = form.get_matrix().on_rect(*box)
        form = form.container
    return box
