"""What a briefing will show, section by section, before it is built.

:func:`coverage` plans the outline of a selection (as the build would) and,
for each item, says which section fills it (one written for the country,
a variant for a sector, region or partnership, or the generic text), which
kinds of records its template draws on and how many of them the selection
holds, which facts are missing and which are older than ``max_age`` years
(indicators by year, policies by end year). It reads the templates' text
for the ``kb`` questions they ask and counts records in the store; nothing
is rendered, so it is quick enough to refresh on every change of selection.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from briefing_app.assembly.build import BuildSession
from briefing_app.assembly.library import SectionTemplate, split_front_matter
from briefing_app.assembly.needs import mark_left_out
from briefing_app.assembly.selection import OutlineItem, Selection
from briefing_app.errors import BriefingError
from briefing_app.store.vocabulary import vocabulary

DEFAULT_MAX_AGE = 5

# What a template's words draw on: pattern -> kind of data.
_USES = (
    (r"\bkb\.(clusters\w*|zones_\w+|cluster_\w+)\b", "clusters"),
    (r"\bkb\.(policies|policy|own_and_broader|maturity_index)\b", "policies"),
    (r"\bkb\.\w*organisations\b", "organisations"),
    (r"\bkb\.partnerships\b|\bpartnership\.\w+", "partnerships"),
    (r"\bkb\.(indicators|indicator|indicator_groups|economy_indicators)\b", "indicators"),
    (r"\bkb\.(regions|region_members)\b", "regions"),
    (r"\bcountry\.description\b", "country profile"),
    (r"\bsector\.description\b", "sector profile"),
    (r"\bregion\.description\b", "region profile"),
    (r"\bkb\.sources_cited\b", "sources"),
    (r"\bmap_figure\(", "map places"),
)
_USE_PATTERNS = tuple((re.compile(p), kind) for p, kind in _USES)


@dataclass(frozen=True)
class DataUse:
    """One kind of data a section draws on and how many records it finds."""

    kind: str
    count: int
    scope: str  # in words: "Zhejiang, automotive"


@dataclass(frozen=True)
class ItemCoverage:
    key: str
    title: str
    section: str
    origin: str  # "country", "variant" or "generic"
    level: int
    uses: tuple[DataUse, ...] = ()
    missing: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    left_out: str = ""  # why the briefing leaves the section out (assembly.needs)


@dataclass(frozen=True)
class CoverageReport:
    country: str
    area: str
    blueprint: str
    max_age: int
    year: int
    items: tuple[ItemCoverage, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def gaps(self) -> int:
        """Missing and stale facts over the whole briefing."""
        return sum(len(i.missing) + len(i.stale) for i in self.items)


def section_origin(section: SectionTemplate, iso: str, front_matter: dict | None = None) -> str:
    """ "country" for a text written for this country (``countries`` in its
    front matter), "variant" for one replacing a generic text for a sector,
    region or partnership, else "generic"."""
    countries = getattr(section, "countries", None) or (front_matter or {}).get("countries")
    countries = (countries,) if isinstance(countries, str) else tuple(countries or ())
    if iso in [str(c) for c in countries]:
        return "country"
    if section.variant_of or section.sectors or section.regions or section.partnerships:
        return "variant"
    return "generic"


def uses_of(section: SectionTemplate) -> list[str]:
    """The kinds of data the section's title and body draw on, in a fixed order."""
    text = section.title + "\n" + section.body
    return [kind for pattern, kind in _USE_PATTERNS if pattern.search(text)]


