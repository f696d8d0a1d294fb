"""A map laid out once, as plain shapes in points, for any painter.

:func:`layout_map` turns a :class:`~briefing_app.document.MapSpec` into a
:class:`MapLayout`: the country outline projected and clipped to the frame,
a circle per place (clusters map) or marked members and shaded areas per
group (city-clusters map) with a legend in a corner that covers nothing
drawn, else beside or below the map (``maps_symbols.py``), and labels
placed so that none overlaps another, a circle or the legend
(``maps_labels.py``).
The PDF painter (``maps_pdf.py``) and the PNG painter (``maps_png.py``) only
draw these shapes, so both outputs show the same map.

Projection: equirectangular, longitudes shrunk by the cosine of the frame's
mean latitude, so that shapes keep their proportions near that latitude.
Coordinates are points from the bottom left, as in ReportLab.
"""

from __future__ import annotations

import math

from briefing_app.document import MapSpec
from briefing_app.geodata import Polygon, country_polygons
from briefing_app.render.maps_labels import (
    SIDE_BAND_MAX,
    Box,
    Label,
    LabelPlacer,
    LegendNeedsRoom,
    Measure,
    _inside_ring,
)
from briefing_app.render.maps_shapes import COAST, LAND, MUTED, Dot, Frame, MapLayout, Shape
from briefing_app.render.maps_symbols import draw_city_clusters, draw_clusters

__all__ = ["Dot", "Frame", "MapLayout", "Shape", "layout_map"]

ASPECT_MIN, ASPECT_MAX = 0.45, 0.9  # height / width of the map area


def layout_map(
    spec: MapSpec, width: float, measure: Measure, max_height: float | None = None
) -> MapLayout:
    """The shapes of ``spec`` drawn ``width`` points wide (height follows).

    The legend goes in a corner of the map where it covers no outline,
    symbol or label. When no corner is free, the map is laid out again,
    narrower with a band for the legend at its right when the legend is
    slim (the figure gets no taller), else with a band below it.
    """
    try:
        return _layout(spec, width, measure, max_height, side=0.0, below=0.0)
    except LegendNeedsRoom as room:
        if room.side[0] <= SIDE_BAND_MAX * width:
            try:
                return _layout(spec, width, measure, max_height, side=room.side[0], below=0.0)
            except LegendNeedsRoom:
                pass  # taller than the narrower map: below it, then
        return _layout(spec, width, measure, max_height, side=0.0, below=room.below[1])


