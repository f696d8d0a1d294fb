"""What the two maps show, worked out from the knowledge base.

:func:`clusters_map` gives a :class:`~briefing_app.document.MapSpec` with one
place per province-level area (every region without a parent that does not
group others), valued by its clusters of the chosen sectors (all clusters
when none is chosen), the selected region highlighted. :func:`city_clusters_map`
gives the members of each region group (city clusters, macro-regions). Only
regions with a position are drawn; with none, there is no map (None), and
the helper prints nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from briefing_app import geodata
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.document import MapGroup, MapPlace, MapSpec


class MapData(NamedTuple):
    spec: MapSpec
    position_sources: tuple[str, ...]  # sources of the positions shown, most used first
    data_sources: tuple[str, ...] = ()  # sources of what is shown (clusters, group members)

    @property
    def outline(self) -> bool:
        """Whether the map draws the country's outline (Natural Earth): an
        invented or unknown country gets its places on a bare grid."""
        return geodata.has_outline(self.spec.country)


def has_position(region: Any) -> bool:
    return getattr(region, "latitude", None) is not None and region.longitude is not None


def _place(region: Any, **extra: Any) -> MapPlace:
    local = region.local_name if region.local_name != region.name else ""
    return MapPlace(region.name, region.latitude, region.longitude, local, **extra)


def clusters_map(kb: KnowledgeBase, sectors: Any = (), region: Any = None) -> MapData | None:
    """Clusters per area of the country, the selected region highlighted.

    ``sectors`` are records or slugs; ``region`` (record or slug) is the one
    to highlight, by default the selection's own.
    """
    groups = kb.kind_codes("regions", "group")
    areas = [r for r in kb.regions() if not r.parent and r.kind not in groups]
    placed = [a for a in areas if has_position(a)]
    if not placed:
        return None
    counts = _counts_per_area(kb, sectors)
    selected = _selected(kb, region)
    scope = kb._region_scope(selected.slug) if selected is not None else set()
    highlighted = {
        area.slug
        for area in areas
        if scope and (area.slug in scope or kb._region_scope(area.slug) & scope)
    }
    places = tuple(
        _place(area, value=float(counts.get(area.slug, 0)), highlighted=area.slug in highlighted)
        for area in placed
    )
    marker = None
    shown = list(placed)
    if selected is not None and selected.slug not in {a.slug for a in placed}:
        if has_position(selected):
            marker = _place(selected, highlighted=True)
            shown.append(selected)
    spec = MapSpec(
        kind="clusters",
        country=kb._country.iso_code,
        places=places,
        value_label="Clusters",
        marker=marker,
    )
    counted = Counter(c.source for c in _clusters(kb, sectors) if c.source)
    return MapData(spec, _sources(shown), tuple(s for s, _n in counted.most_common()))


def city_clusters_map(kb: KnowledgeBase, region: Any = None) -> MapData | None:
    """The members of every region group with positions, marked by group."""
    kinds = kb.kind_codes("regions", "group")
    groups = [g for g in kb.regions() if g.kind in kinds]
    selected = _selected(kb, region)
    members: dict[str, tuple[Any, list[int]]] = {}
    shown: list[MapGroup] = []
    for group in sorted(groups, key=lambda g: g.name):
        inside = [m for m in kb.region_members(group.slug) if has_position(m)]
        if not inside:
            continue
        index = len(shown)
        local = group.local_name if group.local_name != group.name else ""
        is_selected = selected is not None and selected.slug == group.slug
        shown.append(MapGroup(group.name, local, highlighted=is_selected))
        for member in inside:
            members.setdefault(member.slug, (member, []))[1].append(index)
    if not shown:
        return None
    places = tuple(
        _place(member, groups=tuple(indexes))
        for member, indexes in sorted(members.values(), key=lambda pair: pair[0].name)
    )
    spec = MapSpec(
        kind="city-clusters", country=kb._country.iso_code, places=places, groups=tuple(shown)
    )
    described = Counter(g.source for g in groups if g.source and g.name in {s.name for s in shown})
    return MapData(
        spec,
        _sources(member for member, _i in members.values()),
        tuple(s for s, _n in described.most_common()),
    )


def _sources(regions: Any) -> tuple[str, ...]:
    used = Counter(r.position_source for r in regions if r.position_source)
    return tuple(slug for slug, _n in used.most_common())


def _counts_per_area(kb: KnowledgeBase, sectors: Any) -> Counter:
    """Clusters of ``sectors`` (all when none) per top-level area of the
    country: the same for every region chosen, so kept between builds like
    the country's lists (at 100,000 clusters, a tenth of a rebuild)."""
    slugs = tuple(getattr(s, "slug", s) for s in (sectors or ()))

    def count() -> Counter:
        counts: Counter = Counter()
        for cluster in _clusters(kb, slugs):
            top = kb._top_area(cluster.region)
            if top is not None:
                counts[top.slug] += 1
        return counts

    return kb._kept(("clusters per area", slugs), count, True)


def _clusters(kb: KnowledgeBase, sectors: Any) -> list:
    slugs = [getattr(s, "slug", s) for s in (sectors or ())]
    if not slugs:
        return kb.clusters(region="*")
    seen: dict[str, Any] = {}
    for slug in slugs:
        for cluster in kb.clusters(region="*", sector=slug):
            seen.setdefault(cluster.slug, cluster)
    return list(seen.values())


def _selected(kb: KnowledgeBase, region: Any) -> Any:
    if region is None:
        return kb._region
    slug = getattr(region, "slug", region)
    return kb.region(str(slug)) if slug and slug != "*" else None
