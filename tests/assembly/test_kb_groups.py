"""The grouping and list helpers of ``kb`` that replaced sandboxed filter
pipelines in the shipped sections (indicator groups, organisation tiers,
cluster profiles, ...) give the lists those pipelines gave, in the same
order, on the seeded knowledge base, and behave on thin or odd data."""

from __future__ import annotations

import jinja2
import pytest
from counting_store import CountingStore

from briefing_app.assembly import Selection, render_template
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.record_groups import group_indicators
from briefing_app.document import document_text
from briefing_app.errors import NotFoundError
from briefing_app.store import ENTITIES
from briefing_app.store.records import Indicator

# The keyword lists of templates/sections/core/opportunities.md.
TRADE = [
    "trade",
    "export",
    "import",
    "fdi",
    "invest",
    "business",
    "register",
    "outbound",
    "outward",
    "ma-deals",
]
STI = [
    "research",
    " rd-",
    "r-d",
    "innovation",
    "horizon",
    "h2020",
    "patent",
    "sti-",
    "technology",
    "cfm-",
    "enterprises-with-rd",
    "lighthouse",
    "gii-",
    "competitiveness",
    "gei-",
    "st-capability",
]
EU = ["h2020", "horizon", "cfm-", "eu-"]

ENV = jinja2.Environment()


def _slugs(records) -> list[str]:
    return [r.slug for r in records]


def _china_kb(store, region=None):
    return KnowledgeBase(store, store.country("CN"), store.region(region) if region else None)


def _regions(store) -> list:
    return [None, *(r.slug for r in store.regions(country="CN"))]


def _render(source: str, **context) -> str:
    return ENV.from_string(source).render(**context)


def _indicator(slug, name, year, value=1.0, unit="%", source="src-a", series=""):
    return Indicator(
        slug=slug,
        name=name,
        value=value,
        unit=unit,
        year=year,
        country="FD",
        source=source,
        series=series,
    )


# -- indicator groups ------------------------------------------------------------


def test_indicator_groups_equal_the_groupby_pipelines_they_replace(seeded_store):
    kb = _china_kb(seeded_store)
    macro = [i for i in kb.indicators() if not i.sector and not i.region]
    assert len(macro) > 20
    line = "{{ n }}|{{ p|map(attribute='slug')|join(',') }};"
    cases = [
        # (old pipeline with "group.list", new kb call)
        ("macro|groupby('name')", {"order": "name"}),
        ("macro|groupby('name')|sort(attribute='list.0.source')", {"order": "source"}),
    ]
    for old, options in cases:
        before = _render(
            "{% for g in "
            + old
            + " %}{% set n = g.grouper %}{% set p = g.list|sort(attribute='year') %}"
            + line
            + "{% endfor %}",
            macro=macro,
        )
        after = _render(
            "{% for g in groups %}{% set n = g.name %}{% set p = g.points %}"
            + line
            + "{% endfor %}",
            groups=kb.indicator_groups(macro, **options),
        )
        assert after == before
    # The keyword selections of the opportunities section.
    key = "(' ' ~ g.list[0].slug ~ ' ' ~ g.list[0].series)"
    old = (
        "{% for g in macro|groupby('name')|sort(attribute='list.0.source') if "
        "(words|select('in', "
        + key
        + ")|list) and not (unwanted|select('in', "
        + key
        + ")|list) %}{{ g.grouper }};{% endfor %}"
    )
    for words, unwanted in ((TRADE, STI), (STI, EU), (EU, []), (STI, TRADE)):
        before = _render(old, macro=macro, words=words, unwanted=unwanted)
        groups = kb.indicator_groups(
            macro, mentioning=words, not_mentioning=unwanted, order="source"
        )
        assert "".join(f"{g.name};" for g in groups) == before
    assert kb.indicator_groups(macro, mentioning=TRADE) and kb.indicator_groups(
        macro, mentioning=STI
    )


