"""The Iron Triangle briefing of Varnesia read as a reader reads it: charts of
counts marked in whole numbers, a map that credits only what it draws, no
concentration claimed among equal counts, counts of one to nine in words.
The built PDF and Word files are read back; the chart and map models checked."""

from __future__ import annotations

import re

import docx
import pytest
from matplotlib.figure import Figure as PlotFigure
from pypdf import PdfReader

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.reader_check import check_document
from briefing_app.document import Figure
from briefing_app.export import export_selection
from briefing_app.render import charts
from briefing_app.render.chart_cache import chart_palette
from briefing_app.render.theme import load_theme
from briefing_app.store import open_store
from tests.varnesia import varnesia_db

IRON_TRIANGLE = dict(
    country="QV",
    region="iron-triangle",
    sectors=("amber-crafts", "tidal-energy"),
    blueprint="eccp-preparatory",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reading")
    db = varnesia_db(folder)
    with open_store(db) as store:
        selection = Selection(**IRON_TRIANGLE)
        document = build_document(store, selection)
        findings = check_document(document, store, "QV")
        written = {p.suffix: p for p in export_selection(store, selection, folder, ("docx", "pdf"))}
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(written[".pdf"]).pages))
    pdf_lines = [
        line.strip()
        for p in PdfReader(written[".pdf"]).pages
        for line in p.extract_text().split("\n")
    ]
    word = docx.Document(str(written[".docx"]))
    word_text = "\n".join(p.text for p in word.paragraphs)
    return document, findings, pdf, pdf_lines, word_text


def _charts(document):
    return [b.chart for b in document.blocks if isinstance(b, Figure) and b.chart is not None]


def test_the_briefing_passes_the_reader_text_checker(built):
    assert built[1] == []


def test_charts_of_counts_have_whole_number_ticks_in_the_pdf(built):
    document, _f, _pdf, lines, _w = built
    counted = [c for c in _charts(document) if c.unit == "clusters"]
    assert counted and all(c.whole for c in counted)
    # The axis labels come back as lines of their own: none is a fraction.
    assert not [line for line in lines if re.fullmatch(r"\d+\.\d+", line)]
    assert "clusters" in lines and "2" in lines


def test_charts_of_counts_have_whole_number_ticks_in_the_pictures(built):
    """The Word/preview picture of every count chart is drawn with whole ticks."""
    palette = chart_palette(load_theme())
    for spec in _charts(built[0]):
        if not spec.whole:
            continue
        plot = PlotFigure()
        charts._draw(plot, spec, palette)
        axes = plot.axes[0]
        ticks = axes.get_xticks() if spec.kind == "barh" else axes.get_yticks()
        assert len(ticks) >= 2
        assert all(float(t).is_integer() for t in ticks), ticks


def test_no_chart_of_equal_bars_and_no_claimed_concentration(built):
    document, _f, pdf, _l, word = built
    for spec in _charts(document):
        values = {v for s in spec.series for v in s.values}
        assert len(values) > 1, spec.categories
    for text in (pdf, word):
        assert "strongest concentrations in Iron Triangle" not in text
        assert "(1), amber crafts (1)" not in text
        assert (
            "The four clusters of Iron Triangle each work in a different sector: agri-food, "
            "amber crafts, river shipbuilding and smart textiles." in re.sub(r"\s+", " ", text)
        )
        # Varnesia counted by sector: 2, 2, 1, 1 - only the two that stand out are named.
        assert "the strongest sectors of Varnesia are agri-food (2) and amber crafts (2)." in (
            re.sub(r"\s+", " ", text)
        )


def test_the_map_credits_no_outline_it_does_not_draw(built):
    document, _f, pdf, _l, word = built
    maps = [b for b in document.blocks if isinstance(b, Figure) and b.map is not None]
    assert maps  # Varnesia's areas have positions: the map is there
    assert "Natural Earth" not in pdf and "Natural Earth" not in word
    source = "".join(getattr(r, "text", "") for r in maps[0].source)
    assert source.startswith("Sources: ") and source.endswith(".") and "; ." not in source


def test_counts_of_one_to_nine_are_written_in_words(built):
    _d, _f, pdf, _l, word = built
    for text in (pdf, re.sub(r"\s+", " ", word)):
        assert (
            "has one development zone, two industrial clusters and one science and technology park"
            in text
        )
        assert "Iron Triangle has one amber crafts cluster." in text
        assert "the trade gathers in one cluster" in text
        assert "is home to four clusters, zones and parks, out of six in Varnesia" in text
        # (a chart's last tick before its axis title, "0 1 2 clusters", is no count)
        assert not re.search(r"(?<!\d )(?<![\w.])[1-9] (?:amber crafts )?clusters?\b", text)


def test_a_map_of_three_areas_reads(built, tmp_path):
    """Two areas with clusters and one selected without: every name is
    labelled, the size key has the colour of the circles drawn, the selected
    area without a cluster is ringed in the selection's colour, and the
    legend covers nothing."""
    from briefing_app.render.maps_layout import Dot, Frame, Label, layout_map
    from briefing_app.render.maps_png import _font_files, _measure
    from briefing_app.render.maps_symbols import GROUP_COLOURS

    document, _f, pdf, _l, _w = built
    spec = next(b.map for b in document.blocks if isinstance(b, Figure) and b.map is not None)
    assert len(spec.places) == 3
    measure = _measure(*_font_files(load_theme()))
    layout = layout_map(spec, 453.0, measure, max_height=425.0)
    labels = " ".join(i.text for i in layout.items if isinstance(i, Label))
    for name in ("Severna", "Yuzhna", "Vostochny", "Selected: Severna, Vostochny, Yuzhna"):
        assert name in labels and name.split(":")[0] in pdf
    frame = next(i for i in layout.items if isinstance(i, Frame))
    after = layout.items.index(frame)
    drawn = [i for i in layout.items[:after] if isinstance(i, Dot)]
    key = [i for i in layout.items[after:] if isinstance(i, Dot)]
    lit = GROUP_COLOURS[1]
    assert {d.fill for d in drawn if d.r > 5} == {lit}  # both areas with clusters are selected
    assert key[0].fill == lit  # so the size key shows that colour, not one drawn nowhere
    assert any(d.stroke == lit and d.r < 5 for d in drawn)  # Vostochny, ringed
    for dot in drawn:
        inside = frame.x <= dot.x <= frame.x + frame.w and frame.y <= dot.y <= frame.y + frame.h
        assert not inside
