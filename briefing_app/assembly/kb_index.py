"""How ``kb`` finds records: one load per entity, indexes kept between builds.

:class:`RecordIndex` is the part of the knowledge base view that templates
never see (every name starts with an underscore, which the sandbox refuses).
A briefing asks per sector and per region; rather than a store query each
time, the records of the country are loaded once and kept, with a region
index, a sector index and columns of single fields, by the store between
builds until its data change (``Store.derived``). An answer about one region
is a merge of positions in the country-wide list; an answer about the whole
country is kept like the list itself. Everything else is memoised for the
life of one build.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from briefing_app.assembly.fields import record_slug
from briefing_app.errors import NotFoundError
from briefing_app.trees import descendants

# Few records each: ``kb.region(slug)`` and the like answer from one load of
# the whole entity. Clusters, organisations and the rest keep a query per
# slug, so that one lookup does not read a table of many thousand rows.
SMALL_ENTITIES = ("countries", "regions", "sectors", "sources")


class RecordIndex:
    """Records of the knowledge base for one country (and selected region)."""

    def __init__(self, store: Any, country: Any, region: Any | None = None) -> None:
        self._store = store
        self._country = country
        self._region = region
        self._memo: dict[tuple, Any] = {}

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
            if keep is None:
                self._memo[key] = compute()
            else:
                self._memo[key] = value = keep(("kb", self._iso, *key), compute)
                self._hold(value)
        return self._memo[key]

    # A list kept between builds is the same object in every build until the
    # data change, so what is worked out from it (sorted, filtered, made into
    # table rows) can be kept as well, under its identity: the lists kept are
    # held in a registry that lives as long as they do (Store.derived drops
    # both when the file changes), so an identity is never another list's.

    def _kept_lists(self) -> dict[int, list] | None:
        # Looked up once a build: every kb answer asks, and the store checks
        # the file for changes at each lookup.
        if "kept lists" not in self._memo:
            keep = getattr(self._store, "derived", None)
            found = keep(("kb", self._iso, "kept lists"), dict) if keep is not None else None
            self._memo["kept lists"] = found
        return self._memo["kept lists"]

    def _hold(self, value: Any) -> None:
        """Note ``value`` (and the lists a kept answer holds) as kept."""
        registry = self._kept_lists()
        if registry is None:
            return
        parts = [value]
        if is_dataclass(value) and not isinstance(value, type):
            parts += [getattr(value, f.name) for f in fields(value)]
        for part in parts:
            if isinstance(part, list):
                registry[id(part)] = part

    def _is_kept(self, records: Any) -> bool:
        """Whether ``records`` is a list kept between builds (see above)."""
        if not isinstance(records, list):
            return False
        registry = self._kept_lists()
        return registry is not None and registry.get(id(records)) is records

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


def _slug(value: Any) -> Any:
    """A record or a slug -> the slug (None stays None)."""
    return record_slug(value)  # never getattr on what a template passed


def _star(value: Any) -> Any:
    """A region argument -> its slug; "*" or "" (the whole country) -> None."""
    value = _slug(value)
    return None if value in ("*", "") else value


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
