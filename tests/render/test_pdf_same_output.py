"""Speed-ups of the PDF renderer change nothing a reader sees.

render_pdf pauses the cyclic garbage collector while it lays out the
document (pdf_backend.py); the same document laid out with the collector
running gives the same pages and the same text, and the collector is left
as it was found.
"""

from __future__ import annotations

import gc

from pypdf import PdfReader

from briefing_app.render.pdf_backend import _render_pdf, prepare_pdf, render_pdf
from tests.render.test_pdf_backend import briefing


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_paused_collector_gives_the_same_pages_and_text(tmp_path):
    document = briefing()
    render_pdf(document, tmp_path / "fast.pdf")
    assert gc.isenabled()
    _render_pdf(
        document, tmp_path / "plain.pdf", prepare_pdf(), None
    )  # collector running throughout
    fast, plain = _pages(tmp_path / "fast.pdf"), _pages(tmp_path / "plain.pdf")
    assert len(fast) == len(plain) >= 3
    assert fast == plain


def test_collector_left_as_found(tmp_path):
    document = briefing()
    gc.disable()
    try:
        render_pdf(document, tmp_path / "off.pdf")
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
    render_pdf(document, tmp_path / "on.pdf")
    assert gc.isenabled()