def test_an_indicator_group_knows_its_latest_earliest_and_peak_figures():
    figures = [
        _indicator("fd-exports-2020", "Exports", 2020, value=9.0, unit="USD bn"),
        _indicator("fd-exports-2018", "Exports", 2018, value=4.0, unit="USD bn"),
        _indicator("fd-exports-2019", "Exports", 2019, value=12.0, unit="USD bn"),
        _indicator(
            "fd-gii-2021",
            "Innovation index rank",
            2021,
            value=40,
            unit="rank/132",
            source="src-b",
            series="gii-rank",
        ),
    ]
    exports, ranking = group_indicators(figures)
    assert [p.year for p in exports.points] == [2018, 2019, 2020]
    assert (exports.earliest.year, exports.latest.year, exports.peak.year) == (2018, 2020, 2019)
    assert exports.slug == "fd-exports-2020"  # the first figure in the list given
    assert not exports.is_ranking and ranking.is_ranking
    assert ranking.mentions(["gii-"]) and not ranking.mentions(["trade"])
    # Ordered by source: src-a before src-b, whatever the names.
    assert [g.name for g in group_indicators(figures, order="source")] == [
        "Exports",
        "Innovation index rank",
    ]


def test_indicator_groups_fold_case_like_jinja_groupby():
    figures = [
        _indicator("a-2019", "GDP", 2019),
        _indicator("b-2020", "gdp", 2020),
        _indicator("c-2018", "Area", 2018),
    ]
    groups = group_indicators(figures)
    assert [(g.name, len(g.points)) for g in groups] == [("Area", 1), ("GDP", 2)]
    before = _render(
        "{% for g in f|groupby('name') %}{{ g.grouper }}={{ g.list|length }};{% endfor %}",
        f=figures,
    )
    assert "".join(f"{g.name}={len(g.points)};" for g in groups) == before


def test_economy_indicators_are_those_of_no_sector(seeded_store, tiny_store):
    kb = _china_kb(seeded_store)
    everything = kb.indicators()
    national = kb.economy_indicators()
    assert national and _slugs(national) == _slugs(
        [i for i in everything if not i.sector and not i.region]
    )
    assert _slugs(kb.economy_indicators(region="*")) == _slugs(
        [i for i in everything if not i.sector]
    )
    local = 0
    for region in _regions(seeded_store)[1:]:
        found = kb.economy_indicators(region=region)
        assert _slugs(found) == _slugs([i for i in kb.indicators(region=region) if not i.sector])
        local += bool(found)
    assert local
    freedonia = KnowledgeBase(tiny_store, tiny_store.country("FD"))
    assert all(not i.sector and not i.region for i in freedonia.economy_indicators())
    with pytest.raises(NotFoundError):
        kb.economy_indicators(region="no-such-region")


def test_indicator_groups_of_nothing_and_a_wrong_order(seeded_store):
    kb = _china_kb(seeded_store)
    assert kb.indicator_groups([]) == []
    assert kb.indicator_groups([], mentioning=TRADE, order="source") == []
    with pytest.raises(ValueError, match="order must be"):
        kb.indicator_groups(kb.indicators(), order="year")


def test_indicator_groups_for_a_country_without_figures(tiny_store):
    freedonia = tiny_store.country("FD")
    kb = KnowledgeBase(tiny_store, freedonia)
    groups = kb.indicator_groups(kb.indicators())
    assert all(g.points for g in groups)
    assert sum(len(g.points) for g in groups) == len(kb.indicators())
    assert (
        kb.indicator_groups(kb.indicators(sector="aquaculture"), mentioning=["no-such-word"]) == []
    )


# -- organisations -------------------------------------------------------------------


def test_organisations_take_one_kind_or_a_list_of_kinds(seeded_store):
    kb = _china_kb(seeded_store)
    everything = kb.organisations()
    kinds = sorted({o.kind for o in everything})
    assert len(kinds) > 1
    assert _slugs(kb.organisations(kind=kinds[0])) == _slugs(
        [o for o in everything if o.kind == kinds[0]]
    )
    assert _slugs(kb.organisations(kind=kinds[:2])) == _slugs(
        [o for o in everything if o.kind in kinds[:2]]
    )
    assert kb.organisations(kind=["no-such-kind"]) == []
    assert kb.organisations(kind=[]) == []
    sector = next(s for o in everything for s in o.sectors)
    assert _slugs(kb.organisations(sector=sector, kind=kinds)) == _slugs(
        kb.organisations(sector=sector)
    )


