"""A map laid out once, as plain shapes in points, for any painter.

:func:`layout_map` turns a :class:`~briefing_app.document.MapSpec` into a
:class:`MapLayout`: the country outline projected and clipped to the frame,
a circle per place (clusters map) or marked members and shaded areas per
group (city-clusters map), a legend in the emptiest corner, and labels placed
so that none overlaps another, a circle or the legend (``maps_labels.py``).
The PDF painter (``maps_pdf.py``) and the PNG painter (``maps_png.py``) only
draw these shapes, so both outputs show the same map.

Projection: equirectangular, longitudes shrunk by the cosine of the frame's
mean latitude, so that shapes keep their proportions near that latitude.
Coordinates are points from the bottom left, as in ReportLab.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from briefing_app.document import MapSpec
from briefing_app.render.maps_geodata import Polygon, country_polygons
from briefing_app.render.maps_labels import INK, Box, Label, LabelPlacer, Measure

LAND = "#E6E9EE"
COAST = "#9DA7B4"
MUTED = "#6B6B6B"
EMPTY = "#B4B4B4"
GROUP_COLOURS = (
    "#2E75B6",
    "#C55A11",
    "#548235",
    "#7030A0",
    "#BF9000",
    "#1F7A7A",
    "#A5305B",
    "#5B6B8C",
)
ASPECT_MIN, ASPECT_MAX = 0.45, 0.9  # height / width of the map area


@dataclass(frozen=True)
class Shape:
    """Closed rings (even-odd), a fill and an outline."""

    rings: tuple[tuple[tuple[float, float], ...], ...]
    fill: str | None
    stroke: str | None
    width: float = 0.5
    opacity: float = 1.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str | None
    stroke: str | None
    width: float = 0.5
    opacity: float = 1.0


@dataclass(frozen=True)
class Frame:
    """A rectangle (legend background)."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str


@dataclass
class MapLayout:
    width: float
    height: float
    items: list = field(default_factory=list)  # in painting order
    labels_dropped: int = 0


def layout_map(
    spec: MapSpec, width: float, measure: Measure, max_height: float | None = None
) -> MapLayout:
    """The shapes of ``spec`` drawn ``width`` points wide (height follows)."""
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
    height = width * span_y / span_x
    if max_height and height > max_height:
        height = max_height
    scale = min(width / span_x, height / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return off_x + (lon - lon0) * k * scale, off_y + (lat - lat0) * scale

    layout = MapLayout(width, height)
    rings = []
    for polygon in polygons:
        for ring in polygon:
            clipped = _clip([project(*p) for p in ring], width, height)
            if len(clipped) >= 3:
                rings.append(tuple(clipped))
    if rings:
        layout.items.append(Shape(tuple(rings), LAND, COAST, 0.5))
    else:
        _graticule(layout, project, (lon0, lat0, lon1, lat1), measure)
    placer = LabelPlacer(width, height, measure)
    if rings:
        placer.land = lambda x, y: _inside(rings, x, y)
    if spec.kind == "city-clusters":
        _city_clusters(layout, spec, project, placer, measure)
    else:
        _clusters(layout, spec, project, placer, measure)
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
    inside = False
    for ring in rings:
        previous = ring[-1]
        for point in ring:
            (x0, y0), (x1, y1) = previous, point
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
            previous = point
    return inside


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


def _clip(ring: list[tuple[float, float]], width: float, height: float) -> list:
    """Sutherland-Hodgman: ``ring`` cut to the rectangle (0, 0)-(width, height)."""
    edges = (
        (lambda p: p[0] >= 0, lambda a, b: _cross_x(a, b, 0.0)),
        (lambda p: p[0] <= width, lambda a, b: _cross_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _cross_y(a, b, 0.0)),
        (lambda p: p[1] <= height, lambda a, b: _cross_y(a, b, height)),
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


def _graticule(layout: MapLayout, project, frame, measure: Measure) -> None:
    """Without an outline, light lines of latitude and longitude place the points."""
    lon0, lat0, lon1, lat1 = frame
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 30) if (lon1 - lon0) / s <= 6)
    rings = []
    lon = math.ceil(lon0 / step) * step
    while lon <= lon1:
        rings.append((project(lon, lat0), project(lon, lat1)))
        layout.items.append(Label(project(lon, lat0)[0] + 2, 3, _degrees(lon, "EW"), 6, MUTED))
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


