"""Groupings of knowledge-base records that section templates print.

Templates used to build these with Jinja pipelines (``groupby``, ``sort``,
``select('in', ...)``, ``selectattr``), which the sandbox checks attribute by
attribute: slow when a briefing asks them many times over thousands of
records. Here they are plain Python, computed once per build by ``kb`` (see
knowledge.py), and give the same lists in the same order as the pipelines
they replace (Jinja's ``groupby`` and ``sort`` compare strings without case;
so do these).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


def _fold(value: Any) -> Any:
    """Jinja's ``ignore_case``: strings compare in lower case, the rest as they are."""
    return value.lower() if isinstance(value, str) else value


@dataclass(frozen=True)
class IndicatorGroup:
    """The figures of one indicator name: a series to print as one bullet or chart.

    ``points`` are the figures by year, oldest first. ``source``, ``unit``,
    ``series`` and ``slug`` are those of the group's first figure in the list
    it was made from (for a series they are normally the same throughout).
    """

    name: str
    points: tuple
    _first: Any  # the group's first figure in the list it was made from

    @property
    def latest(self) -> Any:
        """The figure of the most recent year."""
        return self.points[-1]

    @property
    def earliest(self) -> Any:
        """The figure of the oldest year."""
        return self.points[0]

    @property
    def peak(self) -> Any:
        """The highest figure (the most recent of equal highs)."""
        return sorted(self.points, key=lambda p: p.value)[-1]

    @property
    def source(self) -> str:
        return self._first.source

    @property
    def unit(self) -> str:
        return self._first.unit

    @property
    def series(self) -> str:
        return self._first.series

    @property
    def slug(self) -> str:
        return self._first.slug

    @property
    def is_ranking(self) -> bool:
        """A position in a ranking (unit "rank" or "rank/N") rather than a quantity."""
        return self._first.unit.startswith("rank")

    def mentions(self, words: Iterable[str]) -> bool:
        """Whether one of ``words`` occurs in " <slug> <series>" of the first
        figure (a leading space lets " rd-" match at the start of a slug)."""
        return _mentions(_keytext(self._first), (words,) if isinstance(words, str) else words)


def _keytext(indicator: Any) -> str:
    return " " + indicator.slug + " " + indicator.series