def _old_tiers(kb, region, sector):
    """What annex-organisations.md and delegation-organisations.md computed,
    with companies of unknown place no longer counted as national bodies."""
    every = kb.organisations(sector=sector)
    national = [o for o in every if not o.region and o.kind != "company"]
    if region is None:
        return national, [o for o in every if o.region], [], national
    shared = []
    for member in kb.region_members(region.slug):
        if member.parent and member.parent != region.slug and member.parent not in shared:
            shared.append(member.parent)
    enclosing = region.parent or (shared[0] if len(shared) == 1 else "")
    around = kb.organisations(sector=sector, region=enclosing) if enclosing else []
    local = []
    for organisation in kb.organisations(sector=sector, region=region.slug) + around:
        if organisation.slug not in {o.slug for o in local}:
            local.append(organisation)
    near = kb.organisations(region=region.slug) + (
        kb.organisations(region=enclosing) if enclosing else []
    )
    serving = [o for o in every if o in national or o in near]
    return national, local, enclosing, serving


def test_organisation_tiers_equal_the_template_logic_they_replace(seeded_store):
    sectors = [None, *(s.slug for s in seeded_store.sectors())]
    enclosed = 0
    for slug in _regions(seeded_store):
        region = seeded_store.region(slug) if slug else None
        kb = _china_kb(seeded_store, slug)
        for sector in sectors:
            national, local, enclosing, serving = _old_tiers(kb, region, sector)
            assert _slugs(kb.national_organisations(sector=sector)) == _slugs(national)
            assert _slugs(kb.local_organisations(sector=sector)) == _slugs(local), (slug, sector)
            assert _slugs(kb.national_organisations(sector=sector, general=True)) == _slugs(
                [o for o in national if not o.sectors]
            )
            assert _slugs(kb.local_organisations(sector=sector, general=True)) == _slugs(
                [o for o in local if not o.sectors]
            )
            if region is not None:
                assert kb.enclosing_area() == enclosing
                assert _slugs(kb.area_organisations(sector=sector)) == _slugs(serving)
        enclosed += bool(kb.enclosing_area())
    assert enclosed > 3  # regions with a parent or one shared province were compared


def test_the_enclosing_area_of_a_group_is_the_province_all_its_members_share(seeded_store):
    regions = seeded_store.regions(country="CN")
    assert _china_kb(seeded_store).enclosing_area() == ""
    for region in regions:
        kb = _china_kb(seeded_store, region.slug)
        parents = {m.parent for m in seeded_store.region_members(region.slug)} - {"", region.slug}
        if region.parent:
            assert kb.enclosing_area() == region.parent
        elif len(parents) == 1:
            assert kb.enclosing_area() == parents.pop()
        else:
            assert kb.enclosing_area() == ""


def test_organisation_helpers_for_a_thin_country(tiny_store):
    kb = KnowledgeBase(tiny_store, tiny_store.country("FD"))
    assert _slugs(kb.national_organisations()) + _slugs(kb.local_organisations()) == _slugs(
        [o for o in kb.organisations() if not o.region]
        + [o for o in kb.organisations() if o.region]
    )
    assert kb.organisations(kind="no-such-kind") == []


# -- clusters --------------------------------------------------------------------------


def test_cluster_profiles_equal_the_loops_of_clusters_in_sectors(seeded_store):
    """The three description loops and the table order of clusters-in-sectors.md."""
    own = (
        "{% for c in z + i if s in c.sectors and (c.description and not (c.industry and "
        "c.description.startswith(c.industry))) %}{{ c.slug }};{% endfor %}"
    )
    restating = (
        "{% for c in i + z if s in c.sectors and (c.description and c.industry and "
        "c.description.startswith(c.industry)) %}{{ c.slug }};{% endfor %}"
    )
    sub = (
        "{% for c in z + i if s not in c.sectors and (c.description and not (c.industry and "
        "c.description.startswith(c.industry))) %}{{ c.slug }};{% endfor %}"
    )
    described = "{% for c in z + i if s in c.sectors and c.description %}{{ c.slug }};{% endfor %}"
    loops = {
        name: ENV.from_string(source)
        for name, source in (
            ("own", own),
            ("restating", restating),
            ("sub_sector", sub),
            ("described", described),
        )
    }
    sectors = [s.slug for s in seeded_store.sectors()]
    seen = {"own": 0, "restating": 0, "sub_sector": 0}
    for region in _regions(seeded_store):
        kb = _china_kb(seeded_store, region)
        for sector in sectors:
            shown = kb.clusters_main_first(sector) or kb.clusters(sector=sector, region="*")
            zones = [c for c in shown if c.kind != "industrial-cluster"]
            industrial = [c for c in shown if c.kind == "industrial-cluster"]
            profiles = kb.cluster_profiles(shown, sector)
            context = {"z": zones, "i": industrial, "s": sector}
            assert _slugs(profiles.ordered) == _slugs(zones + industrial)
            assert _slugs(kb.zones_first(shown)) == _slugs(zones + industrial)
            for name, loop in loops.items():
                listed = getattr(profiles, name)
                assert "".join(f"{c.slug};" for c in listed) == loop.render(**context)
                if name in seen:
                    seen[name] += bool(listed)
    assert all(seen.values()), seen


