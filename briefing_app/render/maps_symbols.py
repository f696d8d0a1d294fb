"""What a map shows on its outline: circles per place (clusters map) or
shaded, coloured groups (city-clusters map), their legend, and the order in
which their labels are placed (``maps_labels.py``)."""

from __future__ import annotations

import math

from briefing_app.document import MapSpec
from briefing_app.render.maps_labels import (
    INK,
    SIDE_BAND_MAX,
    Box,
    Label,
    LabelPlacer,
    LegendNeedsRoom,
    Measure,
)
from briefing_app.render.maps_shapes import (
    EMPTY,
    GROUP_COLOURS,
    MUTED,
    Dot,
    Frame,
    MapLayout,
    Shape,
)

# -- clusters map --------------------------------------------------------------


def draw_clusters(layout: MapLayout, spec: MapSpec, project, placer: LabelPlacer, measure) -> None:
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
        if place.value <= 0 and place.highlighted:
            # A selected area without a cluster: ringed in the selection's colour,
            # as the legend's "Selected" entry that names it promises.
            layout.items.append(Dot(x, y, r + 0.8, EMPTY, lit, 1.0))
        elif place.value <= 0:
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
    """Legend rows: ("sizes", [(value, r)], colour), ("dot", colour, r, text).

    The size key takes the colour of the circles drawn: the selection's when
    every area with a value is selected (a region's own map), else the plain one."""
    values = sorted({_nice(top), _nice(top / 4), 1.0} - {0.0}, reverse=True)
    values = [v for v in values if v <= top] or [top]
    valued = [p for p in spec.places if p.value > 0]
    key_colour = lit if valued and all(p.highlighted for p in valued) else fill
    rows: list = [
        ("title", spec.value_label or "Value"),
        ("sizes", [(v, radius(v)) for v in values], key_colour),
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


def draw_city_clusters(
    layout: MapLayout, spec: MapSpec, project, placer: LabelPlacer, measure
) -> None:
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
        group = spec.groups[index]
        texts = (
            [f"{group.name} {group.local_name}", group.name] if group.local_name else [group.name]
        )
        others = tuple(other for _size, i, other in hulls if i != index)
        placer.place_area(hull, texts, 7.4, colours[index], True, avoid=others)
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
    """Lay the legend out and put it where it covers nothing drawn: a free
    corner of the map, else room beside or below it (maps_layout keeps it)."""
    outlines = [
        ring
        for item in layout.items
        if isinstance(item, Shape) and item.fill is not None  # coast and shading, not a grid
        for ring in item.rings
    ]
    if placer.legend_at is not None:
        # Room was kept for it beside or below the map: one column.
        room = layout.width - placer.legend_at[0] + 2  # beside the map, or all the width
        items, box_w, box_h = _legend_block(room, rows, measure, math.inf)
        x0, y0 = placer.legend_corner(box_w, box_h, outlines)
    else:
        # Swatch rows wrap into more columns rather than grow past half the map.
        tallest_column = max(placer.map_height * 0.5, 40.0)
        items, box_w, box_h = _legend_block(layout.width, rows, measure, tallest_column)
        try:
            x0, y0 = placer.legend_corner(box_w, box_h, outlines)
        except LegendNeedsRoom:
            # The room it needs beside the map (lines wrapped to a slim
            # band) and below it (lines as long as the map is wide).
            slim = _legend_block(layout.width * SIDE_BAND_MAX, rows, measure, math.inf)
            wide = _legend_block(layout.width, rows, measure, math.inf)
            raise LegendNeedsRoom((slim[1] + 4, slim[2] + 4), (wide[1] + 4, wide[2] + 4)) from None
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


def _legend_block(
    map_width: float, rows: list, measure: Measure, tallest_column: float
) -> tuple[list, float, float]:
    """The legend's items (positions from its top left, downwards), width and
    height, its lines wrapped to fit ``map_width``."""
    pad, line = 5.0, 10.0
    items: list = []
    y = 0.0  # from the legend's top, downwards
    width = 0.0
    column_x, column_w, column_top, deepest = 0.0, 0.0, None, 0.0
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
                items.append(("dot", x + r, y - r, r, row[2]))
                text = f"{value:,.0f}"
                text_w = measure(text, 6.5, False)
                items.append(("label", x + r - text_w / 2, y + 8, text, 6.5, False))
                x += max(2 * r, text_w) + 7
            width = max(width, x - pad - 7)
            y += 10
        else:  # a swatch and its text, wrapped to the map's width
            _kind, colour, r, text = row
            lines = _wrap(text, map_width - 4 - 2 * pad - 11, measure, 6.8)
            if column_top is None:
                column_top = y
            elif y + line * len(lines) > tallest_column and y > column_top:
                column_x, column_w, y = column_x + column_w + 10, 0.0, column_top
            y += line
            items.append(("dot", column_x + pad + 4, y - 2.5, r, colour))
            for n, text_line in enumerate(lines):
                y += 8.0 if n else 0.0
                items.append(("label", column_x + pad + 11, y, text_line, 6.8, False))
                column_w = max(column_w, 11 + measure(text_line, 6.8, False))
            width = max(width, column_x + column_w)
        deepest = max(deepest, y)
    return items, width + 2 * pad, deepest + pad


def _wrap(text: str, room: float, measure: Measure, size: float) -> list[str]:
    """``text`` in lines no wider than ``room`` (a single long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and measure(f"{lines[-1]} {word}", size, False) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]
