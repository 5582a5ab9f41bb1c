"""Each font of a PDF parsed once per document, not once per page.

pypdf's ``PageObject.extract_text`` builds a ``Font`` (encoding, /ToUnicode character map, widths) for
every font of the page, on every page: a report whose pages share a few embedded fonts with large
/ToUnicode maps spends most of its parsing time decoding the same maps again (57 s of the 67 s pypdf
took, under the profiler, on the 76-page CISA CyHy sample report).

Inside :func:`fonts_parsed_once`, the ``Font`` that pypdf's page module builds is remembered per font
dictionary (pypdf hands out one object per indirect reference of a document) and each page gets a copy
of it (pypdf sets a copy's space width; it changes nothing else). The result is the same ``Font``: it
depends only on the font dictionary. Outside the block, and in other threads, pypdf works as before.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()
_install_lock = threading.Lock()
_installed = False


@contextmanager
def fonts_parsed_once() -> Iterator[None]:
    """Within this block, in this thread, pypdf parses each font dictionary once."""
    _install()
    _local.fonts = {}
    try:
        yield
    finally:
        _local.fonts = None


def _install() -> None:
    """Replace the ``Font`` class pypdf's page module uses by a subclass whose ``from_font_resource``
    consults the block's memory (once per process; a no-op outside the block)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        import pypdf._page as page_module

        _installed = True
        base: Any = getattr(page_module, "Font", None)
        if base is None or not hasattr(base, "from_font_resource"):
            return  # a pypdf without this hook (before 7): fonts are parsed per page, as pypdf does

        class _FontOncePerDocument(base):
            @classmethod
            def from_font_resource(cls, pdf_font_dict: Any) -> Any:  # noqa: ANN401 - pypdf's types
                fonts: dict[int, tuple[Any, Any]] | None = getattr(_local, "fonts", None)
                if fonts is None:
                    return base.from_font_resource(pdf_font_dict)
                known = fonts.get(id(pdf_font_dict))
                if known is None or known[0] is not pdf_font_dict:
                    known = fonts[id(pdf_font_dict)] = (pdf_font_dict, base.from_font_resource(pdf_font_dict))
                return copy.copy(known[1])

        page_module.Font = _FontOncePerDocument  # type: ignore[misc]