def _layout(
    spec: MapSpec,
    width: float,
    measure: Measure,
    max_height: float | None,
    side: float,
    below: float,
) -> MapLayout:
    points = [(p.longitude, p.latitude) for p in _all_places(spec)]
    polygons = country_polygons(spec.country)
    lon0, lat0, lon1, lat1 = _frame(points, polygons)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    span_x, span_y = (lon1 - lon0) * k, lat1 - lat0
    # Fit the frame to an acceptable page shape by widening the short side.
    aspect = span_y / span_x
    if aspect < ASPECT_MIN:
        grow = (ASPECT_MIN * span_x - span_y) / 2
        lat0, lat1, span_y = lat0 - grow, lat1 + grow, ASPECT_MIN * span_x
    elif aspect > ASPECT_MAX:
        grow = (span_y / ASPECT_MAX - span_x) / 2 / k
        lon0, lon1, span_x = lon0 - grow, lon1 + grow, span_y / ASPECT_MAX
    map_width = width - side
    map_height = map_width * span_y / span_x
    if max_height and map_height + below > max_height:
        map_height = max(max_height - below, max_height / 3)
    height = map_height + below
    scale = min(map_width / span_x, map_height / span_y)
    off_x = (map_width - span_x * scale) / 2
    off_y = below + (map_height - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return off_x + (lon - lon0) * k * scale, off_y + (lat - lat0) * scale

    layout = MapLayout(width, height)
    area = (0.0, below, map_width, height)  # the map itself, beside or above the legend's room
    rings = []
    for polygon in polygons:
        for ring in polygon:
            clipped = _clip([project(*p) for p in ring], area)
            if len(clipped) >= 3:
                rings.append(tuple(clipped))
    if rings:
        layout.items.append(Shape(tuple(rings), LAND, COAST, 0.5))
    else:
        _graticule(layout, project, (lon0, lat0, lon1, lat1), area, measure)
    placer = LabelPlacer(width, height, measure)
    placer.map_height = map_height
    if side or below:
        placer.legend_at = (map_width + 2.0, 2.0) if side else (2.0, 2.0)
    for item in layout.items:  # the grid's degree labels stay readable
        if isinstance(item, Label):
            w = measure(item.text, item.size, item.bold)
            placer.obstacle(Box(item.x, item.y - 2, item.x + w, item.y + item.size), legend=True)
    if rings:
        placer.land = lambda x, y: _inside(rings, x, y)
    if spec.kind == "city-clusters":
        draw_city_clusters(layout, spec, project, placer, measure)
    else:
        draw_clusters(layout, spec, project, placer, measure)
    layout.items += placer.labels
    layout.labels_dropped = placer.dropped
    return layout


def _all_places(spec: MapSpec) -> list:
    return [*spec.places, *((spec.marker,) if spec.marker else ())]


def _frame(points, polygons: tuple[Polygon, ...]) -> tuple[float, float, float, float]:
    """(lon0, lat0, lon1, lat1): the places and the parts of the country that
    matter (its largest polygon and any polygon near a place), padded."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    if polygons:
        boxes = [_bbox(polygon[0]) for polygon in polygons]
        largest = max(boxes, key=_box_area)
        reach = math.hypot(largest[2] - largest[0], largest[3] - largest[1])
        kept = [largest] + [
            b
            for b in boxes
            # near a place, or a sizeable island near the mainland (Corsica, not Guiana)
            if any(
                b[0] - 0.5 <= x <= b[2] + 0.5 and b[1] - 0.5 <= y <= b[3] + 0.5 for x, y in points
            )
            or (_box_area(b) >= 0.01 * _box_area(largest) and _gap(b, largest) < reach / 2)
        ]
        lons += [b[0] for b in kept] + [b[2] for b in kept]
        lats += [b[1] for b in kept] + [b[3] for b in kept]
        pad_share, least = 0.03, 0.2
    else:
        pad_share, least = 0.12, 1.0
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    pad_x = max((lon1 - lon0) * pad_share, least)
    pad_y = max((lat1 - lat0) * pad_share, least)
    return lon0 - pad_x, max(lat0 - pad_y, -89.0), lon1 + pad_x, min(lat1 + pad_y, 89.0)


def _inside(rings, x: float, y: float) -> bool:
    """Even-odd rule over every ring: holes and islands count as the outline draws them."""
    return sum(_inside_ring(ring, x, y) for ring in rings) % 2 == 1


def _box_area(box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _gap(a, b) -> float:
    """Distance in degrees between two boxes (0 when they touch or overlap)."""
    dx = max(a[0] - b[2], b[0] - a[2], 0.0)
    dy = max(a[1] - b[3], b[1] - a[3], 0.0)
    return math.hypot(dx, dy)


def _bbox(ring) -> tuple[float, float, float, float]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _clip(ring: list[tuple[float, float]], area: tuple[float, float, float, float]) -> list:
    """Sutherland-Hodgman: ``ring`` cut to the rectangle ``area`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = area
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    )
    out = ring
    for inside, cross in edges:
        if not out:
            break
        if all(map(inside, out)):
            continue
        points, out = out, []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
    return out


def _cross_x(a, b, x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a, b, y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def _graticule(layout: MapLayout, project, frame, area, measure: Measure) -> None:
    """Without an outline, light lines of latitude and longitude place the
    points; a degree label that would run out of the map is left out."""
    lon0, lat0, lon1, lat1 = frame
    step = next((s for s in (0.5, 1, 2, 5, 10, 20, 30, 45) if (lon1 - lon0) / s <= 6), 90)
    x0, y0, w, h = area
    rings = [((x0, y0), (w, y0), (w, h), (x0, h), (x0, y0))]  # a light frame: no coast to read
    lon = math.ceil(lon0 / step) * step
    while lon <= lon1:
        rings.append((project(lon, lat0), project(lon, lat1)))
        x, text = project(lon, lat0)[0] + 2, _degrees(lon, "EW")
        if x + measure(text, 6, False) <= w - 1:
            layout.items.append(Label(x, y0 + 3, text, 6, MUTED))
        lon += step
    lat = math.ceil(lat0 / step) * step
    while lat <= lat1:
        rings.append((project(lon0, lat), project(lon1, lat)))
        layout.items.append(Label(3, project(lon0, lat)[1] + 2, _degrees(lat, "NS"), 6, MUTED))
        lat += step
    layout.items.insert(0, Shape(tuple(rings), None, "#DDDDDD", 0.4))


def _degrees(value: float, hemispheres: str) -> str:
    sign = hemispheres[0] if value >= 0 else hemispheres[1]
    return f"{abs(value):g}°{sign}" if value else "0°"
