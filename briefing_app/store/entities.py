"""What the store knows about each of the data entities.

One :class:`EntitySpec` per entity says which record type it holds, which
table, which of its fields point at other entities (checked on import and
enforced by foreign keys), which multi-valued fields live in link tables and
which fields take a fixed set of words. Reading, writing, validating, import
and export are all driven from here, so adding a field means touching one
place (plus a migration).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass, field

from briefing_app.errors import StoreError
from briefing_app.store import records as r

ENTITIES = (
    "sources",
    "countries",
    "kinds",
    "regions",
    "sectors",
    "clusters",
    "partnerships",
    "policies",
    "organisations",
    "indicators",
    "profiles",
)


# Besides its link table, a multi-valued field is kept packed in one column
# of the owner's table, values joined by this separator (the unit separator,
# a control character validation refuses in any value), so that reading
# records takes one query and no join. The link table stays the one that
# filters and foreign keys use; the writer keeps both in step.
PACK_SEPARATOR = "\x1f"


def packed_column(field_name: str) -> str:
    """The owner-table column holding a link field's values, packed."""
    return f"{field_name}_packed"


@dataclass(frozen=True)
class Link:
    """A multi-valued field kept in its own table, one row per value, in order."""

    table: str
    owner: str  # column naming the owning record
    value: str  # column holding one value
    target: str | None  # entity the values refer to; None for free text (aliases)


@dataclass(frozen=True)
class EntitySpec:
    name: str
    record: type
    refs: dict[str, str] = field(default_factory=dict)  # scalar field -> entity
    links: dict[str, Link] = field(default_factory=dict)  # tuple field -> link table
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # multi-valued fields whose every value is one of a fixed set of words
    list_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    label: str = "name"  # the field a person reads as the record's name
    order: str = ""  # SQL ORDER BY of lists and exports; default: by label
    # the field taking a code of the kinds table (records.KIND_FIELDS)
    kind_field: str | None = None

    @property
    def table(self) -> str:
        return self.name

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self.record))

    @functools.cached_property
    def columns(self) -> tuple[str, ...]:
        """Fields stored in the entity's own table (all but the link fields)."""
        return tuple(f for f in self.fields if f not in self.links)

    @functools.cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(
            f.name
            for f in dataclasses.fields(self.record)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )

    @functools.cached_property
    def types(self) -> dict[str, object]:
        return typing.get_type_hints(self.record)

    @functools.cached_property
    def defaults(self) -> dict[str, object]:
        return {
            f.name: f.default
            for f in dataclasses.fields(self.record)
            if f.default is not dataclasses.MISSING
        }


def _sector_link(owner_table: str, owner: str) -> Link:
    return Link(f"{owner_table}", owner, "sector", "sectors")


SPECS: dict[str, EntitySpec] = {
    "sources": EntitySpec("sources", r.Source, label="title"),
    "countries": EntitySpec("countries", r.Country, refs={"source": "sources"}),
    "kinds": EntitySpec(
        "kinds",
        r.Kind,
        label="label",
        order="[entity], [sort_order], [label] COLLATE NOCASE",
    ),
    "regions": EntitySpec(
        "regions",
        r.Region,
        refs={
            "country": "countries",
            "parent": "regions",
            "source": "sources",
            "position_source": "sources",
        },
        links={"groups": Link("region_groups", "region", "group_region", "regions")},
        kind_field="kind",
    ),
    "sectors": EntitySpec(
        "sectors",
        r.Sector,
        refs={"parent": "sectors"},
        links={"aliases": Link("sector_aliases", "sector", "alias", None)},
    ),
    "clusters": EntitySpec(
        "clusters",
        r.Cluster,
        refs={"country": "countries", "region": "regions", "source": "sources"},
        links={"sectors": _sector_link("cluster_sectors", "cluster")},
        kind_field="kind",
    ),
    "partnerships": EntitySpec(
        "partnerships",
        r.Partnership,
        refs={"source": "sources"},
        links={
            "sectors": _sector_link("partnership_sectors", "partnership"),
            "target_countries": Link(
                "partnership_countries", "partnership", "country", "countries"
            ),
        },
        kind_field="kind",
    ),
    "policies": EntitySpec(
        "policies",
        r.Policy,
        refs={"country": "countries", "region": "regions"},
        links={
            "sectors": _sector_link("policy_sectors", "policy"),
            "sources": Link("policy_sources", "policy", "source", "sources"),
        },
        kind_field="level",
        choices={
            "evaluation": r.EVALUATION_KINDS,
            "continuity": ("continuous", "interrupted"),
        },
    ),
    "organisations": EntitySpec(
        "organisations",
        r.Organisation,
        refs={"country": "countries", "region": "regions", "source": "sources"},
        links={"sectors": _sector_link("organisation_sectors", "organisation")},
        kind_field="kind",
    ),
    "indicators": EntitySpec(
        "indicators",
        r.Indicator,
        refs={
            "country": "countries",
            "source": "sources",
            "region": "regions",
            "sector": "sectors",
        },
    ),
    "profiles": EntitySpec(
        "profiles",
        r.Profile,
        refs={"source": "sources"},
        links={
            "sectors": _sector_link("profile_sectors", "profile"),
            "keywords": Link("profile_keywords", "profile", "keyword", None),
            "seeks": Link("profile_seeks", "profile", "seek", None),
            "value_chain": Link("profile_value_chain", "profile", "step", None),
        },
        choices={"kind": r.PROFILE_KINDS},
        list_choices={"seeks": r.PROFILE_SEEKS},
    ),
}


def spec(entity: str) -> EntitySpec:
    """The spec of ``entity``; StoreError naming the known ones otherwise."""
    try:
        return SPECS[entity]
    except KeyError:
        raise StoreError(
            f"unknown kind of record {entity!r}; known: {', '.join(ENTITIES)}"
        ) from None


def kind_slug(entity: str, code: str) -> str:
    """The slug of the kinds row that gives ``code`` its meaning for ``entity``."""
    return f"{entity}-{code}"


def key_column(entity: str) -> str:
    """Other records point at a country by ISO code, at everything else by slug."""
    return "iso_code" if entity == "countries" else "slug"


def referrers(entity: str) -> list[tuple[str, str, bool]]:
    """(table, column, is_link) pairs that point at ``entity``; for delete messages."""
    found = []
    for other in SPECS.values():
        for fld, target in other.refs.items():
            if target == entity:
                found.append((other.table, fld, False))
        for link in other.links.values():
            if link.target == entity:
                found.append((link.table, link.value, True))
    return found
