"""``kb``: the read-only view of the knowledge base that templates see.

It binds the selected country (and region), so that a template asks
``kb.clusters(sector='automotive')`` and never names a country. Answers are
memoized for the life of one build: a template may ask the same question in a
loop, and twenty sections ask the same few questions, without a query each
time. The store itself is kept in a private attribute the sandbox refuses.
How records are found and what is kept between builds is
:class:`~briefing_app.assembly.kb_index.RecordIndex`, its base class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from briefing_app.assembly.fields import is_record
from briefing_app.assembly.kb_clusters import ClustersMixin
from briefing_app.assembly.kb_counts import CountsMixin
from briefing_app.assembly.kb_filters import FiltersMixin
from briefing_app.assembly.kb_index import RecordIndex, _kinds, _slug, _star, _words
from briefing_app.assembly.kb_kinds import KindsMixin
from briefing_app.assembly.kb_matching import RelevanceMixin
from briefing_app.assembly.kb_partners import PartnersMixin
from briefing_app.assembly.kb_wording import WordingMixin
from briefing_app.assembly.maturity import maturity_index
from briefing_app.assembly.record_groups import (
    PolicyReach,
    group_indicators,
)


class KnowledgeBase(
    ClustersMixin,
    CountsMixin,
    FiltersMixin,
    KindsMixin,
    PartnersMixin,
    WordingMixin,
    RelevanceMixin,
    RecordIndex,
):
    """The ``kb`` object of docs/templates.md."""

    def __init__(self, store: Any, country: Any, region: Any | None = None) -> None:
        super().__init__(store, country, region)
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
        """Policies of the country; ``region`` narrows to one region's policies.

        With a region selected and no ``region`` given, a policy tied to a
        region (a city-cluster plan, a local programme) is kept only where
        its area and the selected one overlap: the Greater Bay Area plan in
        a Guangdong or Shenzhen briefing, not in a Zhejiang one. ``region="*"``
        gives every policy of the country."""
        found = self._within("policies", region=_star(region), sector=_slug(sector), level=level)
        if region is not None or self._region is None:
            return found
        key = ("policies_here", _slug(sector), level)
        if key not in self._memo:
            here = self._region_scope(self._region.slug)
            self._memo[key] = [
                p for p in found if not p.region or here & self._region_scope(p.region)
            ]
        return self._memo[key]

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
            # A company tied to no region is not a national body: the sources
            # simply do not give its place.
            placeless = self.kind_codes("organisations", "company")
            self._memo[key] = [
                o
                for o in self.organisations(sector=sector)
                if not o.region and o.kind not in placeless and not (general and o.sectors)
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
            national = {o.slug for o in self.national_organisations(sector=slug)}
            self._memo[key] = [
                o for o in self.organisations(sector=slug) if o.slug in near or o.slug in national
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

    def partnerships(
        self, sector: Any = None, kind: str | None = None, grouping: Any = None
    ) -> list:
        """Partnerships and projects targeting the country; ``grouping`` keeps
        those whose kind has that grouping (or one of a list: docs/kinds.md)."""
        if grouping is not None:
            key = ("partnerships", _slug(sector), kind, "grouping", str(grouping))
            if key not in self._memo:
                codes = set(self.kind_codes("partnerships", grouping))
                self._memo[key] = [p for p in self.partnerships(sector, kind) if p.kind in codes]
            return self._memo[key]
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
        order: str = "meaning",
    ) -> list:
        """``indicators`` grouped by name, ready to print (see
        record_groups.IndicatorGroup): each group has ``points`` by year and
        its ``latest``, ``earliest`` and ``peak`` figures.

        ``mentioning`` keeps the groups whose first figure's slug or series
        contains one of these words, ``not_mentioning`` drops those that
        contain one; ``order`` is "meaning" (totals before their parts, then
        by year: record_groups.by_meaning), "name" or "source" (groups citing
        the same source next to each other, so that one footnote serves them).
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

    def regions(self, kind: str | None = None, grouping: Any = None) -> list:
        """Regions of the country, of one ``kind``; ``grouping`` ("group",
        "area", "place" or a list) keeps those whose kind has it, in the
        order of their kinds (docs/kinds.md), then by name."""
        found = self._ask("regions", self._store.regions, country=self._iso, kind=kind)
        if grouping is None:
            return found
        key = ("regions", kind, "grouping", str(grouping))
        if key not in self._memo:
            codes = self.kind_codes("regions", grouping)
            rank = {code: n for n, code in enumerate(codes)}
            self._memo[key] = sorted(
                (r for r in found if r.kind in rank), key=lambda r: rank[r.kind]
            )
        return self._memo[key]

    def region_members(self, slug: Any) -> list:
        return self._ask("region_members", self._store.region_members, _slug(slug))

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
        return [r for r in records or () if _slug(r) not in unwanted]

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

    def _per_list(
        self,
        name: str,
        records: Any,
        options: tuple,
        compute: Callable[[list], Any],
        what: str = "records",
        dicts: bool = False,
    ) -> Any:
        """``compute(records)`` once per build for the same list object and
        options: a template passes the list it got from ``kb`` (or built once
        with ``set``), often inside a loop. The memo holds the list itself, so
        that its id cannot be taken by another list while the build runs.
        ``dicts``: rows as dicts are taken too (table rows)."""
        key = (name, id(records), options)
        held = self._memo.get(key)
        if held is not None and held[0] is records:
            return held[1]
        if isinstance(records, str) or not isinstance(records, Iterable | None):
            raise TypeError(f"kb.{name} needs a list of {what}, not {type(records).__name__}")

        def worked_out() -> Any:
            given = list(records or ())
            stranger = next(
                (r for r in given if not (is_record(r) or (dicts and isinstance(r, dict)))), None
            )
            if stranger is not None:  # the computations read fields: records only (fields.py)
                what_not = type(stranger).__name__
                raise TypeError(f"kb.{name} needs a list of {what}, not of {what_not}")
            try:
                return compute(given)
            except AttributeError as exc:
                raise TypeError(f"kb.{name} needs a list of {what}: {exc}") from exc

        if self._is_kept(records):  # kept between builds: so is what comes of it
            found = self._kept(("per list", *key), worked_out, True)
        else:
            found = worked_out()
        self._memo[key] = (records, found)
        return found
