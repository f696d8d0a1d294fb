"""Counts and lists of clusters for ``kb``: by area, by sector, the
mapping annex and its per-region lists (a mixin of
:class:`~briefing_app.assembly.knowledge.KnowledgeBase`; answers are memoized
in its ``_memo`` like every other)."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain, groupby
from operator import attrgetter, itemgetter
from typing import Any

from briefing_app.assembly.kb_index import _kinds, _slug
from briefing_app.assembly.record_groups import (
    cluster_lists,
)

_SLUG = attrgetter("slug")
_AREA = itemgetter("area")
_PLACE_ORDER = itemgetter("area", "city", "name")


class CountsMixin:
    def clusters_by_region(self, region: Any = None, sector: Any = None) -> list[tuple[str, int]]:
        """(area name, cluster count) one level below the region, most first."""
        area = self._region_filter(region)
        return self._kept(
            ("clusters_by_region", area, _slug(sector)),
            lambda: self._count_by_area(region, sector),
            country_wide=area is None,
        )

    def clusters_by_sector(self, region: Any = None) -> list[tuple[str, int]]:
        """(top-level sector name, cluster count), most first."""
        area = self._region_filter(region)

        def everywhere() -> tuple[list[str], list[tuple[int, ...]]]:
            # The top-level sectors, and per cluster of the country the tops
            # it counts under: those with any of its sectors in their scope.
            tops = [top for top in self._all("sectors") if not top.parent]
            under: dict[str, list[int]] = defaultdict(list)
            for n, top in enumerate(tops):
                for slug in self._sector_scope(top.slug):
                    under[slug].append(n)
            per_cluster = [
                tuple(sorted({n for slug in cluster.sectors for n in under.get(slug, ())}))
                for cluster in self._in_area("clusters", None, True)
            ]
            return [top.name for top in tops], per_cluster

        def count() -> list[tuple[str, int]]:
            names, per_cluster = self._kept(("clusters_by_top_sector",), everywhere, True)
            if area is None:
                picked = per_cluster
            else:
                picked = map(per_cluster.__getitem__, self._area_positions("clusters", area, True))
            tally = Counter(chain.from_iterable(picked))
            counts = [(names[n], many) for n, many in sorted(tally.items())]
            counts.sort(key=lambda pair: (-pair[1], pair[0]))
            return counts

        return self._kept(("clusters_by_sector", area), count, country_wide=area is None)

    def cluster_mapping(
        self, region: Any = None, kind: Any = None, grouping: Any = "cluster"
    ) -> list:
        """Clusters as mapping rows grouped by top-level area (province, ...):
        those of ``kind`` (one or a list) if given, else those whose kind has
        ``grouping`` (by default the clusters grown from the market, such as
        industrial clusters and craft villages).

        Each row is a dict with ``area``, ``area_local``, ``name``, ``city``,
        ``city_local``, ``industry`` and ``source``. Areas with most clusters
        come first, as in a cluster mapping annex; places sort within them.
        """
        if kind is None:
            kind = self.kind_codes("clusters", grouping)
        kind = _kinds(kind)
        key = ("cluster_mapping", _slug(region), kind)
        if key not in self._memo:
            rows, rank = self._kept(("mapping_rows",), self._mapping_rows, True)
            # Rank order is area, place, name: each area's rows come out
            # together, and the areas are then ordered by size.
            slugs = sorted(
                map(_SLUG, self.clusters(region=region, kind=kind)), key=rank.__getitem__
            )
            groups = [list(g) for _, g in groupby(map(rows.__getitem__, slugs), key=_AREA)]
            groups.sort(key=lambda group: (-len(group), group[0]["area"]))
            self._memo[key] = list(chain.from_iterable(groups))
        return self._memo[key]

    def _mapping_rows(self) -> tuple[dict[str, dict], dict[str, int]]:
        """The mapping row of every cluster of the country, and each
        cluster's rank in (area, place, name) order, by slug."""
        rows = {}
        for cluster in self._in_area("clusters", None, True):
            area = self._top_area(cluster.region)
            rows[cluster.slug] = {
                "area": area.name if area else "",
                "area_local": area.local_name if area else "",
                "name": cluster.name,
                "city": cluster.city,
                "city_local": cluster.city_local,
                "local_name": cluster.local_name,
                "industry": cluster.industry,
                "source": cluster.source,
            }
        ordered = sorted(rows, key=lambda slug: _PLACE_ORDER(rows[slug]))
        return rows, {slug: n for n, slug in enumerate(ordered)}

    def cluster_lists(self, region: Any = None) -> list:
        """The industrial clusters of ``cluster_mapping(region)`` split by
        source (record_groups.ClusterList): one list per source that gives
        many of them, such as a ranking, with its ``title`` and per-area
        ``counts``; then the clusters the other sources name (``source`` "")."""
        key = ("cluster_lists", _slug(region))
        if key not in self._memo:
            titles = {}
            for slug in {row["source"] for row in self.cluster_mapping(region=region)}:
                record = self.source(slug) if slug else None
                titles[slug] = record.title if record else slug
            rows = [
                {**row, "source_name": titles.get(row["source"], "")}
                for row in self.cluster_mapping(region=region)
            ]
            self._memo[key] = cluster_lists(rows, titles)
        return self._memo[key]

    def _count_by_area(self, region: Any, sector: Any) -> list[tuple[str, int]]:
        target = self._region_filter(region)
        here = self._positions("clusters", target, _slug(sector), True, ())
        if target:
            areas = self.region_members(target)
        else:
            groups = self.kind_codes("regions", "group")
            areas = [r for r in self.regions() if not r.parent and r.kind not in groups]
        # Clusters per region first, then each area adds up the regions of
        # its scope: one pass over the clusters, whatever the number of areas.
        per_region = Counter(map(self._column("clusters", True, "region").__getitem__, here))
        counts = []
        for area in areas:
            scope = self._region_scope(area.slug)
            if len(scope) < len(per_region):
                count = sum(per_region.get(slug, 0) for slug in scope)
            else:
                count = sum(n for slug, n in per_region.items() if slug in scope)
            if count:
                counts.append((area.name, count))
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
        return counts