# -- clusters map --------------------------------------------------------------


def _clusters(layout: MapLayout, spec: MapSpec, project, placer: LabelPlacer, measure) -> None:
    top = max((p.value for p in spec.places), default=0.0) or 1.0
    biggest = min(max(layout.width * 0.04, 9.0), 18.0)

    def radius(value: float) -> float:
        return max(biggest * math.sqrt(value / top), 2.4) if value > 0 else 1.8

    fill, lit = GROUP_COLOURS[0], GROUP_COLOURS[1]
    placed = []
    for place in spec.places:
        x, y = project(place.longitude, place.latitude)
        placed.append((place, x, y, radius(place.value)))
    for place, x, y, r in sorted(placed, key=lambda item: -item[3]):
        if place.value <= 0:
            layout.items.append(Dot(x, y, r, EMPTY, None))
        else:
            colour = lit if place.highlighted else fill
            layout.items.append(Dot(x, y, r, colour, "#FFFFFF", 0.6, 0.82))
        placer.obstacle(Box(x - r, y - r, x + r, y + r))
    marker = None
    if spec.marker is not None:
        mx, my = project(spec.marker.longitude, spec.marker.latitude)
        layout.items.append(Dot(mx, my, 3.4, "#FFFFFF", lit, 1.4))
        layout.items.append(Dot(mx, my, 1.2, lit, None))
        placer.obstacle(Box(mx - 3.4, my - 3.4, mx + 3.4, my + 3.4))
        # Its label goes outside a circle drawn over it (its province's).
        around = [
            r + math.hypot(x - mx, y - my)
            for _p, x, y, r in placed
            if math.hypot(x - mx, y - my) < r
        ]
        marker = (spec.marker, mx, my, max([3.4, *around]))
    legend = _size_legend(spec, top, radius, fill, lit)
    _place_legend(layout, legend, placer, measure)
    order = sorted(placed, key=lambda item: (not item[0].highlighted, -item[0].value, item[0].name))
    if marker:
        placer.place(
            marker[1], marker[2], marker[3], _texts(marker[0]), 7.6, INK, bold=True, force=True
        )
    for place, x, y, r in order:
        if place.value > 0:
            lit_label = place.highlighted
            size = 7.6 if lit_label else 7
            placer.place(x, y, r, _texts(place), size, INK, lit_label, force=lit_label)
    for place, x, y, r in order:
        if place.value <= 0:
            placer.place(x, y, r, _texts(place)[-1:], 6, MUTED)


def _texts(place) -> list[str]:
    """Label variants, longest first: the name with its local form, the name."""
    if place.local_name:
        return [f"{place.name} {place.local_name}", place.name]
    return [place.name]


def _size_legend(spec: MapSpec, top: float, radius, fill: str, lit: str) -> list:
    """Legend rows: ("sizes", [(value, r)]), ("dot", colour, r, text)."""
    values = sorted({_nice(top), _nice(top / 4), 1.0} - {0.0}, reverse=True)
    values = [v for v in values if v <= top] or [top]
    rows: list = [
        ("title", spec.value_label or "Value"),
        ("sizes", [(v, radius(v)) for v in values]),
    ]
    if any(p.highlighted for p in spec.places) or spec.marker is not None:
        names = ", ".join(p.name for p in spec.places if p.highlighted)
        if spec.marker is not None:
            text = f"{spec.marker.name}, in {names}" if names else spec.marker.name
        else:
            text = f"Selected: {names}"
        rows.append(("dot", lit, 4.0, text))
    if any(p.value <= 0 for p in spec.places):
        rows.append(("dot", EMPTY, 1.8, "No cluster"))
    return rows


def _nice(value: float) -> float:
    if value < 1:
        return 0.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * magnitude <= value:
            return float(step * magnitude)
    return float(magnitude)


# -- city-clusters map -----------------------------------------------------------