def test_cluster_profiles_without_a_sector_keep_the_order_given(seeded_store):
    kb = _china_kb(seeded_store, "zhejiang")
    here = kb.clusters()
    profiles = kb.cluster_profiles(here, zones_first=False)
    assert _slugs(profiles.ordered) == _slugs(here)
    assert profiles.sub_sector == []
    expected = [
        c
        for c in here
        if c.description and not (c.industry and c.description.startswith(c.industry))
    ]
    assert _slugs(profiles.own) == _slugs(expected)
    empty = kb.cluster_profiles([], "ict")
    assert (empty.ordered, empty.own, empty.restating, empty.described) == ([], [], [], [])


def test_clusters_elsewhere_and_without(seeded_store):
    for region in _regions(seeded_store):
        kb = _china_kb(seeded_store, region)
        for sector in ("automotive", "ict", "energy"):
            national = kb.clusters(sector=sector, region="*")
            here = {c.slug for c in kb.clusters(sector=sector)}
            expected = [c for c in national if c.slug not in here]
            assert _slugs(kb.clusters_elsewhere(sector)) == _slugs(expected)
            assert _slugs(kb.without(national, kb.clusters(sector=sector))) == _slugs(expected)
        if region is None:
            assert kb.clusters_elsewhere("automotive") == []
    kb = _china_kb(seeded_store)
    energy = kb.clusters(sector="energy", region="*")
    renewable = kb.clusters(sector="renewable-energy", region="*")
    assert renewable and len(kb.without(energy, renewable)) == len(energy) - len(renewable)
    assert kb.without(energy, []) == energy and kb.without([], energy) == []
    # Slugs are accepted as the records to leave out.
    assert kb.without(energy, _slugs(renewable)) == kb.without(energy, renewable)


def test_unknown_sectors_fail_as_the_plain_lists_do(seeded_store):
    kb = _china_kb(seeded_store, "zhejiang")
    for ask in (
        lambda: kb.clusters(sector="no-such-sector"),
        lambda: kb.clusters_elsewhere("no-such-sector"),
        lambda: kb.national_organisations(sector="no-such-sector"),
        lambda: kb.local_organisations(sector="no-such-sector"),
        lambda: kb.area_organisations(sector="no-such-sector"),
    ):
        with pytest.raises(NotFoundError, match="no-such-sector"):
            ask()
    # Profiles and groups take the lists they are given: nothing to look up.
    assert kb.cluster_profiles(kb.clusters(), "no-such-sector").own == []


def test_clusters_by_kind_counts_like_groupby(seeded_store):
    for region in _regions(seeded_store):
        kb = _china_kb(seeded_store, region)
        before = _render(
            "{% for g in c|groupby('kind') %}{{ g.grouper }}={{ g.list|length }};{% endfor %}",
            c=kb.clusters(),
        )
        assert "".join(f"{k}={n};" for k, n in kb.clusters_by_kind()) == before
    assert KnowledgeBase(seeded_store, seeded_store.country("CN")).clusters_by_kind("*")


def test_clusters_of_a_list_of_kinds_keep_the_main_sector_first(seeded_store):
    kinds = ["high-tech-zone", "science-park", "innovation-centre", "sez", "development-zone"]
    for region in _regions(seeded_store):
        kb = _china_kb(seeded_store, region)
        for sector in ("automotive", "ict", "human-health"):
            found = kb.clusters_main_first(sector)
            assert _slugs(kb.clusters_main_first(sector, kind=kinds)) == _slugs(
                [c for c in found if c.kind in kinds]
            )
            assert _slugs(kb.clusters(sector=sector, kind=kinds)) == _slugs(
                [c for c in kb.clusters(sector=sector) if c.kind in kinds]
            )
        assert kb.clusters(kind="industrial-cluster") == kb.clusters(kind=["industrial-cluster"])


