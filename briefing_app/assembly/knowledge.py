"""``kb``: the read-only view of the knowledge base that templates see.

It binds the selected country (and region), so that a template asks
``kb.clusters(sector='automotive')`` and never names a country. Answers are
memoized for the life of one build: a template may ask the same question in a
loop, and twenty sections ask the same few questions, without a query each
time. The store itself is kept in a private attribute the sandbox refuses.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import chain, groupby
from operator import attrgetter, itemgetter
from typing import Any

from briefing_app.assembly.record_groups import (
    PolicyReach,
    group_indicators,
    profile_clusters,
    zones_first,
)
from briefing_app.errors import NotFoundError
from briefing_app.trees import descendants

# Kinds of regions that group others rather than form the administrative map.
GROUPING_KINDS = ("macro-region", "city-cluster")
# The evaluation kinds of records.Policy that count for the maturity index.
ONGOING_OR_PAST = ("in-itinere",)
EX_ANTE_OR_POST = ("ex-ante", "ex-post", "ex-ante-and-ex-post")
# Few records each: ``kb.region(slug)`` and the like answer from one load of
# the whole entity. Clusters, organisations and the rest keep a query per
# slug, so that one lookup does not read a table of many thousand rows.
_SLUG = attrgetter("slug")
_AREA = itemgetter("area")
_PLACE_ORDER = itemgetter("area", "city", "name")
SMALL_ENTITIES = ("countries", "regions", "sectors", "sources")


class KnowledgeBase:
    """The ``kb`` object of docs/templates.md."""

    def __init__(self, store: Any, country: Any, region: Any | None = None) -> None:
        self._store = store
        self._country = country
        self._region = region
        self._memo: dict[tuple, Any] = {}
        self._cited: list[Any] = []
        self._cited_slugs: set[str] = set()

    # -- lists ---------------------------------------------------------------

    def clusters(self, region: Any = None, sector: Any = None, kind: Any = None) -> list:
        """Clusters of the selected region (or ``region``; "*" = the whole
        country); ``kind`` is one kind or a list of kinds."""
        area, slug, kinds = self._region_filter(region), _slug(sector), _kinds(kind)
        if kinds is None or isinstance(kind, str):
            return self._within("clusters", region=area, sector=slug, kind=kind)
        key = ("clusters", area, slug, kinds)
        if key not in self._memo:
            self._memo[key] = [
                c for c in self._within("clusters", region=area, sector=slug) if c.kind in kinds
            ]
        return self._memo[key]

    def policies(self, sector: Any = None, level: str | None = None, region: Any = None) -> list:
        """Policies of the country; ``region`` narrows to one region's policies."""
        return self._within("policies", region=_star(region), sector=_slug(sector), level=level)

    def organisations(self, sector: Any = None, region: Any = None, kind: Any = None) -> list:
        """Organisations of the country (or of ``region``); ``kind`` is one
        kind or a list of kinds."""
        found = self._within("organisations", region=_star(region), sector=_slug(sector))
        kinds = _kinds(kind)
        if kinds is None:
            return found
        key = ("organisations", _slug(sector), _star(region), kinds)
        if key not in self._memo:
            self._memo[key] = [o for o in found if o.kind in kinds]
        return self._memo[key]

    def national_organisations(self, sector: Any = None, general: bool = False) -> list:
        """Organisations of the country tied to no region (they serve every
        area), in name order; ``sector`` keeps those of that sector,
        ``general=True`` those that name no sector at all."""
        key = ("national_organisations", _slug(sector), bool(general))
        if key not in self._memo:
            self._memo[key] = [
                o
                for o in self.organisations(sector=sector)
                if not o.region and not (general and o.sectors)
            ]
        return self._memo[key]

    def local_organisations(self, sector: Any = None, general: bool = False) -> list:
        """Organisations based in the selected region, then those of the area
        around it (``enclosing_area``), each once. With no region selected:
        every organisation of the country that has a region, in name order.
        ``sector`` keeps those of that sector, ``general=True`` those that
        name no sector at all."""
        slug = _slug(sector)
        if general:
            key = ("local_organisations", slug, True)
            if key not in self._memo:
                self._memo[key] = [
                    o for o in self.local_organisations(sector=slug) if not o.sectors
                ]
            return self._memo[key]
        key = ("local_organisations", slug, False)
        if key not in self._memo:
            if self._region is None:
                found = [o for o in self.organisations(sector=slug) if o.region]
            else:
                found = list(self.organisations(sector=slug, region=self._region.slug))
                enclosing = self.enclosing_area()
                if enclosing:
                    seen = {o.slug for o in found}
                    found += [
                        o
                        for o in self.organisations(sector=slug, region=enclosing)
                        if o.slug not in seen
                    ]
            self._memo[key] = found
        return self._memo[key]

    def area_organisations(self, sector: Any = None) -> list:
        """National organisations and those of ``local_organisations``, in
        name order: the bodies that serve the selected area."""
        slug = _slug(sector)
        key = ("area_organisations", slug)
        if key not in self._memo:
            near = {o.slug for o in self.local_organisations(sector=slug)}
            self._memo[key] = [
                o for o in self.organisations(sector=slug) if not o.region or o.slug in near
            ]
        return self._memo[key]

    def enclosing_area(self) -> str:
        """The slug of the region around the selected one: its parent, or for
        a group (a city cluster, a macro-region) the one region all its members
        share as parent; "" when there is none or no region is selected."""
        if self._region is None:
            return ""
        if self._region.parent:
            return self._region.parent
        key = ("enclosing_area", self._region.slug)
        if key not in self._memo:
            shared: list[str] = []
            for member in self.region_members(self._region.slug):
                parent = member.parent
                if parent and parent != self._region.slug and parent not in shared:
                    shared.append(parent)
            self._memo[key] = shared[0] if len(shared) == 1 else ""
        return self._memo[key]

    def partnerships(self, sector: Any = None, kind: str | None = None) -> list:
        """Partnerships and projects targeting the country."""
        key = ("partnerships", _slug(sector), kind)
        if key not in self._memo:
            # Partnerships have no country column: they name their targets.
            self._memo[key] = [
                p
                for p in self._within("partnerships", None, _slug(sector), country=False, kind=kind)
                if self._iso in p.target_countries
            ]
        return self._memo[key]

    def indicators(self, series: str | None = None, sector: Any = None, region: Any = None) -> list:
        return self._within("indicators", region=_star(region), sector=_slug(sector), series=series)

    def economy_indicators(self, region: Any = None) -> list:
        """The country's indicators tied to no sector (economy-wide figures):
        with ``region`` None those of the country as a whole (no region), with
        a region those of its scope, with "*" every one; store order."""
        key = ("economy_indicators", _slug(region))
        if key not in self._memo:
            if region is None:
                found = [i for i in self.indicators() if not i.sector and not i.region]
            else:
                found = [i for i in self.indicators(region=region) if not i.sector]
            self._memo[key] = found
        return self._memo[key]

    def indicator_groups(
        self,
        indicators: Any,
        mentioning: Any = None,
        not_mentioning: Any = None,
        order: str = "name",
    ) -> list:
        """``indicators`` grouped by name, ready to print (see
        record_groups.IndicatorGroup): each group has ``points`` by year and
        its ``latest``, ``earliest`` and ``peak`` figures.

        ``mentioning`` keeps the groups whose first figure's slug or series
        contains one of these words, ``not_mentioning`` drops those that
        contain one; ``order`` is "name" or "source" (groups citing the same
        source next to each other, so that one footnote serves them).
        """
        words = None if mentioning is None else _words(mentioning, "mentioning")
        unwanted = _words(not_mentioning or (), "not_mentioning")
        return self._per_list(
            "indicator_groups",
            indicators,
            (words, unwanted, order),
            lambda found: group_indicators(found, words, unwanted, order),
            what="indicator records",
        )

    def regions(self, kind: str | None = None) -> list:
        return self._ask("regions", self._store.regions, country=self._iso, kind=kind)

    def region_members(self, slug: Any) -> list:
        return self._ask("region_members", self._store.region_members, _slug(slug))

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
        key = ("clusters_main_first", slug, _slug(region), kinds)
        if key not in self._memo:
            if kinds is not None:
                self._memo[key] = [
                    c for c in self.clusters_main_first(slug, region=region) if c.kind in kinds
                ]
            else:
                found = self.clusters(region=region, sector=slug)
                main = [c for c in found if c.sectors and c.sectors[0] == slug]
                rest = [c for c in found if not (c.sectors and c.sectors[0] == slug)]
                self._memo[key] = main + rest
        return self._memo[key]

    def clusters_in_any(self, sectors: Any) -> list:
        """Clusters of the selected region in any of ``sectors`` (records or
        slugs): sector by sector, each cluster once, at its first appearance."""
        slugs = tuple(_slug(s) for s in sectors or ())
        key = ("clusters_in_any", slugs)
        if key not in self._memo:
            seen: set[str] = set()
            found = []
            for slug in slugs:
                for cluster in self.clusters(sector=slug):
                    if cluster.slug not in seen:
                        seen.add(cluster.slug)
                        found.append(cluster)
            self._memo[key] = found
        return self._memo[key]

    def zones_outside(self, sectors: Any) -> list:
        """Described clusters of the selected region that are not of the
        industrial-cluster kind (zones, parks, centres) and belong to none of
        ``sectors``; store order. The cluster mapping shows these because the
        sector sections already profile the others."""
        slugs = tuple(_slug(s) for s in sectors or ())
        key = ("zones_outside", slugs)
        if key not in self._memo:
            taken = {c.slug for c in self.clusters_in_any(slugs)}
            area = self._region_filter(None)
            kinds, about, named = (
                self._column("clusters", True, field) for field in ("kind", "description", "slug")
            )
            everywhere = self._in_area("clusters", None, True)
            self._memo[key] = [
                everywhere[i]
                for i in self._positions("clusters", area, None, True, ())
                if kinds[i] != "industrial-cluster" and about[i] and named[i] not in taken
            ]
        return self._memo[key]

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
        """``clusters`` with zones, parks and centres (every kind but
        industrial-cluster) ahead of the industrial clusters, each part in
        its order."""
        return self._per_list("zones_first", clusters, (), zones_first, what="cluster records")

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
        return self._per_list(
            "cluster_profiles",
            clusters,
            (slug, ahead),
            lambda found: profile_clusters(found, slug, ahead),
            what="cluster records",
        )

    def own_and_broader(self, policies: Any, sector: Any) -> Any:
        """``policies`` split in two, each part in the order given: ``own``,
        those written for ``sector`` (every sector they name is the sector
        itself or one of its direct sub-sectors), and ``broader``, those that
        also name another sector (record_groups.PolicyReach)."""
        slug = _slug(sector)

        def own(policy: Any) -> bool:
            for named in policy.sectors:
                if named == slug:
                    continue
                record = self._one("sectors", named)
                if record is None or record.parent != slug:
                    return False
            return True

        def split(found: list) -> PolicyReach:
            mine = [p for p in found if own(p)]
            taken = {id(p) for p in mine}
            return PolicyReach(own=mine, broader=[p for p in found if id(p) not in taken])

        return self._per_list("own_and_broader", policies, (slug,), split, what="policy records")

    def without(self, records: Any, others: Any) -> list:
        """The records of ``records`` that are not in ``others`` (compared by
        slug), in their order."""
        unwanted = {_slug(r) for r in others or ()}
        return [r for r in records or () if r.slug not in unwanted]

    # -- single records (None when unknown) ---------------------------------

    def indicator(self, slug: str) -> Any:
        return self._one("indicators", slug)

    def policy(self, slug: str) -> Any:
        return self._one("policies", slug)

    def region(self, slug: str) -> Any:
        return self._one("regions", slug)

    def sector(self, slug: str) -> Any:
        return self._one("sectors", slug)

    def source(self, slug: str) -> Any:
        return self._one("sources", slug)

    def cluster(self, slug: str) -> Any:
        return self._one("clusters", slug)

    # -- summaries -----------------------------------------------------------

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

    def cluster_mapping(self, region: Any = None, kind: str | None = "industrial-cluster") -> list:
        """Clusters as mapping rows grouped by top-level area (province, ...).

        Each row is a dict with ``area``, ``area_local``, ``name``, ``city``,
        ``city_local``, ``industry`` and ``source``. Areas with most clusters
        come first, as in a cluster mapping annex; places sort within them.
        """
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
                "city_local": cluster.city_local or cluster.local_name,
                "industry": cluster.industry,
                "source": cluster.source,
            }
        ordered = sorted(rows, key=lambda slug: _PLACE_ORDER(rows[slug]))
        return rows, {slug: n for n, slug in enumerate(ordered)}

    def maturity_index(self) -> list[dict[str, Any]]:
        """The four dimensions of the cluster policy maturity index (see maturity.py)."""
        key = ("maturity_index",)
        if key not in self._memo:
            self._memo[key] = maturity_index(self.policies())
        return self._memo[key]

    def sources_cited(self) -> list:
        """Sources cited so far in this briefing, in order of first citation."""
        return list(self._cited)

    # -- for the helpers (not for templates: they cannot see underscores) ----

    def _note_citation(self, source: Any) -> None:
        if source.slug not in self._cited_slugs:
            self._cited_slugs.add(source.slug)
            self._cited.append(source)

    # -- internals -------------------------------------------------------------

    @property
    def _iso(self) -> str:
        return self._country.iso_code

    def _region_filter(self, region: Any) -> str | None:
        if region is None:
            return self._region.slug if self._region is not None else None
        return _star(region)

    def _ask(self, name: str, query: Callable[..., Any], *args: Any, **kwargs: Any) -> list:
        key = (name, args, tuple(sorted(kwargs.items())))
        if key not in self._memo:
            self._memo[key] = list(
                query(*args, **{k: v for k, v in kwargs.items() if v is not None})
            )
        return self._memo[key]

    def _within(
        self,
        entity: str,
        region: str | None,
        sector: str | None,
        country: bool = True,
        **equal: Any,
    ) -> list:
        """Records of ``entity`` in the country, the region's scope and the
        sector's scope whose other fields equal ``equal`` (None = any).

        The same rules as the store's filtered lists, applied in memory to
        one load of the whole entity: a briefing asks per sector and per
        region, and a store query each time would read the table again.
        Order is the store's (by name).
        """
        wanted = tuple(sorted((k, v) for k, v in equal.items() if v is not None))

        def compute() -> list:
            if not sector and not wanted:
                return self._in_area(entity, region, country)
            everywhere = self._in_area(entity, None, country)
            return [everywhere[i] for i in self._positions(entity, region, sector, country, wanted)]

        key = ("within", entity, region, sector, country, wanted)
        return self._kept(key, compute, country_wide=not region)

    def _positions(
        self, entity: str, region: str | None, sector: str | None, country: bool, wanted: tuple
    ) -> list[int]:
        """Positions, in the country-wide list, of what ``_within`` answers:
        picked from the country's sector and region indexes (kept between
        builds) and compared on kept columns, so no record outside the
        answer is looked at, and the records inside it only once."""

        def compute() -> list[int]:
            if sector:
                index = self._sector_index(entity, country)
                hits = [index[s] for s in self._known_scope("sector", sector) if s in index]
                positions = hits[0] if len(hits) == 1 else sorted(set().union(*hits))
                if region:
                    inside = self._area_members(entity, region, country)
                    positions = [i for i in positions if i in inside]
            elif region:
                positions = self._area_positions(entity, region, country)
            else:
                positions = range(len(self._in_area(entity, None, country)))
            for field, value in wanted:
                column = self._column(entity, country, field)
                positions = [i for i in positions if column[i] == value]
            return list(positions)

        key = ("positions", entity, region, sector, country, wanted)
        return self._kept(key, compute, country_wide=not region)

    def _column(self, entity: str, country: bool, field: str) -> list:
        """One field of every record of the country-wide list, in its order
        (kept between builds): counting or comparing a field over thousands
        of records reads one list instead of thousands of objects."""
        return self._kept(
            ("column", entity, country, field),
            lambda: list(map(attrgetter(field), self._in_area(entity, None, country))),
            True,
        )

    def _in_area(self, entity: str, region: str | None, country: bool) -> list:
        """Records of ``entity`` in the country (when ``country``) and the
        region's scope: shared by every sector and kind asked about there."""
        if region:
            key = ("in_area", entity, region, country)
            if key not in self._memo:
                everywhere = self._in_area(entity, None, country)
                self._memo[key] = [
                    everywhere[i] for i in self._area_positions(entity, region, country)
                ]
            return self._memo[key]

        def select() -> list:
            found = self._all(entity)
            if country:
                iso = self._iso
                found = [r for r in found if r.country == iso]
            return found

        return self._kept(("in_area", entity, None, country), select, True)

    def _area_positions(self, entity: str, region: str, country: bool) -> list[int]:
        """Positions, in the country-wide list, of the records in the
        region's scope, in order: merged from the country's region index
        (kept between builds) instead of a pass over every record."""
        key = ("area_positions", entity, region, country)
        if key not in self._memo:

            def by_region() -> dict[str, list[int]]:
                index: dict[str, list[int]] = defaultdict(list)
                for position, record in enumerate(self._in_area(entity, None, country)):
                    index[record.region].append(position)
                return dict(index)

            index = self._kept(("region_index", entity, country), by_region, True)
            scope = self._known_scope("region", region)
            runs = [index[slug] for slug in scope if slug in index]
            self._memo[key] = runs[0] if len(runs) == 1 else sorted(chain.from_iterable(runs))
        return self._memo[key]

    def _area_members(self, entity: str, region: str, country: bool) -> set[int]:
        key = ("area_members", entity, region, country)
        if key not in self._memo:
            self._memo[key] = set(self._area_positions(entity, region, country))
        return self._memo[key]

    def _sector_index(self, entity: str, country: bool) -> dict:
        """Sector slug -> the positions, in the country-wide list, of the
        records that list it (their ``sectors``, or their one ``sector``):
        a sector's records are then picked without looking at the others.
        Kept between builds."""

        def build() -> dict:
            records = self._in_area(entity, None, country)
            index: dict[str, list[int]] = defaultdict(list)
            if records and hasattr(records[0], "sectors"):
                for position, record in enumerate(records):
                    for slug in record.sectors:
                        positions = index[slug]
                        if not positions or positions[-1] != position:  # listed twice
                            positions.append(position)
            else:
                for position, record in enumerate(records):
                    index[record.sector].append(position)
            return dict(index)

        return self._kept(("sector_index", entity, country), build, True)

    def _kept(self, key: tuple, compute: Callable[[], Any], country_wide: bool) -> Any:
        """``compute()`` memoised for this build; an answer about the whole
        country is also kept by the store between builds, until its data
        changes, since every selection in the country asks it again (at
        100,000 clusters the sector index of all of them took 50 ms a build).
        Answers kept so are shared and never changed by their users.
        """
        if key not in self._memo:
            keep = getattr(self._store, "derived", None) if country_wide else None
            self._memo[key] = keep(("kb", self._iso, *key), compute) if keep else compute()
        return self._memo[key]

    def _known_scope(self, kind: str, slug: str) -> set[str]:
        """The store's region or sector scope; NotFoundError for an unknown
        slug, as the store's filtered lists give (not memoised then)."""
        key = ("known_scope", kind, slug)
        if key not in self._memo:
            scope = self._scope(kind, slug)
            if scope is None:  # unknown: the store says so in its own words
                ask = self._store.region_scope if kind == "region" else self._store.sector_scope
                scope = set(ask(slug))
            self._memo[key] = scope
        return self._memo[key]

    def _scope(self, kind: str, slug: Any) -> set[str] | None:
        """``slug`` and everything below it, the rules of the store's
        region_scope and sector_scope (a region's members are the regions
        whose parent it is or that name it among their groups), worked out
        from one load of the regions or sectors; None for an unknown slug."""
        entity = "regions" if kind == "region" else "sectors"
        if not isinstance(slug, str) or self._one(entity, slug) is None:
            return None
        key = ("children", entity)
        if key not in self._memo:
            children: dict[str, set[str]] = {}
            for record in self._all(entity):
                uppers = [record.parent] if record.parent else []
                if entity == "regions":
                    uppers += list(record.groups)
                for upper in uppers:
                    children.setdefault(upper, set()).add(record.slug)
            self._memo[key] = children
        return descendants(self._memo[key], slug)

    def _all(self, entity: str) -> list:
        return self._ask(f"all-{entity}", self._store.records, entity)

    def _one(self, entity: str, slug: Any) -> Any:
        slug = _slug(slug)
        if entity in SMALL_ENTITIES:
            key = ("by_slug", entity)
            if key not in self._memo:
                self._memo[key] = {r.slug: r for r in self._all(entity)}
            return self._memo[key].get(slug) if isinstance(slug, str) else None
        key = ("one", entity, slug)
        if key not in self._memo:
            try:
                self._memo[key] = self._store.get(entity, slug)
            except NotFoundError:
                self._memo[key] = None
        return self._memo[key]

    def _per_list(
        self,
        name: str,
        records: Any,
        options: tuple,
        compute: Callable[[list], Any],
        what: str = "records",
    ) -> Any:
        """``compute(records)`` once per build for the same list object and
        options: a template passes the list it got from ``kb`` (or built once
        with ``set``), often inside a loop. The memo holds the list itself, so
        that its id cannot be taken by another list while the build runs."""
        key = (name, id(records), options)
        held = self._memo.get(key)
        if held is not None and held[0] is records:
            return held[1]
        if isinstance(records, str) or not isinstance(records, Iterable | None):
            raise TypeError(f"kb.{name} needs a list of {what}, not {type(records).__name__}")
        try:
            found = compute(list(records or ()))
        except AttributeError as exc:
            raise TypeError(f"kb.{name} needs a list of {what}: {exc}") from exc
        self._memo[key] = (records, found)
        return found

    def _sector_scope(self, slug: str) -> set[str]:
        key = ("sector_scope", slug)
        if key not in self._memo:
            # A section may name a sector this knowledge base lacks: itself only.
            self._memo[key] = self._scope("sector", slug) or {slug}
        return self._memo[key]

    def _region_scope(self, slug: str) -> set[str]:
        key = ("region_scope", slug)
        if key not in self._memo:
            # A section may name a region this knowledge base lacks: itself only.
            self._memo[key] = self._scope("region", slug) or {slug}
        return self._memo[key]

    def _top_area(self, slug: str) -> Any:
        """The administrative region at the top of ``slug``'s parent chain."""
        key = ("top_area", slug)
        if key not in self._memo:
            region, seen = self._one("regions", slug), set()
            while region is not None and region.parent and region.slug not in seen:
                seen.add(region.slug)
                region = self._one("regions", region.parent) or region
                if region.slug in seen:
                    break
            self._memo[key] = region
        return self._memo[key]

    def _count_by_area(self, region: Any, sector: Any) -> list[tuple[str, int]]:
        target = self._region_filter(region)
        here = self._positions("clusters", target, _slug(sector), True, ())
        if target:
            areas = self.region_members(target)
        else:
            areas = [r for r in self.regions() if not r.parent and r.kind not in GROUPING_KINDS]
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


