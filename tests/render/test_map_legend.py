"""The map legend never covers what the map draws: the country's outline, a
group's shading, a symbol or a label. Checked on the laid-out geometry for
several selections of China, at the widths the briefings use, and for an
invented country drawn on a grid."""

from __future__ import annotations

import math

import pytest

from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.maps import city_clusters_map, clusters_map
from briefing_app.document import MapPlace, MapSpec
from briefing_app.render.maps_labels import Box, Label
from briefing_app.render.maps_layout import Dot, Frame, Shape, layout_map
from briefing_app.render.maps_png import _font_files, _measure
from briefing_app.render.theme import load_theme

# Points: the delegation brief's map (0.6 of an A4 text width), a full-width
# map, and a narrow one.
WIDTHS = (289.0, 481.0, 180.0)
REGIONS = (None, "yangtze-river-delta", "zhejiang", "jilin", "pearl-river-delta", "shanghai")


@pytest.fixture(scope="module")
def measure():
    return _measure(*_font_files(load_theme()))


@pytest.fixture(scope="module")
def china_specs(tmp_path_factory):
    from briefing_app.store import open_store

    with open_store(tmp_path_factory.mktemp("kb") / "kb.sqlite") as store:
        kb = KnowledgeBase(store, store.country("CN"))
        specs = [("city clusters", city_clusters_map(kb).spec)]
        for region in REGIONS:
            for sectors in ((), ("ict",)):
                data = clusters_map(kb, sectors, region)
                specs.append((f"{region} {sectors}", data.spec))
        yield specs


def _meets(box: Box, ring) -> bool:
    """The ring's edges, walked in steps of half a point, enter the box; or
    the box lies inside the ring (checked here apart from the code under test)."""
    previous = ring[-1]
    inside = False
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    for point in ring:
        (x0, y0), (x1, y1) = previous, point
        steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) * 2))
        for n in range(steps + 1):
            x, y = x0 + (x1 - x0) * n / steps, y0 + (y1 - y0) * n / steps
            if box.x0 < x < box.x1 and box.y0 < y < box.y1:
                return True
        if (y0 > cy) != (y1 > cy) and cx < x0 + (cy - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
        previous = point
    return inside


def _legend_problems(layout, measure) -> list[str]:
    frames = [i for i in layout.items if isinstance(i, Frame)]
    assert len(frames) == 1
    f = frames[0]
    legend = Box(f.x, f.y, f.x + f.w, f.y + f.h)
    after = layout.items.index(f)
    problems = []
    if not (0 <= legend.x0 and legend.x1 <= layout.width + 0.01):
        problems.append("legend outside the map's width")
    if not (0 <= legend.y0 and legend.y1 <= layout.height + 0.01):
        problems.append("legend outside the map's height")
    for n, item in enumerate(layout.items):
        if isinstance(item, Shape) and item.fill is not None:  # coast or shading, not a grid
            if any(_meets(legend, ring) for ring in item.rings):
                problems.append(f"covers an outline ({item.fill})")
        elif isinstance(item, Dot) and n < after:  # the legend's own swatches come after it
            if legend.hits_circle(item.x, item.y, item.r):
                problems.append(f"covers a symbol at {item.x:.0f},{item.y:.0f}")
        elif isinstance(item, Label):
            box = Box(
                item.x,
                item.y - item.size * 0.24,
                item.x + measure(item.text, item.size, item.bold),
                item.y + item.size * 0.78,
            )
            inside = legend.x0 <= box.x0 and box.x1 <= legend.x1 + 0.01 and n > after
            if not inside and box.overlaps(legend):
                problems.append(f"covers the label {item.text!r}")
    return problems


def test_the_legend_covers_nothing_drawn_on_china_maps(china_specs, measure):
    failures = []
    for name, spec in china_specs:
        for width in WIDTHS:
            layout = layout_map(spec, width, measure, max_height=425.0)
            failures += [
                f"{name} at {width:.0f} pt: {p}" for p in _legend_problems(layout, measure)
            ]
    assert not failures, "\n".join(failures)


def _legend_and_coast(layout):
    frame = next(i for i in layout.items if isinstance(i, Frame))
    land = next(i for i in layout.items if isinstance(i, Shape) and i.fill is not None)
    xs = [x for ring in land.rings for x, _y in ring]
    ys = [y for ring in land.rings for _x, y in ring]
    return frame, (min(xs), min(ys), max(xs), max(ys))


def test_a_legend_with_no_free_corner_goes_beside_or_below_the_map(china_specs, measure):
    # The Yangtze River Delta brief's map: China fills every corner of its
    # frame. The legend goes in a slim band at the right, so the figure is no
    # taller than the map alone would be...
    spec = next(s for name, s in china_specs if name.startswith("yangtze-river-delta ('ict',)"))
    layout = layout_map(spec, 289.0, measure, max_height=425.0)
    frame, coast = _legend_and_coast(layout)
    assert frame.x >= coast[2]
    assert layout.height <= 289.0 * 0.75
    # ... and on a narrow map, where such a band would leave too little map,
    # below it.
    layout = layout_map(spec, 180.0, measure, max_height=425.0)
    frame, coast = _legend_and_coast(layout)
    assert frame.y + frame.h <= coast[1]
    assert frame.x + frame.w <= 180.0


def test_the_legend_covers_nothing_on_an_invented_country_drawn_on_a_grid(measure):
    # No outline for "FD": a grid places the points; the degree labels and
    # every circle stay clear of the legend, also when places crowd a corner.
    places = tuple(
        MapPlace(f"Place {n}", 10.0 + (n % 4) * 0.9, 100.0 + (n // 4) * 1.1, value=float(n % 5))
        for n in range(16)
    )
    spec = MapSpec("clusters", "FD", places, value_label="Clusters")
    for width in WIDTHS:
        layout = layout_map(spec, width, measure)
        assert not _legend_problems(layout, measure), width
