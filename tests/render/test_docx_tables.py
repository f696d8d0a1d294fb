"""Tables written as XML: widths, ragged rows, formatted cells, long rows."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from briefing_app.document import Document, Heading, Metadata, Table, Text
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.docx_tables import column_twips

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(
    ("weights", "columns", "expected"),
    [
        ((1, 3), 2, [2500, 7500]),
        ((), 4, [2500, 2500, 2500, 2500]),
        ((1, 2), 3, [3333, 3333, 3334]),  # wrong count: equal columns
        ((1, 0, -2), 3, [3333, 3333, 3334]),  # non-positive weights: equal columns
        ((1, 1, 1), 3, [3333, 3333, 3334]),
    ],
)
def test_column_widths_fill_the_text_width(weights, columns, expected):
    assert column_twips(weights, columns, 10000) == expected


def render_table(tmp_path, table: Table):
    document = Document(Metadata(title="Tables"), (Heading(1, "T", "1", "t"), table))
    return docx.Document(str(render_docx(document, tmp_path / "t.docx")))


def test_ragged_rows_are_padded_to_the_widest(tmp_path):
    table = Table(header_rows=(("a", "b"),), rows=(("1",), ("1", "2", "3")))
    word = render_table(tmp_path, table)
    rows = word.tables[0]._tbl.findall(f"{W}tr")
    assert [len(r.findall(f"{W}tc")) for r in rows] == [3, 3, 3]
    assert len(word.tables[0]._tbl.findall(f"{W}tblGrid/{W}gridCol")) == 3


def test_formatted_cells_keep_bold_and_links(tmp_path):
    cell = (Text("Zone ", bold=True), Text("site", link="https://example.org"))
    word = render_table(tmp_path, Table(header_rows=(), rows=((cell, "plain"),)))
    tc = word.tables[0]._tbl.find(f"{W}tr/{W}tc")
    assert tc.find(f".//{W}r/{W}rPr/{W}b") is not None
    link = tc.find(f".//{W}hyperlink")
    assert word.part.rels[link.get(qn("r:id"))].target_ref == "https://example.org"


def test_short_rows_stay_whole_long_rows_may_break(tmp_path):
    long_text = "A policy objective described at length. " * 30
    table = Table(
        header_rows=(("Policy", "Objectives"),), rows=(("Short", "x"), ("Long", long_text))
    )
    rows = render_table(tmp_path, table).tables[0]._tbl.findall(f"{W}tr")
    assert rows[1].find(f"{W}trPr/{W}cantSplit") is not None
    assert rows[2].find(f"{W}trPr/{W}cantSplit") is None


def test_a_table_without_cells_writes_only_its_caption(tmp_path):
    word = render_table(tmp_path, Table(header_rows=(), rows=(), caption="Nothing yet", number=4))
    assert word.tables == []
    assert any(p.text == "Table 4 - Nothing yet" for p in word.paragraphs)


def test_header_text_colour_is_set_on_the_runs(tmp_path):
    word = render_table(tmp_path, Table(header_rows=(("Head",),), rows=(("v",),)))
    run = word.tables[0]._tbl.find(f"{W}tr/{W}tc/{W}p/{W}r")
    assert run.find(f"{W}rPr/{W}b") is not None
    assert run.find(f"{W}rPr/{W}color").get(qn("w:val")) == "FFFFFF"


def test_ten_thousand_rows_all_arrive_with_one_repeating_header(tmp_path):
    rows = tuple((f"Cluster {i}", "杭州" if i % 2 else "Ningbo", str(i)) for i in range(10_000))
    fractions = []
    table = Table(header_rows=(("Name", "City", "N"),), rows=rows, caption="Big", number=1)
    document = Document(Metadata(title="Big"), (table,))
    word = docx.Document(
        str(render_docx(document, tmp_path / "big.docx", progress=fractions.append))
    )
    trs = word.tables[0]._tbl.findall(f"{W}tr")
    assert len(trs) == 10_001
    assert sum(tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in trs) == 1
    last = [tc.xpath("string(.)") for tc in trs[-1].findall(f"{W}tc")]
    assert last == ["Cluster 9999", "杭州", "9999"]
    assert len(fractions) >= 20  # one report per chunk of rows at least


def _keeps_with_next(paragraph) -> bool:
    """keepNext set on the paragraph or on its style (or a style it is based on)."""
    if paragraph._p.find(f"{W}pPr/{W}keepNext") is not None:
        return True
    style = paragraph.style
    while style is not None:
        if style.element.find(f"{W}pPr/{W}keepNext") is not None:
            return True
        style = style.base_style
    return False


def test_caption_keeps_with_its_table_whose_rows_may_break_between_pages(tmp_path):
    rows = tuple((f"Row {n}", "short") for n in range(40))
    table = Table((("Cluster", "Detail"),), rows, caption="Clusters", number=1)
    word = render_table(tmp_path, table)
    caption = next(p for p in word.paragraphs if p.text.startswith("Table 1"))
    assert _keeps_with_next(caption)  # the caption starts the page its table starts on
    header, *body = word.tables[0].rows
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on each page
    # Body rows do not chain to one another, so Word may break the table
    # between any two rows instead of moving it whole.
    assert not any(
        _keeps_with_next(p) for row in body for cell in row.cells for p in cell.paragraphs
    )