def coverage(
    store: Any,
    selection: Selection,
    max_age: int = DEFAULT_MAX_AGE,
    outline: list[OutlineItem] | None = None,
    year: int | None = None,
) -> CoverageReport:
    """The coverage of ``selection`` (its edited outline, else the planned one)."""
    session = BuildSession(store, selection)
    items = list(outline if outline is not None else selection.outline) or session.plan()
    items = mark_left_out(session, items)
    year = year or dt.date.today().year
    counter = _Counter(store, session, max_age, year)
    found = []
    for item in items:
        if not item.included:
            continue
        section = session.section(item.section)
        found.append(counter.item(item, section))
    return CoverageReport(
        country=session.country.iso_code,
        area=session.area_name,
        blueprint=selection.blueprint,
        max_age=max_age,
        year=year,
        items=tuple(found),
    )


class _Counter:
    """Counts for the items of one report, each question asked once."""

    def __init__(self, store: Any, session: BuildSession, max_age: int, year: int):
        self.store, self.session = store, session
        self.iso = session.country.iso_code
        self.max_age, self.year = max_age, year
        self._memo: dict[tuple, Any] = {}

    def _ask(self, key: tuple, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def records(self, entity: str, item_region: str, sector: str) -> list:
        """What a template's plain ``kb`` question finds, as the build's ``kb``
        answers it: clusters of the selected area (or the repeated region),
        policies of the country that bear on it, organisations, indicators
        and partnerships of the whole country (of the repeated region, if any)."""
        kb = self.session.kb
        area, theme = item_region or None, sector or None
        calls = {
            "clusters": lambda: kb.clusters(region=area, sector=theme),
            "policies": lambda: kb.policies(sector=theme, region=area),
            "organisations": lambda: kb.organisations(sector=theme, region=area),
            "indicators": lambda: kb.indicators(sector=theme, region=area),
            "partnerships": lambda: kb.partnerships(sector=theme),
            "regions": lambda: (
                kb.region_members(self.session.selection.region)
                if self.session.selection.region
                else kb.regions()
            ),
        }
        return self._ask((entity, item_region, sector), calls[entity])

    def item(self, item: OutlineItem, section: SectionTemplate) -> ItemCoverage:
        session = self.session
        item_region = item.params.get("item_region", "")
        region = item_region or session.selection.region
        sector = item.params.get("sector", "")
        uses, missing, stale = [], [], []
        for kind in uses_of(section):
            if kind in ("clusters", "regions", "region profile", "map places"):
                scope = self._scope_words(region, sector)  # the selected area
            elif kind == "sources":
                scope = "the knowledge base"
            else:  # the country's, or the repeated region's
                scope = self._scope_words(item_region, sector)
            count = self._use(kind, region, item_region, sector, item, missing, stale, scope)
            if count is not None:
                uses.append(DataUse(kind, count, scope))
        title = session.outline_title(section, item.params) if "{" in item.title else item.title
        return ItemCoverage(
            key=item.key,
            title=title,
            section=section.key,
            origin=section_origin(section, self.iso, self._front_matter(section.key)),
            level=item.level,
            uses=tuple(uses),
            missing=tuple(dict.fromkeys(missing)),
            stale=tuple(dict.fromkeys(stale)),
            left_out=item.left_out,
        )

    def _front_matter(self, key: str) -> dict:
        """The front matter the stored section opens with (a pack's section keeps
        its ``countries`` there)."""
        try:
            return split_front_matter(self.store.section(key).body, key)[0]
        except BriefingError:
            return {}

    def _scope_words(self, region: str, sector: str) -> str:
        words = [self.store.region(region).name if region else self.session.country.name]
        if sector:
            words.append(self.store.sector(sector).name)
        return ", ".join(words)

    def _use(self, kind, region, item_region, sector, item, missing, stale, scope) -> int | None:
        """How many records of ``kind`` the item finds (None: nothing to look at),
        noting what is missing or stale."""
        if kind == "country profile":
            has = bool(self.session.country.description)
            if not has:
                missing.append(f"no general description of {self.session.country.name}")
            return int(has)
        if kind in ("sector profile", "region profile"):
            slug = sector if kind == "sector profile" else region
            if not slug:
                return None
            record = (
                self.store.sector(slug) if kind == "sector profile" else self.store.region(slug)
            )
            if not record.description:
                missing.append(f"no description of {record.name}")
            return int(bool(record.description))
        if kind == "map places":
            return self._map_places(region, missing)
        if kind == "sources":
            return len(self.store.sources())
        if kind == "partnerships" and "partnership" in item.params:
            return 1
        found = self.records(kind, item_region, sector)
        if not found:
            missing.append(f"no {_records_word(kind)} for {scope}")
        elif kind == "indicators":
            self._old_indicators(found, stale)
        elif kind == "policies":
            self._old_policies(found, stale)
        elif kind == "clusters":
            self._cluster_gaps(found, missing)
        return len(found)

    def _old_indicators(self, found: list, stale: list) -> None:
        limit = self.year - self.max_age
        latest: dict[str, Any] = {}  # series (or name) -> its latest figure
        for indicator in found:
            key = indicator.series or indicator.name
            if key not in latest or indicator.year > latest[key].year:
                latest[key] = indicator
        old = sorted({i.name for i in latest.values() if i.year < limit})
        if old:
            shown = ", ".join(old[:4]) + (f" and {len(old) - 4} more" if len(old) > 4 else "")
            stale.append(
                f"{len(old)} indicator series with no figure since {limit} "
                f"(older than {self.max_age} years): {shown}"
            )

    def _old_policies(self, found: list, stale: list) -> None:
        limit = self.year - self.max_age
        old = [p for p in found if p.end_year is not None and p.end_year < limit]
        if old:
            stale.append(
                f"{len(old)} of {len(found)} policies ended before {limit} "
                f"(more than {self.max_age} years ago)"
            )

    def _cluster_gaps(self, found: list, missing: list) -> None:
        unnamed = [c for c in found if not c.local_name and not c.city_local]
        if unnamed:
            missing.append(f"{len(unnamed)} of {len(found)} clusters have no local name")

    def _map_places(self, region: str, missing: list) -> int:
        """Areas a map draws (the country's top-level areas, and the members of
        a selected region group) with a position; those without are missing."""
        regions = self.store.regions(self.iso)
        grouping = vocabulary(self.store).codes("regions", "group")
        areas = [r for r in regions if not r.parent and r.kind not in grouping]
        where = f"{self.session.country.name}'s provinces"
        if region and self.store.region(region).kind in grouping:
            areas = self.store.region_members(region)
            where = f"the members of {self.store.region(region).name}"
        placed = [a for a in areas if _has_position(a)]
        if len(placed) < len(areas):
            missing.append(f"{len(areas) - len(placed)} of {where} have no map position")
        return len(placed)


def _has_position(region: Any) -> bool:
    return getattr(region, "latitude", None) is not None and (
        getattr(region, "longitude", None) is not None
    )


def _records_word(kind: str) -> str:
    return {
        "clusters": "clusters",
        "regions": "member regions",
        "policies": "policy records",
        "partnerships": "partnerships",
    }.get(kind, f"{kind[:-1]} records")


def format_report(report: CoverageReport) -> str:
    """The report as lines of plain text, for the terminal."""
    lines = [
        f"Coverage of the {report.blueprint} briefing on {report.area} "
        f"({report.country}); facts older than {report.max_age} years count as stale",
        "",
    ]
    for item in report.items:
        indent = "  " * (item.level - 1)
        lines.append(f"{indent}{item.title}  [{item.section}: {item.origin}]")
        if item.left_out:
            lines.append(f"{indent}    left out: {item.left_out}")
        for use in item.uses:
            lines.append(f"{indent}    {use.kind}: {use.count} ({use.scope})")
        for text in item.missing:
            lines.append(f"{indent}    missing: {text}")
        for text in item.stale:
            lines.append(f"{indent}    stale: {text}")
    lines += ["", f"{len(report.items)} sections; {report.gaps} missing or stale fact(s)"]
    return "\n".join(lines)