def maturity_index(policies: list, today: _dt.date | None = None) -> list[dict[str, Any]]:
    """Score the policies by the rules of the cluster policy factsheet (003).

    Policy scope: 1 when only broader policies support clusters, 2 when a
    targeted cluster policy exists. Consistency (cluster policies only): 0
    without one, 1 for under ten years or an interrupted run, 2 for over ten
    years without interruption. Evidence of performance: 0.5 for in-itinere
    evaluations or evaluations of ended policies, 0.5 for ex-ante or ex-post
    ones, at most 1. Instruments: 1 for financial and 1 for technical ones.
    """
    year = (today or _dt.date.today()).year
    cluster_policies = [p for p in policies if p.is_cluster_policy]
    scope = 2 if cluster_policies else (1 if policies else 0)
    consistency = 0
    for policy in cluster_policies:
        start = policy.start_year or year
        end = min(policy.end_year or year, year)
        long_run = end - start > 10
        consistency = max(consistency, 2 if long_run and policy.continuity != "interrupted" else 1)
    evaluated = [p for p in policies if p.evaluation and p.evaluation != "none"]
    ongoing_or_past = any(
        p.evaluation in ONGOING_OR_PAST or (p.end_year and p.end_year < year) for p in evaluated
    )
    ante_or_post = any(p.evaluation in EX_ANTE_OR_POST for p in evaluated)
    evidence = 0.5 * ongoing_or_past + 0.5 * ante_or_post
    instruments = int(any(p.financial_instruments.strip() for p in policies)) + int(
        any(p.technical_instruments.strip() for p in policies)
    )
    return [
        {
            "dimension": "Policy scope",
            "score": scope,
            "maximum": 2,
            "rule": "broader policies supporting clusters = 1; a targeted cluster policy = 2",
        },
        {
            "dimension": "Consistency of cluster policies",
            "score": consistency,
            "maximum": 2,
            "rule": "cluster policies only: none = 0; under 10 years or interrupted = 1; "
            "over 10 years continuous = 2",
        },
        {
            "dimension": "Evidence of performance",
            "score": evidence,
            "maximum": 1,
            "rule": "in-itinere or past-policy evaluations = 0.5; "
            "ex-ante or ex-post evaluations = 0.5",
        },
        {
            "dimension": "Instruments",
            "score": instruments,
            "maximum": 2,
            "rule": "1 point each for financial and technical support instruments",
        },
    ]


def _slug(value: Any) -> Any:
    """A record or a slug -> the slug (None stays None)."""
    if value is None or isinstance(value, str):
        return value
    return getattr(value, "slug", value)


def _kinds(value: Any) -> tuple[str, ...] | None:
    """A kind or a list of kinds -> a tuple of kinds (None stays None)."""
    if value is None:
        return None
    return _words(value, "kind")


def _words(value: Any, name: str) -> tuple[str, ...]:
    """One word or a list of words -> a tuple of words."""
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a word or a list of words, not {type(value).__name__}")
    return tuple(value)


def _star(value: Any) -> Any:
    value = _slug(value)
    return None if value in ("*", "") else value
