"""Chart pictures and parsed fonts kept on disk for the next process."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from briefing_app import paths
from briefing_app.document import ChartSpec, Series
from briefing_app.render import chart_cache, font_cache


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _spec(title: str = "Clusters per province") -> ChartSpec:
    return ChartSpec(
        kind="bar",
        title=title,
        categories=("Zhejiang", "广东"),
        series=(Series("Clusters", (25.0, 12.0)),),
    )


def test_a_drawn_chart_is_found_by_a_later_process(cache_root: Path) -> None:
    from briefing_app.render.charts import render_chart_png

    png = render_chart_png(_spec())
    chart_cache.PICTURES.clear()  # what a new process has in memory
    assert chart_cache.drawn_chart_png(_spec()) == png
    assert chart_cache.drawn_chart_png(_spec("Another title")) is None


def test_a_damaged_picture_on_disk_is_drawn_again(cache_root: Path) -> None:
    png = chart_cache.chart_png(_spec("Damaged"))
    for entry in (cache_root / "charts").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"half a picture")
    chart_cache.PICTURES.clear()
    assert chart_cache.drawn_chart_png(_spec("Damaged")) is None
    assert chart_cache.chart_png(_spec("Damaged")) == png


def _font_path(name: str) -> Path:
    return paths.fonts_dir() / name


@pytest.mark.parametrize("file", ["DejaVuSans.ttf", "wqy-microhei.ttc"])
def test_a_kept_font_measures_and_covers_as_a_parsed_one(cache_root: Path, file: str) -> None:
    parsed = font_cache.load_font("Parsed", _font_path(file))
    kept = font_cache.load_font("Kept", _font_path(file))
    assert kept is not parsed and kept.fontName == "Kept"
    assert kept.face.charToGlyph == parsed.face.charToGlyph
    assert kept.face.charWidths == parsed.face.charWidths
    for text in ("Preparatory Briefing on China", "杭州 Hangzhou 1,234.5"):
        assert kept.stringWidth(text, 10) == parsed.stringWidth(text, 10)
    assert kept.face.makeSubset(list(range(32, 127))) == parsed.face.makeSubset(
        list(range(32, 127))
    )


@pytest.mark.parametrize("file", ["DejaVuSans-BoldOblique.ttf", "wqy-microhei.ttc"])
def test_what_only_a_subset_reads_is_unpickled_when_first_read(cache_root: Path, file) -> None:
    parsed = font_cache.load_font("Parsed", _font_path(file))
    kept = font_cache.load_font("Kept", _font_path(file))
    later = ("glyphToChar", "hmetrics", "glyphPos", "_ttf_data")
    assert not any(name in vars(kept.face) for name in later)  # not read yet
    assert kept.stringWidth("Hangzhou 杭州", 10) == parsed.stringWidth("Hangzhou 杭州", 10)
    for name in later:
        assert getattr(kept.face, name) == getattr(parsed.face, name)
        assert name in vars(kept.face)  # unpickled once, then an attribute
    assert not hasattr(kept.face, "no_such_attribute")


def test_a_changed_font_file_is_parsed_again(cache_root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "font.ttf"
    copy.write_bytes(_font_path("DejaVuSans.ttf").read_bytes())
    font_cache.load_font("A", copy)
    copy.write_bytes(_font_path("DejaVuSans-Bold.ttf").read_bytes())
    bold = font_cache.load_font("B", copy)
    name = bold.face.name
    assert b"Bold" in name if isinstance(name, bytes) else "Bold" in name


def test_a_damaged_font_entry_falls_back_to_parsing(cache_root: Path) -> None:
    font_cache.load_font("First", _font_path("DejaVuSans.ttf"))
    for entry in (cache_root / "fonts").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"\x80\x04garbage")
    font = font_cache.load_font("Again", _font_path("DejaVuSans.ttf"))
    assert font.stringWidth("Briefing", 10) > 0


def test_a_subset_is_written_once_and_a_damaged_one_made_again(cache_root: Path) -> None:
    """The subset a PDF embeds is kept for the next process; a damaged
    entry is never embedded."""
    subset = [ord(c) for c in " Briefing on China 杭州"]
    parsed = font_cache.load_font("P", _font_path("wqy-microhei.ttc")).face.makeSubset(subset)
    font_cache.load_font("First", _font_path("wqy-microhei.ttc"))  # kept form written
    first = font_cache.load_font("Second", _font_path("wqy-microhei.ttc"))
    assert first.face.makeSubset(subset) == parsed  # made, then kept
    (entry,) = [p for p in (cache_root / "font-subsets").rglob("*") if p.is_file()]
    later = font_cache.load_font("Third", _font_path("wqy-microhei.ttc"))
    later.face._kept_later.pop("_ttf_data")  # without the font's bytes it cannot make one
    assert later.face.makeSubset(subset) == parsed  # so it was read from disk
    entry.write_bytes(entry.read_bytes()[:-10])  # cut short
    again = font_cache.load_font("Fourth", _font_path("wqy-microhei.ttc"))
    assert again.face.makeSubset(subset) == parsed


def test_a_map_layout_is_kept_for_the_next_process(cache_root: Path, monkeypatch) -> None:
    from briefing_app.document import MapPlace, MapSpec
    from briefing_app.render import maps_pdf
    from briefing_app.render.pdf_fonts import register_fonts
    from briefing_app.render.theme import load_theme

    fonts = register_fonts(load_theme())
    spec = MapSpec("clusters", "CN", (MapPlace("Hangzhou 杭州", 30.27, 120.16, value=3),))
    fresh = maps_pdf.pdf_layout(spec, 400.0, fonts)
    maps_pdf._LAYOUTS.clear()  # a new process: nothing in memory
    monkeypatch.setattr(maps_pdf, "layout_map", lambda *a, **k: pytest.fail("laid out again"))
    assert maps_pdf.pdf_layout(spec, 400.0, fonts) == fresh
    other = dataclasses.replace(fonts, files=("another font file",))
    maps_pdf._LAYOUTS.clear()
    with pytest.raises(pytest.fail.Exception, match="laid out again"):
        maps_pdf.pdf_layout(spec, 400.0, other)  # other fonts measure otherwise
