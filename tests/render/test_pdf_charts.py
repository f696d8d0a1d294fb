"""Charts drawn as vectors in the PDF: labels stay text, odd data never fails."""

import pytest
from pypdf import PdfReader

from briefing_app.document import ChartSpec, Document, Figure, Metadata, Series
from briefing_app.render.chart_cache import chart_palette
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.render.pdf_charts import chart_drawing
from briefing_app.render.pdf_fonts import register_fonts
from briefing_app.render.theme import load_theme

ODD_SPECS = [
    ChartSpec("bar", (), ()),
    ChartSpec("bar", ("a", "b", "c"), (Series("short", (1,)),)),
    ChartSpec("line", ("only",), (Series("one point", (5,)),)),
    ChartSpec("barh", ("loss", "gain"), (Series("s", (-3, 2)),)),
    ChartSpec("bar", ("a", "b"), (Series("zeros", (0, 0)),)),
    ChartSpec("pie", ("a", "b"), (Series("negative", (-1, 0)),)),
    ChartSpec("pie", ("a", "b", "c"), (Series("fewer values", (1, 2)),)),
]


@pytest.mark.parametrize("kind", ["bar", "barh", "line", "pie"])
def test_chart_labels_are_text_in_the_pdf(tmp_path, kind):
    spec = ChartSpec(
        kind,
        ("杭州", "Ningbo", "Wenzhou"),
        (Series("Clusters", (4, 2, 1)),),
        title="Clusters by city",
        y_label="Count",
    )
    document = Document(Metadata(title="Charts"), (Figure("Clusters", 1, chart=spec),))
    text = PdfReader(str(render_pdf(document, tmp_path / "chart.pdf"))).pages[1].extract_text()
    assert "Wenzhou" in text and "杭州" in text and "Clusters by city" in text


def test_drawing_fills_the_size_asked_for():
    theme = load_theme()
    spec = ChartSpec("bar", ("A", "B"), (Series("x", (1, 2)), Series("y", (2, 1))))
    drawing = chart_drawing(spec, 400, 200, register_fonts(theme), chart_palette(theme))
    assert (drawing.width, drawing.height) == (400, 200)
    assert drawing.getContents()  # bars, axes and legend were added


@pytest.mark.parametrize(
    "spec", ODD_SPECS, ids=[s.series[0].name if s.series else "empty" for s in ODD_SPECS]
)
def test_odd_data_still_renders(tmp_path, spec):
    document = Document(Metadata(title="Odd"), (Figure("Odd", 1, chart=spec),))
    reader = PdfReader(str(render_pdf(document, tmp_path / "odd.pdf")))
    assert "Figure 1 - Odd" in reader.pages[1].extract_text()
