"""Where tables break across PDF pages: real files read back with pypdf.

A table that does not fit the rest of a page starts there, its caption and
header kept with its first rows, and goes on with the header repeated; only a
tiny table moves whole. Either way, no table leaves more than a quarter of a
page blank before it.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from briefing_app.document import Document, Heading, Metadata, Paragraph, Table, Text
from briefing_app.render.pdf_backend import render_pdf

FILLER = "Filler line {n} keeps the page busy."
TALL_CELL = " ".join(["Cooperation between firms and research bodies on shared pilots;"] * 4)


def _document(filler: int, rows: tuple, caption: str = "Clusters at a glance") -> Document:
    blocks = [Heading(1, "Clusters", "1", "clusters")]
    blocks += [Paragraph((Text(FILLER.format(n=n)),)) for n in range(filler)]
    blocks.append(Table((("Cluster", "Detail"),), rows, caption=caption, number=1))
    blocks.append(Paragraph((Text("Closing words after the table."),)))
    return Document(Metadata(title="Breaks"), tuple(blocks))


def _lines(page) -> list[tuple[float, str]]:
    """(baseline height, text) of each piece of text on ``page``."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def _layout(tmp_path, filler: int, rows: tuple) -> list[list[tuple[float, str]]]:
    path = render_pdf(_document(filler, rows), tmp_path / f"breaks{filler}.pdf")
    reader = PdfReader(str(path))
    # The cover is page 1; the footer ("Page n of m") is not body text.
    return [[(y, t) for y, t in _lines(p) if not t.startswith("Page ")] for p in reader.pages[1:]]


def _page_of(pages, needle: str) -> int:
    return next(i for i, lines in enumerate(pages) if any(needle in t for _, t in lines))


def _lowest(lines) -> float:
    return min(y for y, _ in lines)


def _frame(tmp_path) -> tuple[float, float]:
    """Lowest and highest body baselines on a page full of filler."""
    pages = _layout(tmp_path, 120, (("Row 00", "x"),))
    full = pages[1]
    return _lowest(full), max(y for y, _ in full)


@pytest.mark.parametrize("kind", ["one-line rows", "tall rows"])
def test_a_table_leaves_at_most_a_quarter_page_blank_and_starts_with_its_caption(tmp_path, kind):
    detail = "short" if kind == "one-line rows" else TALL_CELL
    rows = tuple((f"Row {n:02d}", detail) for n in range(14))
    bottom, top = _frame(tmp_path)
    quarter = (top - bottom) / 4
    # Filler ending at many heights, so the table meets the page end everywhere.
    for filler in range(18, 36):
        pages = _layout(tmp_path, filler, rows)
        caption_page = _page_of(pages, "Table 1")
        assert caption_page == _page_of(pages, "Row 00"), (filler, "caption apart from row 1")
        before = pages[caption_page]
        if not any("Filler" in t for _, t in before):
            # The table moved on: the page it left holds the filler's end.
            blank = _lowest(pages[caption_page - 1]) - bottom
            assert blank <= quarter, (filler, kind, round(blank), round(quarter))
        spanned = [i for i, lines in enumerate(pages) if any("Row " in t for _, t in lines)]
        for i in spanned:  # the header row repeats on every page the table spans
            assert any(t == "Cluster" for _, t in pages[i]), (filler, i)
        printed = [t for i in spanned for _, t in pages[i] if t.startswith("Row ")]
        assert printed == [f"Row {n:02d}" for n in range(14)]
        for i in spanned:  # never a single row alone on a page
            assert sum(t.startswith("Row ") for _, t in pages[i]) >= 2, (filler, i)


def test_a_tiny_table_moves_whole_with_its_caption(tmp_path):
    rows = tuple((f"Row {n:02d}", "short") for n in range(4))
    stays_seen = moved_seen = False
    for filler in range(26, 36):
        pages = _layout(tmp_path, filler, rows)
        row_pages = {_page_of(pages, f"Row {n:02d}") for n in range(4)}
        assert len(row_pages) == 1, (filler, row_pages)
        assert _page_of(pages, "Table 1") in row_pages
        if _page_of(pages, "Filler line 0") != row_pages.pop():
            moved_seen = True
        else:
            stays_seen = True
    assert moved_seen and stays_seen  # the sweep met the page end


def test_a_heading_starts_its_long_paragraph_on_the_page_instead_of_moving_on(tmp_path):
    long_text = " ".join(f"Longword{n}" for n in range(400))  # about thirty lines
    bottom, top = _frame(tmp_path)
    quarter = (top - bottom) / 4
    for filler in range(22, 34):
        blocks = [Heading(1, "Clusters", "1", "clusters")]
        blocks += [Paragraph((Text(FILLER.format(n=n)),)) for n in range(filler)]
        blocks += [Heading(2, "Next part", "1.1", "next"), Paragraph((Text(long_text),))]
        path = render_pdf(Document(Metadata(title="Breaks"), tuple(blocks)), tmp_path / "h.pdf")
        pages = [
            [(y, t) for y, t in _lines(p) if not t.startswith("Page ")]
            for p in PdfReader(str(path)).pages[1:]
        ]
        heading = _page_of(pages, "Next part")
        assert heading == _page_of(pages, "Longword0"), filler  # never alone
        if heading > 0:
            blank = _lowest(pages[heading - 1]) - bottom
            assert blank <= quarter, (filler, round(blank), round(quarter))