def test_counts_by_sector_and_area_count_each_cluster_once(seeded_store):
    for region in (None, "*", "guangdong", "pearl-river-delta", "yangtze-river-delta"):
        kb = _china_kb(seeded_store)
        clusters = kb.clusters(region=region)
        expected = []
        for top in (s for s in seeded_store.sectors() if not s.parent):
            scope = seeded_store.sector_scope(top.slug)
            many = sum(1 for c in clusters if scope & set(c.sectors))
            if many:
                expected.append((top.name, many))
        expected.sort(key=lambda pair: (-pair[1], pair[0]))
        assert kb.clusters_by_sector(region=region) == expected
        if region not in (None, "*"):
            areas = seeded_store.region_members(region)
            counted = []
            for area in areas:
                scope = seeded_store.region_scope(area.slug)
                many = sum(1 for c in clusters if c.region in scope)
                if many:
                    counted.append((area.name, many))
            counted.sort(key=lambda pair: (-pair[1], pair[0]))
            assert kb.clusters_by_region(region=region) == counted


# -- single records and scopes ----------------------------------------------------------


def test_small_entities_are_looked_up_in_one_load_large_ones_by_slug(seeded_store):
    counting = CountingStore(seeded_store)
    kb = KnowledgeBase(counting, seeded_store.country("CN"))
    for region in seeded_store.regions():
        assert kb.region(region.slug) == region
    for sector in seeded_store.sectors():
        assert kb.sector(sector.slug) == sector
    for source in seeded_store.sources()[:20]:
        assert kb.source(source.slug) == source
    assert kb.region("no-such-region") is None and kb.sector("no-such-sector") is None
    assert counting.gets == {}
    assert counting.loads == {"regions": 1, "sectors": 1, "sources": 1}
    cluster = seeded_store.clusters(country="CN")[0]
    assert kb.cluster(cluster.slug) == cluster and kb.cluster("no-such-cluster") is None
    assert counting.gets == {"clusters": 2}
    assert "clusters" not in counting.loads


def test_scopes_worked_out_in_memory_equal_the_stores(seeded_store):
    kb = _china_kb(seeded_store)
    for region in seeded_store.regions():
        assert kb._known_scope("region", region.slug) == seeded_store.region_scope(region.slug)
    for sector in seeded_store.sectors():
        assert kb._known_scope("sector", sector.slug) == seeded_store.sector_scope(sector.slug)
    with pytest.raises(NotFoundError):
        kb._known_scope("region", "no-such-region")
    assert kb._region_scope("no-such-region") == {"no-such-region"}
    assert kb._sector_scope("no-such-sector") == {"no-such-sector"}


# -- through the sandbox ----------------------------------------------------------------


def test_templates_reach_the_groups_through_the_sandbox(seeded_store):
    body = (
        "{% set macro = kb.indicators()|rejectattr('sector')|rejectattr('region')|list %}"
        "{% for g in kb.indicator_groups(macro, mentioning=['gdp'], order='source') %}"
        "{% if loop.first %}G {{ g.name }} {{ g.latest.year }} {{ g.earliest.year }} "
        "{{ g.peak.value }} {{ g.points|length }} {{ g.is_ranking }} {{ g.mentions(['gdp']) }}"
        "{% endif %}{% endfor %}\n\n"
        "{% set p = kb.cluster_profiles(kb.clusters(sector='automotive'), 'automotive') %}"
        "P {{ p.ordered|length }} {{ (p.own + p.restating)[:1]|join_names }}\n\n"
        "O {{ kb.organisations(kind=['chamber', 'agency'])|length }} "
        "{{ kb.national_organisations(general=True)|length }}"
    )
    selection = Selection(country="CN", region="guangdong", sectors=("automotive",))
    text = document_text(render_template(seeded_store, selection, body, "mine"))
    assert "G " in text and "True" in text and "P " in text and "O " in text


