"""Document-derived text is shown, never rendered: a hostile document's image, links and HTML stay dead
on the Drafts page and in a chat answer, and control characters never reach a DOCX/XLSX export."""

from __future__ import annotations

import io
import re
from pathlib import Path

from markdown_it import MarkdownIt

from advisor.drafting.document import Draft
from advisor.models import Answer, Citation

HOSTILE = (
    "Backups run nightly ![pixel](https://track.example/p.png?u=1) see [portal](https://evil.example/login) "
    "<img src=https://evil.example/x.png> <script>alert(1)</script> www.evil.example mail@evil.example "
    "[r]: https://evil.example/ref \x07\x0b\x1b end."
)
_RENDER = MarkdownIt("commonmark").enable("table")
_AUTOLINKABLE = re.compile(r"(?<!\\)(?:https?|ftp|mailto):(?!\\)|(?<![\\\w])www\.(?=\w)|(?<![\\])@\w")


def assert_dead(markdown: str) -> None:
    """Rendered by a CommonMark renderer the Markdown holds no link, image or HTML element, and nothing a
    GFM renderer (Streamlit's) would turn into a bare-URL or e-mail link."""
    html = _RENDER.render(markdown)
    assert not re.search(r"<(a|img|script)\b", html), html
    assert not _AUTOLINKABLE.search(markdown), markdown


def _citation() -> Citation:
    return Citation(1, "c1", "Hostile.md", "Hostile", None, "1 Backups", "meridian-health", HOSTILE, "policy")


def test_drafts_page_shows_a_hostile_quote_as_text(tmp_path: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from advisor.access.policy import local_operator
    from advisor.db import open_database
    from advisor.drafting.store import DraftStore
    from advisor.settings import Settings

    settings = Settings(data_dir=tmp_path, embedding="fake")
    draft = Draft(
        kind="policy",
        type="access-control",
        client="meridian-health",
        title="Backup Policy",
        text=f"# Backup Policy\n\n- {HOSTILE} [1]\n",
        citations=(_citation(),),
    )
    DraftStore(open_database(settings)).create(draft, "alice", user=local_operator())
    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.drafts as page
adv = build_advisor(Settings(data_dir=Path({str(tmp_path)!r}), embedding="fake"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User("bob", "consultant", ("meridian-health",)), users))
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("track.example" in s for s in shown)  # the quote is there ...
    for value in shown:
        assert_dead(value)  # ... and nothing of it is live


def test_chat_answer_markdown_keeps_a_hostile_quote_dead() -> None:
    from ui.export import answer_markdown, escape_md

    answer = Answer(
        text=f"{HOSTILE} [1]",
        citations=(_citation(),),
        abstained=False,
        audience="consultant",
        backend="extractive",
        client="meridian-health",
        question="q",
    )
    assert_dead(answer_markdown(answer.text, anchor_prefix="src-0").replace("](#src-0-1)", ""))
    assert_dead(escape_md(HOSTILE))


def test_answer_docx_export_strips_xml_invalid_characters() -> None:
    from docx import Document

    from ui.export import to_docx

    answer = Answer(
        text=f"{HOSTILE} [1]",
        citations=(_citation(),),
        abstained=False,
        audience="consultant",
        backend="extractive",
        client="meridian-health",
        question="Backups\x07?",
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(answer))).paragraphs)
    assert "Backups run nightly" in text and "\x07" not in text


def test_exports_strip_xml_invalid_characters() -> None:
    from docx import Document

    from advisor.drafting.export import to_docx

    data = to_docx(f"# Backup Policy\n\n- {HOSTILE} [1]\n", (_citation(),))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Backups run nightly" in text and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_gap_export_strips_xml_invalid_characters(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from advisor.assessment.export import to_xlsx
    from advisor.assessment.gaps import GapItem, GapReport

    item = GapItem(
        id="164.308(a)(7)",
        title="Contingency plan",
        group="164.308",
        group_title="Administrative",
        status="covered",
        confidence=0.9,
        evidence=({"n": 1, "source": "Hostile.md", "quote": HOSTILE, "page": None, "section": None},),
        findings=(),
    )
    counts = {"covered": 1, "partial": 0, "missing": 0, "not_applicable": 0, "total": 1, "coverage_pct": 100}
    report = GapReport(
        framework="hipaa",
        client="meridian-health",
        items=(item,),
        summary={
            "framework_title": "HIPAA",
            "group_by": "section",
            "overall": counts,
            "groups": [{"group": "164.308", "title": "Administrative", **counts}],
        },
    )
    out = tmp_path / "gaps.xlsx"
    to_xlsx(report, out)
    cells = [str(c.value) for row in load_workbook(out)["Requirements"].iter_rows() for c in row if c.value]
    assert any("Backups run nightly" in c for c in cells)
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", c) for c in cells)
