"""E-mail messages (.eml): the subject is the heading, sender/recipients/date a paragraph, then the body
(text/plain preferred, else the HTML part's text); attachments are listed by name, not read."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.headings import lines_to_blocks
from ingest.types import Block, LoadedDocument, Page


def load_eml(path: Path, data: bytes) -> LoadedDocument:
    name = str(path)
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception:  # the email package raises several types for malformed input
        raise IngestError(name, "not a valid e-mail message (.eml): its headers cannot be read") from None
    if not (msg["From"] or msg["Subject"] or msg["Date"]):
        raise IngestError(name, "not a valid e-mail message (.eml): it has no From, Subject or Date header")
    subject = " ".join(str(msg["Subject"] or "").split()) or path.stem
    blocks = [Block("heading", subject, 1)]
    header = "; ".join(
        f"{k}: {' '.join(str(msg[k]).split())}" for k in ("From", "To", "Cc", "Date") if msg[k]
    )
    if header:
        blocks.append(Block("paragraph", header))
    body = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = body.get_content()
        if body.get_content_subtype() == "html":
            from bs4 import BeautifulSoup

            text = BeautifulSoup(text, "html.parser").get_text("\n")
    blocks.extend(lines_to_blocks(text.replace("\r", "").split("\n")))
    attachments = [filename for a in msg.iter_attachments() if (filename := a.get_filename())]
    if attachments:
        blocks.append(Block("paragraph", "Attachments (not read): " + ", ".join(attachments)))
    return LoadedDocument(name, subject, (Page(None, tuple(blocks)),))