def test_the_shipped_library_builds_for_an_imported_thin_country(seeded_store, tiny_country):
    from briefing_app.assembly import build_document

    for entity in ENTITIES:
        path = tiny_country / f"{entity}.csv"
        if path.exists():
            seeded_store.import_file(entity, path)
    for blueprint in ("eccp-preparatory", "delegation-brief", "country-factsheet"):
        for region in (None, "red-delta"):
            document = build_document(
                seeded_store,
                Selection(
                    country="FD", region=region, sectors=("aquaculture",), blueprint=blueprint
                ),
            )
            text = document_text(document)
            assert "Freedonia" in text
            assert "China" not in text


# -- policies ----------------------------------------------------------------------------


def test_own_and_broader_policies_equal_the_template_loop_they_replace(seeded_store):
    kb = _china_kb(seeded_store)
    old = ENV.from_string(
        "{% for policy in policies %}{% set outside %}{% for slug in policy.sectors %}"
        "{% set record = kb.sector(slug) %}{% if slug != sector and not (record and "
        "record.parent == sector) %}x{% endif %}{% endfor %}{% endset %}"
        "{{ 'broader' if outside else 'own' }}:{{ policy.slug }};{% endfor %}"
    )
    both = {"own": 0, "broader": 0}
    for sector in seeded_store.sectors():
        policies = kb.policies(sector=sector.slug)
        reach = kb.own_and_broader(policies, sector.slug)
        expected = old.render(policies=policies, sector=sector.slug, kb=kb)
        own = [p.slug for p in reach.own]
        broader = [p.slug for p in reach.broader]
        assert sorted(own + broader) == sorted(p.slug for p in policies)
        labelled = "".join(f"{'own' if p.slug in own else 'broader'}:{p.slug};" for p in policies)
        assert labelled == expected
        both["own"] += bool(own)
        both["broader"] += bool(broader)
    assert all(both.values()), both


def test_a_policy_naming_an_unknown_sector_reaches_beyond_the_sector(seeded_store):
    kb = _china_kb(seeded_store)
    policy = kb.policies(sector="automotive")[0]
    odd = type(policy)(
        **{
            **{f: getattr(policy, f) for f in policy.__dataclass_fields__},
            "sectors": ("automotive", "no-such-sector"),
        }
    )
    plain = type(policy)(
        **{
            **{f: getattr(policy, f) for f in policy.__dataclass_fields__},
            "sectors": ("automotive", "new-energy-vehicles"),
        }
    )
    reach = kb.own_and_broader([odd, plain], "automotive")
    assert reach.own == [plain] and reach.broader == [odd]
    empty = kb.own_and_broader([], "automotive")
    assert (empty.own, empty.broader) == ([], [])


def test_one_word_is_taken_as_a_list_of_one(seeded_store):
    kb = _china_kb(seeded_store)
    figures = kb.indicators()
    assert kb.indicator_groups(figures, mentioning="gdp") == kb.indicator_groups(
        figures, mentioning=["gdp"]
    )
    assert kb.indicator_groups(figures, not_mentioning="gdp") == kb.indicator_groups(
        figures, not_mentioning=["gdp"]
    )
    group = kb.indicator_groups(figures, mentioning="gdp")[0]
    assert group.mentions("gdp") and not group.mentions("g-d-p")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ kb.indicator_groups(42) }}", "kb.indicator_groups needs a list of indicator records"),
        ("{{ kb.indicator_groups('gdp') }}", "needs a list of indicator records, not str"),
        ("{{ kb.cluster_profiles(kb.indicators()).own }}", "needs a list of cluster records"),
        ("{{ kb.zones_first([1, 2]) }}", "kb.zones_first needs a list of cluster records"),
        ("{{ kb.own_and_broader(kb.indicators(), 'ict').own }}", "needs a list of policy records"),
        ("{{ kb.organisations(kind=5) }}", "kind must be a word or a list of words"),
        (
            "{{ kb.indicator_groups([], order='year') }}",
            "order must be 'meaning', 'name' or 'source'",
        ),
        ("{{ kb.clusters_elsewhere('no-such-sector') }}", "no-such-sector"),
    ],
)
def test_a_wrong_argument_gives_a_template_error_that_says_what_is_wanted(
    seeded_store, body, message
):
    from briefing_app.errors import TemplateError

    with pytest.raises(TemplateError, match=message) as caught:
        render_template(seeded_store, Selection(country="CN", region="zhejiang"), body, "mine")
    assert caught.value.line == 1
