"""Chart pictures for Word/HTML: real PNGs, stable bytes, every chart kind."""

import io
import threading

import pytest
from matplotlib.image import imread

from briefing_app.document import ChartSpec, Series
from briefing_app.render import chart_cache
from briefing_app.render.charts import render_chart_png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

CLUSTERS = ChartSpec(
    kind="bar",
    categories=("杭州", "蕭山", "Shenzhen"),
    series=(Series("2019", (4, 2, 7)), Series("2020", (5, 3, 6))),
    title="Clusters per city",
    y_label="Clusters",
    unit="count",
)


@pytest.mark.parametrize("kind", ["bar", "barh", "line", "pie"])
def test_every_kind_gives_a_png_of_the_asked_size(kind):
    spec = ChartSpec(kind=kind, categories=("A", "B", "广东"), series=(Series("s", (1, 2, 3)),))
    data = render_chart_png(spec, width_in=4, height_in=2, dpi=50)
    assert data.startswith(PNG_MAGIC)
    pixels = imread(io.BytesIO(data))
    assert pixels.shape[:2] == (100, 200)


def test_same_spec_gives_same_bytes_even_after_the_cache_is_dropped():
    first = render_chart_png(CLUSTERS, dpi=80)
    chart_cache.PICTURES.clear()
    second = render_chart_png(CLUSTERS, dpi=80)
    assert first == second
    assert render_chart_png(CLUSTERS, dpi=80) is render_chart_png(CLUSTERS, dpi=80)


def test_different_data_gives_a_different_picture():
    other = ChartSpec(
        kind="bar", categories=CLUSTERS.categories, series=(Series("2019", (1, 1, 1)),)
    )
    assert render_chart_png(other, dpi=80) != render_chart_png(CLUSTERS, dpi=80)


def test_pie_without_positive_values_still_draws():
    empty = ChartSpec(kind="pie", categories=("A",), series=(Series("s", (0,)),))
    assert render_chart_png(empty, dpi=40).startswith(PNG_MAGIC)


def test_worker_threads_get_the_same_picture_as_the_main_thread():
    chart_cache.PICTURES.clear()
    spec = ChartSpec(
        kind="line", categories=("2018", "2019", "2020"), series=(Series("GDP", (1.0, 1.5, 2.5)),)
    )
    results: list[bytes] = []
    workers = [
        threading.Thread(target=lambda: results.append(render_chart_png(spec, dpi=60)))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(results) == 4 and len(set(results)) == 1


@pytest.mark.parametrize(
    "spec",
    [
        ChartSpec(kind="pie", categories=("a", "b", "c"), series=(Series("s", (1, 2)),)),
        ChartSpec(kind="bar", categories=("a",), series=(Series("s", (1, 2, 3)),)),
        ChartSpec(kind="bar", categories=(), series=()),
        ChartSpec(kind="barh", categories=("loss", "gain"), series=(Series("s", (-3, 2)),)),
    ],
)
def test_mismatched_or_empty_data_still_draws(spec):
    assert render_chart_png(spec, dpi=40).startswith(PNG_MAGIC)


def test_drawn_pictures_can_be_asked_for_without_drawing():
    chart_cache.PICTURES.clear()
    spec = ChartSpec(kind="bar", categories=("A", "B"), series=(Series("s", (3, 4)),))
    assert chart_cache.drawn_chart_png(spec, dpi=60) is None
    drawn = render_chart_png(spec, dpi=60)
    assert chart_cache.drawn_chart_png(spec, dpi=60) == drawn
    assert chart_cache.drawn_chart_png(spec, dpi=61) is None  # another size is another picture


def test_only_the_most_recent_pictures_are_kept(monkeypatch):
    """In memory; the disk keeps more (tests/render/test_kept_pictures_and_fonts.py)."""
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    chart_cache.PICTURES.clear()
    monkeypatch.setattr(chart_cache, "KEPT", 2)
    specs = [
        ChartSpec(kind="bar", categories=("A",), series=(Series("s", (n,)),)) for n in (1, 2, 3)
    ]
    for spec in specs:
        render_chart_png(spec, dpi=30)
    render_chart_png(specs[1], dpi=30)  # used again: now the most recent
    assert chart_cache.drawn_chart_png(specs[0], dpi=30) is None
    assert chart_cache.drawn_chart_png(specs[1], dpi=30) is not None
    assert chart_cache.drawn_chart_png(specs[2], dpi=30) is not None
