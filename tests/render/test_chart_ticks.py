"""Charts of counts (``ChartSpec.whole``) are marked in whole numbers, in the
PDF (read back) and in the Word/preview pictures (the matplotlib axes)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from matplotlib.figure import Figure as PlotFigure
from pypdf import PdfReader

from briefing_app.document import ChartSpec, Document, Figure, Metadata, Series
from briefing_app.render import charts
from briefing_app.render.chart_cache import chart_palette
from briefing_app.render.chart_ticks import whole_ticks
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.render.theme import load_theme

EQUALISH = ChartSpec(
    "barh", ("Belograd", "Vostochny", "Zlatomor"), (Series("Clusters", (2, 1, 1)),), unit="clusters"
)


def test_whole_ticks():
    assert whole_ticks([2, 1, 1]) == [0, 1, 2]
    assert whole_ticks([1, 1, 1, 1]) == [0, 1]
    assert whole_ticks([0, 0]) == [0, 1]
    assert whole_ticks([23, 4]) == [0, 5, 10, 15, 20, 25]
    assert whole_ticks([109, 21, 3]) == [0, 20, 40, 60, 80, 100, 120]
    assert whole_ticks([-3, 2]) == [-3, -2, -1, 0, 1, 2]
    for values in ([7], [13, 2], [250, 1], [1234567]):
        ticks = whole_ticks(values)
        assert ticks[0] <= 0 and ticks[-1] >= max(values) and len(ticks) <= 7


def _tick_lines(tmp_path, spec) -> list[str]:
    document = Document(Metadata(title="Counts"), (Figure("Counts", 1, chart=spec),))
    page = PdfReader(str(render_pdf(document, tmp_path / "c.pdf"))).pages[1].extract_text()
    return [line.strip() for line in page.split("\n") if re.fullmatch(r"[\d.,]+", line.strip())]


@pytest.mark.parametrize("kind", ["barh", "bar", "line"])
def test_pdf_marks_a_count_chart_in_whole_numbers(tmp_path, kind):
    spec = dataclasses.replace(EQUALISH, kind=kind, whole=True)
    assert _tick_lines(tmp_path, spec) == ["0", "1", "2"]
    # Without the mark, the same data gets the usual halves: the mark is what differs.
    assert "0.5" in _tick_lines(tmp_path, dataclasses.replace(spec, whole=False))


@pytest.mark.parametrize("kind", ["barh", "bar", "line"])
def test_pictures_mark_a_count_chart_in_whole_numbers(kind):
    spec = dataclasses.replace(EQUALISH, kind=kind, whole=True)
    plot = PlotFigure()
    charts._draw(plot, spec, chart_palette(load_theme()))
    axes = plot.axes[0]
    ticks = axes.get_xticks() if kind == "barh" else axes.get_yticks()
    assert list(ticks) == [0, 1, 2]
    assert (axes.get_xlim() if kind == "barh" else axes.get_ylim()) == (0, 2)
    png = charts.render_chart_png(spec)
    assert png.startswith(b"\x89PNG")