def _mentions(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


def group_indicators(
    indicators: Iterable[Any],
    mentioning: Sequence[str] | None = None,
    not_mentioning: Sequence[str] | None = None,
    order: str = "name",
) -> list[IndicatorGroup]:
    """Indicators grouped by name, in name order (``order="name"``) or by the
    source of each group's first figure (``order="source"``, ties in name
    order): the list ``indicators|groupby('name')`` or
    ``...|groupby('name')|sort(attribute='list.0.source')`` gives.

    ``mentioning`` keeps the groups whose first figure's slug or series
    contains one of the words; ``not_mentioning`` drops those that contain
    one. A ValueError names an unknown ``order``.
    """
    if order not in ("name", "source", "meaning"):
        raise ValueError(f"order must be 'meaning', 'name' or 'source', not {order!r}")
    by_name: dict[Any, list] = {}
    for indicator in indicators:
        by_name.setdefault(_fold(indicator.name), []).append(indicator)
    groups = []
    for key in sorted(by_name):
        members = by_name[key]
        text = _keytext(members[0])
        if mentioning is not None and not _mentions(text, mentioning):
            continue
        if not_mentioning and _mentions(text, not_mentioning):
            continue
        points = tuple(sorted(members, key=lambda i: i.year))
        groups.append(IndicatorGroup(name=members[0].name, points=points, _first=members[0]))
    if order == "source":
        groups.sort(key=lambda g: _fold(g.source))
    elif order == "meaning":
        groups = by_meaning(groups)
    return groups


_PART_WORDS = re.compile(r"\b(?:share|shares|growth|cagr|per cent|percentage)\b")
_OUTLOOK_WORDS = re.compile(r"\b(?:target|targets|forecast|expected|estimate|projected|outlook)\b")


def _base(name: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", name.lower())
    text = re.sub(r"\b(?:total|overall|gross|all)\b", " ", text)
    text = re.sub(r"\b(?:expenditures?|investments?|spend)\b", "spending", text)
    return " ".join(text.split())


def _rank(group: IndicatorGroup) -> int:
    """0 a level (amount, count), 1 a share or growth rate, 2 a ranking,
    3 a target or forecast."""
    name = group.name.lower()
    if _OUTLOOK_WORDS.search(name):
        return 3
    if group.is_ranking:
        return 2
    if _PART_WORDS.search(name) or group.unit.startswith("%"):
        return 1
    return 0


def by_meaning(groups: list[IndicatorGroup]) -> list[IndicatorGroup]:
    """Totals before their parts, then by year: each group whose name holds
    another group's name ("Passenger vehicle production" holds "vehicle
    production") follows that group; the others go levels first, then shares
    and growth rates, rankings, and targets and forecasts last, each kind by
    the year of its latest figure, then by name."""
    bases = {id(g): _base(g.name) for g in groups}

    def parent(group: IndicatorGroup) -> IndicatorGroup | None:
        own = bases[id(group)]
        best = None
        for other in groups:
            base = bases[id(other)]
            if other is group or not base or base == own:
                continue
            if re.search(r"(?<![\w&])" + re.escape(base) + r"(?![\w&])", own):
                if best is None or len(base) > len(bases[id(best)]):
                    best = other
        return best

    parents = {id(g): parent(g) for g in groups}
    children: dict[int, list[IndicatorGroup]] = {}
    roots: list[IndicatorGroup] = []
    for group in groups:
        above = parents[id(group)]
        if above is None:
            roots.append(group)
        else:
            children.setdefault(id(above), []).append(group)

    def key(group: IndicatorGroup) -> tuple:
        return (_rank(group), group.latest.year or 0, _fold(group.name))

    ordered: list[IndicatorGroup] = []

    def place(group: IndicatorGroup, depth: int) -> None:
        ordered.append(group)
        if depth < 8:
            for child in sorted(children.get(id(group), []), key=key):
                place(child, depth + 1)

    for root in sorted(roots, key=key):
        place(root, 0)
    return ordered


def zones_first(clusters: Iterable[Any], grown: Collection[str]) -> list:
    """Zones, parks and centres ahead of clusters grown from the market
    (``grown``: the codes of the kinds whose grouping is "cluster", such as
    industrial-cluster); each part keeps its order."""
    clusters = list(clusters)
    return [c for c in clusters if c.kind not in grown] + [c for c in clusters if c.kind in grown]


def _own_text(cluster: Any) -> bool:
    """A description that says more than the industry it opens with."""
    return bool(cluster.description) and not (
        cluster.industry and cluster.description.startswith(cluster.industry)
    )


def _restates(cluster: Any) -> bool:
    """A description that opens by restating the cluster's industry."""
    return bool(cluster.description and cluster.industry) and cluster.description.startswith(
        cluster.industry
    )


@dataclass(frozen=True)
class ClusterProfiles:
    """A list of clusters sorted for describing them, see ``profile_clusters``."""

    ordered: list
    own: list
    restating: list
    sub_sector: list
    described: list


def profile_clusters(
    clusters: Iterable[Any],
    sector: str | None = None,
    zones_ahead: bool = True,
    grown: Collection[str] = (),
) -> ClusterProfiles:
    """Sort ``clusters`` by how well their records describe them.

    - ``ordered``: all of them, zones, parks and centres first (``zones_first``),
      or in their own order when ``zones_ahead`` is false;
    - ``own``: those of ``sector`` itself (the sector among their own sectors,
      not only a sub-sector) whose description says more than their industry;
    - ``restating``: those of ``sector`` itself whose description only opens
      with their industry, clusters of the ``grown`` kinds (those grown from
      the market, such as industrial clusters) first;
    - ``sub_sector``: those NOT of ``sector`` itself (found through a
      sub-sector) whose description says more than their industry;
    - ``described``: those of ``sector`` itself with any description.

    Every list but ``restating`` follows ``ordered``. Without ``sector``
    every cluster counts as "of the sector itself" and ``sub_sector`` is empty.
    """
    ordered = zones_first(clusters, grown) if zones_ahead else list(clusters)

    def in_sector(cluster: Any) -> bool:
        return sector is None or sector in cluster.sectors

    industrial_first = [c for c in ordered if c.kind in grown] + [
        c for c in ordered if c.kind not in grown
    ]
    return ClusterProfiles(
        ordered=ordered,
        own=[c for c in ordered if in_sector(c) and _own_text(c)],
        restating=[c for c in industrial_first if in_sector(c) and _restates(c)],
        sub_sector=[c for c in ordered if not in_sector(c) and _own_text(c)],
        described=[c for c in ordered if in_sector(c) and c.description],
    )


@dataclass(frozen=True)
class PolicyReach:
    """Policies split by how far beyond one sector they reach."""

    own: list  # every sector they name is the sector or one of its direct sub-sectors
    broader: list  # they name at least one other sector


# A source that gives at least this many clusters of a mapping (or all of
# them) is a list of its own, printed as its own table (e.g. a ranking).
LIST_MIN_ROWS = 10


@dataclass(frozen=True)
class ClusterList:
    """The mapping rows one source gives (``source`` a slug, "" for the
    clusters of the sources that give only a few), grouped by area, the
    busiest area first. Each row dict gains ``area_label``: "Zhejiang (25)"
    on the first row of its area, "" on the others (as ranking tables print
    it). ``counts`` is [(area, count)]."""

    source: str
    title: str
    rows: list
    counts: list


def list_title(title: str) -> str:
    """A source title as a table caption: "List of top 100 industrial
    clusters in China, 2010" -> "Top 100 industrial clusters in China (2010)"."""
    text = title.strip()
    if text.lower().startswith("list of "):
        text = text[len("list of ") :]
    head, sep, tail = text.rpartition(", ")
    if sep and tail.isdigit() and len(tail) == 4:
        text = f"{head} ({tail})"
    return text[:1].upper() + text[1:]


def cluster_lists(rows: Sequence[dict], titles: dict[str, str]) -> list[ClusterList]:
    """Mapping ``rows`` (kb.cluster_mapping) split by source: one list per
    source that gives at least LIST_MIN_ROWS of them (or all), largest
    first, then one list (source "") of the rest. ``titles`` maps a source
    slug to its title."""
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        by_source.setdefault(row.get("source") or "", []).append(row)
    big = [s for s, found in by_source.items() if s and len(found) >= min(LIST_MIN_ROWS, len(rows))]
    big.sort(key=lambda s: (-len(by_source[s]), s))
    rest = [row for row in rows if (row.get("source") or "") not in big]
    made = [_cluster_list(s, list_title(titles.get(s, s)), by_source[s]) for s in big]
    if rest:
        made.append(_cluster_list("", "", rest))
    return made


def _cluster_list(source: str, title: str, rows: list[dict]) -> ClusterList:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["area"], []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    out = []
    for area, members in ordered:
        for n, row in enumerate(members):
            label = f"{area} ({len(members)})" if n == 0 and area else ""
            out.append({**row, "area_label": label})
    return ClusterList(source, title, out, [(area, len(m)) for area, m in ordered])
