"""Text made safe for XML-based exports (DOCX, XLSX): characters XML 1.0 forbids are dropped.

A cited quote may carry a control character from its document (a bell, a vertical tab, an escape);
python-docx and openpyxl refuse such text and the whole export would fail.
"""

from __future__ import annotations

import re
from typing import Any

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """``value`` without XML-invalid characters when it is a string; any other value unchanged."""
    return _XML_INVALID.sub("", value) if isinstance(value, str) else value
