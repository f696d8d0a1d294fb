"""The part of ``kb`` that orders and picks clusters for a section.

A mixin of :class:`~briefing_app.assembly.knowledge.KnowledgeBase`: those
of a sector with it as their first sector ahead (``clusters_main_first``),
those of any of the briefing's sectors, the zones outside them, the
sector's clusters elsewhere in the country, counts per kind, zones ahead of
grown clusters and the best described first (``cluster_profiles``). What
depends on the area alone is kept between builds (``kb_index.py``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from briefing_app.assembly.kb_index import _kinds, _slug
from briefing_app.assembly.record_groups import profile_clusters, zones_first


class ClustersMixin:
    """``kb.clusters_main_first``, ``kb.zones_first``, ``kb.cluster_profiles`` and kin."""

    def clusters_main_first(self, sector: Any, region: Any = None, kind: Any = None) -> list:
        """``clusters(sector=..., region=..., kind=...)`` with those whose
        FIRST sector is ``sector`` ahead of the rest; each part keeps the
        store's order.

        The same list as the template pipeline ``selectattr('sectors.0',
        'equalto', s) + rejectattr(...)``, without a sandboxed attribute check
        per cluster.
        """
        slug = _slug(sector)
        kinds = _kinds(kind)
        key = ("clusters_main_first", slug, self._region_filter(region), kinds)

        def ordered() -> list:
            if kinds is not None:
                return [c for c in self.clusters_main_first(slug, region=region) if c.kind in kinds]
            found = self.clusters(region=region, sector=slug)
            main = [c for c in found if c.sectors and c.sectors[0] == slug]
            rest = [c for c in found if not (c.sectors and c.sectors[0] == slug)]
            return main + rest

        # Kept between builds like the area's own lists (kb_index.py).
        return self._kept(key, ordered, True)

    def clusters_in_any(self, sectors: Any) -> list:
        """Clusters of the selected region in any of ``sectors`` (records or
        slugs): sector by sector, each cluster once, at its first appearance."""
        slugs = tuple(_slug(s) for s in sectors or ())

        def gathered() -> list:
            seen: set[str] = set()
            found = []
            for slug in slugs:
                for cluster in self.clusters(sector=slug):
                    if cluster.slug not in seen:
                        seen.add(cluster.slug)
                        found.append(cluster)
            return found

        return self._kept(("clusters_in_any", slugs, self._region_filter(None)), gathered, True)

    def zones_outside(self, sectors: Any) -> list:
        """Described clusters of the selected region whose kind is not of the
        "cluster" grouping (zones, parks, centres) and belong to none of
        ``sectors``; store order. The cluster mapping shows these because the
        sector sections already profile the others."""
        slugs = tuple(_slug(s) for s in sectors or ())
        area = self._region_filter(None)

        def outside() -> list:
            taken = {c.slug for c in self.clusters_in_any(slugs)}
            grown = set(self.kind_codes("clusters", "cluster"))
            kinds, about, named = (
                self._column("clusters", True, field) for field in ("kind", "description", "slug")
            )
            everywhere = self._in_area("clusters", None, True)
            return [
                everywhere[i]
                for i in self._positions("clusters", area, None, True, ())
                if kinds[i] not in grown and about[i] and named[i] not in taken
            ]

        return self._kept(("zones_outside", slugs, area), outside, True)

    def clusters_elsewhere(self, sector: Any) -> list:
        """The country's clusters of ``sector`` outside the selected region
        (none when no region is selected), in name order."""
        slug = _slug(sector)
        key = ("clusters_elsewhere", slug)
        if key not in self._memo:
            here = {c.slug for c in self.clusters(sector=slug)}
            self._memo[key] = [
                c for c in self.clusters(sector=slug, region="*") if c.slug not in here
            ]
        return self._memo[key]

    def clusters_by_kind(self, region: Any = None) -> list[tuple[str, int]]:
        """(kind, cluster count) for the clusters of ``clusters(region=...)``,
        in alphabetical order of kind."""
        key = ("clusters_by_kind", _slug(region))
        if key not in self._memo:
            counts: dict[str, list] = {}
            kinds = self._column("clusters", True, "kind")
            here = self._positions("clusters", self._region_filter(region), None, True, ())
            # Counted per kind first (in C), then kinds that differ only in case merge.
            for kind, many in Counter(map(kinds.__getitem__, here)).items():
                entry = counts.setdefault(kind.lower(), [kind, 0])
                entry[1] += many
            self._memo[key] = [tuple(counts[kind]) for kind in sorted(counts)]
        return self._memo[key]

    def zones_first(self, clusters: Any) -> list:
        """``clusters`` with zones, parks and centres (kinds not of the
        grouping "cluster") ahead of the clusters grown from the market
        (industrial clusters, craft villages), each part in its order."""
        grown = frozenset(self.kind_codes("clusters", "cluster"))
        return self._per_list(
            "zones_first",
            clusters,
            (),
            lambda found: zones_first(found, grown),
            what="cluster records",
        )

    def cluster_profiles(self, clusters: Any, sector: Any = None, zones_first: bool = True) -> Any:
        """``clusters`` sorted by how well their records describe them, for
        a section that profiles the best documented (record_groups.ClusterProfiles):
        ``ordered`` (zones first), ``own`` (of ``sector`` itself, with a
        description that says more than the industry), ``restating`` (of
        ``sector`` itself, description opening with the industry; industrial
        clusters first), ``sub_sector`` (reached only through a sub-sector,
        with a description of their own), ``described`` (of ``sector`` itself,
        any description). ``zones_first=False`` keeps the order of ``clusters``."""
        slug = _slug(sector)
        ahead = bool(zones_first)
        grown = frozenset(self.kind_codes("clusters", "cluster"))
        return self._per_list(
            "cluster_profiles",
            clusters,
            (slug, ahead),
            lambda found: profile_clusters(found, slug, ahead, grown),
            what="cluster records",
        )