def _city_clusters(layout: MapLayout, spec: MapSpec, project, placer: LabelPlacer, measure) -> None:
    colours = [GROUP_COLOURS[i % len(GROUP_COLOURS)] for i in range(len(spec.groups))]
    members: list[list[tuple[float, float]]] = [[] for _ in spec.groups]
    dots = []
    for place in spec.places:
        x, y = project(place.longitude, place.latitude)
        dots.append((place, x, y))
        for index in place.groups:
            members[index].append((x, y))
    hulls = []
    for index, points in enumerate(members):
        if points:
            hull = _buffered_hull(points, 8.0)
            hulls.append((_area(hull), index, hull))
    for _area_size, index, hull in sorted(hulls, reverse=True):
        lit = spec.groups[index].highlighted
        layout.items.append(
            Shape((tuple(hull),), colours[index], colours[index], 1.4 if lit else 0.8, 0.16)
        )
    for place, x, y in dots:
        first = colours[place.groups[0]] if place.groups else MUTED
        layout.items.append(Dot(x, y, 2.6, first, "#FFFFFF", 0.5))
        for extra in place.groups[1:2]:
            layout.items.append(Dot(x, y, 4.2, None, colours[extra], 1.0))
        placer.obstacle(Box(x - 4.2, y - 4.2, x + 4.2, y + 4.2))
    legend: list = [("title", "Groups")]
    for index, group in enumerate(spec.groups):
        text = f"{group.name} {group.local_name}" if group.local_name else group.name
        legend.append(("dot", colours[index], 4.0, text))
    _place_legend(layout, legend, placer, measure)
    for _area_size, index, hull in sorted(hulls):
        xs, ys = [p[0] for p in hull], [p[1] for p in hull]
        group = spec.groups[index]
        texts = (
            [f"{group.name} {group.local_name}", group.name] if group.local_name else [group.name]
        )
        placer.place_box(Box(min(xs), min(ys), max(xs), max(ys)), texts, 7.4, colours[index], True)
    for place, x, y in dots:
        placer.place(x, y, 2.6, [place.name], 5.8, MUTED)


def _buffered_hull(points: list[tuple[float, float]], r: float) -> list[tuple[float, float]]:
    ring = [
        (x + r * math.cos(a * math.pi / 8), y + r * math.sin(a * math.pi / 8))
        for x, y in points
        for a in range(16)
    ]
    return _convex_hull(ring)


def _convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain, anticlockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _area(ring) -> float:
    return abs(
        sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)) / 2
    )


# -- legend --------------------------------------------------------------------------


def _place_legend(layout: MapLayout, rows: list, placer: LabelPlacer, measure: Measure) -> None:
    """Lay the legend out and put it in the corner where it hides least."""
    pad, line = 5.0, 10.0
    items: list = []
    y = 0.0  # from the legend's top, downwards
    width = 0.0
    for row in rows:
        if row[0] == "title":
            y += 8.5
            items.append(("label", pad, y, row[1], 7.2, True))
            width = max(width, measure(row[1], 7.2, True))
            y += 3
        elif row[0] == "sizes":
            tallest = max(r for _v, r in row[1])
            x = pad
            y += 2 * tallest + 1
            for value, r in row[1]:
                items.append(("dot", x + r, y - r, r, GROUP_COLOURS[0]))
                text = f"{value:,.0f}"
                text_w = measure(text, 6.5, False)
                items.append(("label", x + r - text_w / 2, y + 8, text, 6.5, False))
                x += max(2 * r, text_w) + 7
            width = max(width, x - pad - 7)
            y += 10
        else:  # a swatch and its text
            _kind, colour, r, text = row
            y += line
            items.append(("dot", pad + 4, y - 2.5, r, colour))
            items.append(("label", pad + 11, y, text, 6.8, False))
            width = max(width, 11 + measure(text, 6.8, False))
    box_w, box_h = width + 2 * pad, y + pad
    x0, y0 = placer.best_corner(box_w, box_h)
    layout.items.append(Frame(x0, y0, box_w, box_h, "#FFFFFF", "#C8C8C8"))
    top = y0 + box_h
    for item in items:
        if item[0] == "dot":
            _k, x, yy, r, colour = item
            layout.items.append(Dot(x0 + x, top - yy, r, colour, "#FFFFFF", 0.5, 0.82))
        else:
            _k, x, yy, text, size, bold = item
            layout.items.append(Label(x0 + x, top - yy, text, size, INK, bold))
    placer.obstacle(Box(x0, y0, x0 + box_w, y0 + box_h), legend=True)
