"""Typed records of the knowledge base.

One frozen dataclass per entity. The field names are also the column names of
the seed files in ``db/seed/`` and of CSV/JSON import and export, so a record,
a seed row and an exported row always line up. Fields typed ``tuple[str, ...]``
hold slugs of other records; in CSV they are one cell joined with ``;``.

Every record has a ``slug``: lowercase ASCII words joined by hyphens, unique
per entity. Most records name their ``source`` (a slug of :class:`Source`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """A bibliography entry that a fact, a footnote or a table can cite."""

    slug: str
    title: str
    author: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""  # "2019", "2019-04" or "2019-04-30"
    accessed: str = ""  # ISO date
    note: str = ""


@dataclass(frozen=True, slots=True)
class Country:
    slug: str  # "china"
    iso_code: str  # "CN"
    name: str
    local_name: str = ""
    description: str = ""
    source: str = ""


# The kinds shipped in ``db/seed/kinds.csv`` (and seeded by the migration
# v12_kinds): what the tests and benchmarks build records with. Validation
# reads the ``kinds`` table, which users extend by import; nothing else
# should test a record's kind against these tuples (ask the vocabulary,
# ``briefing_app.store.kinds``, for a kind's grouping instead).
REGION_KINDS = (
    "macro-region",
    "city-cluster",
    "province",
    "municipality",
    "autonomous-region",
    "sar",
    "city",
    "county",
    "district",
)


# The entities whose records take a kind from the ``kinds`` table, and the
# field holding it (a policy's kind is its level).
KIND_FIELDS = {
    "regions": "kind",
    "clusters": "kind",
    "partnerships": "kind",
    "organisations": "kind",
    "policies": "level",
}

# What a kind's ``grouping`` may say, per entity: how the briefing treats the
# records of that kind. The meaning of each word is in docs/kinds.md.
KIND_GROUPINGS = {
    "regions": ("group", "area", "place"),
    "clusters": ("cluster", "park", "zone", "centre"),
    "partnerships": ("cluster-partnership", "research-project", "flagship", "cooperation"),
    "organisations": ("research", "contact", "company", "other"),
    "policies": ("national", "regional"),
}


@dataclass(frozen=True, slots=True)
class Kind:
    """One word of an open vocabulary: a kind of region, cluster, partnership,
    organisation or policy (a policy's level) that records may take.

    ``code`` is what the records store (``Cluster.kind``, ``Policy.level``);
    ``slug`` is ``<entity>-<code>`` ("partnerships-other"), so the same code
    may serve two entities. ``label`` and ``plural`` are what readers see,
    written as in the middle of a sentence ("trade agreement", "trade
    agreements"); ``grouping`` tells the briefing how to treat such records
    (one of :data:`KIND_GROUPINGS` for the entity); ``sort_order`` orders the
    kinds of one entity in lists and pickers.
    """

    slug: str
    entity: str
    code: str
    label: str
    grouping: str
    plural: str = ""
    description: str = ""
    sort_order: int = 0

    @property
    def plural_label(self) -> str:
        """The plural a reader sees: ``plural``, else the label with an "s"."""
        return self.plural or f"{self.label}s"


@dataclass(frozen=True, slots=True)
class Region:
    """A place inside a country.

    ``parent`` is the administrative parent (a county's city, a city's
    province). ``groups`` lists the regions this one belongs to besides its
    parent: Hebei belongs to ``beijing-tianjin-hebei``; Guangzhou to
    ``pearl-river-delta`` and ``greater-bay-area``.

    ``latitude``/``longitude`` (WGS84 degrees) are the point where a map puts
    the region's label and symbol, usually its capital; both or neither.
    ``position_source`` names where that position comes from.
    """

    slug: str
    name: str
    kind: str
    country: str  # ISO code
    local_name: str = ""
    parent: str = ""
    groups: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    latitude: float | None = None
    longitude: float | None = None
    position_source: str = ""


@dataclass(frozen=True, slots=True)
class Sector:
    """A sector in a small tree; ``aliases`` are other names users search by."""

    slug: str
    name: str
    parent: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""


CLUSTER_KINDS = (
    "industrial-cluster",
    "high-tech-zone",
    "science-park",
    "sez",
    "innovation-centre",
    "development-zone",
)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A cluster, zone, park or innovation centre.

    ``region`` is the most precise region known (a county, city or province);
    ``city``/``city_local`` keep the place as the source printed it
    ("Xiaoshan, Hangzhou" / "杭州蕭山"). ``industry`` is the source's own
    label ("Steel structures"), ``sectors`` its mapping to our sector tree.
    """

    slug: str
    name: str
    kind: str
    country: str  # ISO code
    region: str
    local_name: str = ""
    city: str = ""
    city_local: str = ""
    industry: str = ""
    sectors: tuple[str, ...] = ()
    established: int | None = None
    description: str = ""
    source: str = ""
    editor_note: str = ""  # for editors only: shown in the data browser, never printed


PARTNERSHIP_KINDS = ("escp-4i", "rdi-project", "flagship-initiative", "other")


@dataclass(frozen=True, slots=True)
class Partnership:
    """An ESCP-4i partnership, an R&I project or a flagship initiative area.

    ``acronym`` is optional; ``acronym_official`` says whether the partnership
    itself uses it (printed by its source or its own website). Reader text
    names a partnership by :attr:`label`: the acronym only when official,
    else the full name, so that a short name made up for the knowledge base
    never reaches a reader.
    """

    slug: str  # the acronym in lower case, or the name's words
    name: str
    kind: str
    acronym: str = ""
    acronym_official: bool = False
    sectors: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()  # ISO codes
    start_year: int | None = None
    end_year: int | None = None
    website: str = ""
    objective: str = ""
    description: str = ""
    source: str = ""
    editor_note: str = ""  # for editors only: shown in the data browser, never printed

    @property
    def label(self) -> str:
        """The name a reader sees: the official acronym, else the full name."""
        return self.acronym if self.acronym and self.acronym_official else self.name

    @property
    def official_acronym(self) -> str:
        """The acronym when official, else "" (for "Name (ACRONYM)" texts)."""
        return self.acronym if self.acronym_official else ""


POLICY_LEVELS = ("national", "regional", "local", "city-cluster")
EVALUATION_KINDS = ("none", "in-itinere", "ex-ante", "ex-post", "ex-ante-and-ex-post")


@dataclass(frozen=True, slots=True)
class Policy:
    """A policy or programme with the fields of the cluster policy factsheet.

    ``is_cluster_policy`` separates targeted cluster policies from broader
    policies that also help clusters; ``continuity`` is "continuous" or
    "interrupted"; both feed the cluster policy maturity index.
    """

    slug: str
    name: str
    country: str  # ISO code
    level: str
    region: str = ""
    local_name: str = ""
    is_cluster_policy: bool = False
    objectives: str = ""
    focus: str = ""
    authorities: str = ""
    beneficiaries: str = ""
    financial_instruments: str = ""
    technical_instruments: str = ""
    start_year: int | None = None
    end_year: int | None = None
    continuity: str = "continuous"
    budget: str = ""
    funding_source: str = ""
    evaluation: str = "none"
    evaluation_note: str = ""
    description: str = ""
    sectors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    editor_note: str = ""  # for editors only: shown in the data browser, never printed


@dataclass(frozen=True, slots=True)
class Organisation:
    slug: str
    name: str
    kind: str  # "government", "agency", "association", "chamber", "research", ...
    country: str  # ISO code
    region: str = ""
    local_name: str = ""
    sectors: tuple[str, ...] = ()
    website: str = ""
    description: str = ""
    source: str = ""
    editor_note: str = ""  # for editors only: shown in the data browser, never printed


@dataclass(frozen=True, slots=True)
class Indicator:
    """One figure: "GDP growth", 6.6, "%", 2018, for CN, from a source.

    ``series`` groups indicators that chart together ("gdp-growth");
    ``country`` is an ISO code, ``region`` optional; ``sector`` optional.
    """

    slug: str
    name: str
    value: float
    unit: str
    year: int
    country: str
    source: str
    series: str = ""
    region: str = ""
    sector: str = ""
    note: str = ""
    editor_note: str = ""  # for editors only: shown in the data browser, never printed


@dataclass(frozen=True, slots=True)
class Section:
    """A reusable briefing section: Markdown with Jinja2, plus applicability.

    ``shipped_body`` is the default from ``templates/sections``; ``body`` the
    current (possibly user-edited) text; ``version`` increases on every save.
    Empty applicability tuples mean "applies to every selection".
    """

    slug: str
    title: str
    body: str
    shipped_body: str = ""
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    version: int = 1
    updated: str = ""


@dataclass(frozen=True, slots=True)
class SectionVersion:
    section: str
    version: int
    body: str
    title: str
    saved: str  # ISO timestamp
    note: str = ""


@dataclass(frozen=True, slots=True)
class Blueprint:
    """An ordered outline of slots, stored as the YAML text the user sees."""

    slug: str
    name: str
    description: str
    outline_yaml: str


@dataclass(frozen=True, slots=True)
class Briefing:
    """A saved selection with its outline and cover, to re-run later (JSON)."""

    slug: str
    name: str
    selection_json: str
    updated: str = ""


PROFILE_KINDS = ("cluster-organisation", "region", "company", "university", "other")
PROFILE_SEEKS = ("trade", "investment", "r-and-d", "training")


@dataclass(frozen=True, slots=True)
class Profile:
    """A visitor: a European cluster organisation, region or company.

    ``country`` is the visitor's own ISO code (a European country that the
    knowledge base need not hold). ``sectors`` are slugs of the sector tree;
    ``keywords`` are free words (technologies, products, value-chain steps);
    ``seeks`` is what the visit is for (:data:`PROFILE_SEEKS`);
    ``value_chain`` the steps the visitor covers ("components", "assembly").
    Profiles feed the partner finder only: reader text never names one
    except in the sections that suggest partners for it.
    """

    slug: str
    name: str
    kind: str
    country: str  # ISO code of the visitor's own country
    sectors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    value_chain: tuple[str, ...] = ()
    size: int | None = None
    rd_intensity: float | None = None
    description: str = ""
    source: str = ""
    editor_note: str = ""  # for editors only: shown in the data browser, never printed
