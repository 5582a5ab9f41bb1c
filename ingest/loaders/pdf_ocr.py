"""OCR of scanned PDF pages: render the page with pypdfium2, read it with Tesseract (pytesseract).

Tesseract is a system program (Debian ``tesseract-ocr`` + ``tesseract-ocr-eng``, installed by
``make system-deps``). Without it, :func:`ocr_available` is False and the PDF loader reports the
scanned pages it could not read instead of failing.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil

log = logging.getLogger(__name__)

DPI = 300
LANGUAGE = "eng"
PAGE_TIMEOUT_S = 120
MIN_MEANINGFUL_CHARS = 40  # a page with fewer letters/digits than this (after furniture) has no real text


class OcrError(RuntimeError):
    """Tesseract failed on a page (timeout, crash, missing language data)."""


@functools.cache
def ocr_available() -> bool:
    """True when pytesseract and the ``tesseract`` program with English data are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return LANGUAGE in pytesseract.get_languages(config="")
    except Exception as exc:  # not installed, or tesseract cannot run
        log.debug("tesseract unusable: %r", exc)
        return False


def has_meaningful_text(lines: list[str]) -> bool:
    """Whether page text (running header/footer already removed) is more than a few stray characters."""
    return sum(ch.isalnum() for line in lines for ch in line) >= MIN_MEANINGFUL_CHARS


def ocr_page(data: bytes, index: int, password: str = "") -> list[str]:
    """Text lines of the 0-based page ``index`` of the PDF ``data``, read by OCR. Raises OcrError."""
    import pypdfium2
    import pytesseract

    from ingest.loaders.pdf_survey import PDFIUM_LOCK

    try:
        with PDFIUM_LOCK:  # pdfium is not thread-safe
            pdf = pypdfium2.PdfDocument(data, password=password or None)
            try:
                bitmap = pdf[index].render(scale=DPI / 72, grayscale=True)
                image = bitmap.to_pil()
            finally:
                pdf.close()
        text = pytesseract.image_to_string(image, lang=LANGUAGE, config="--psm 3", timeout=PAGE_TIMEOUT_S)
    except Exception as exc:  # rendering or tesseract failed: this page is reported, the others go on
        log.debug("OCR failed on page %d: %r", index + 1, exc)
        raise OcrError(str(exc)) from None
    return [_tidy(line) for line in text.split("\n")]


def _tidy(line: str) -> str:
    """OCR noise at line ends: stray '|' from table rules and isolated punctuation."""
    line = re.sub(r"^[|¦]\s+|\s+[|¦]$", "", line.strip())
    return "" if re.fullmatch(r"[\W_]{1,3}", line) else line
