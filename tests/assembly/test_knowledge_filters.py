"""The filter helpers of ``kb`` give exactly the lists the Jinja pipelines they
replace computed (the preview must not change), for every region and sector
of the seeded knowledge base."""

from __future__ import annotations

import jinja2

from briefing_app.assembly.knowledge import KnowledgeBase


def _slugs(records) -> list[str]:
    return [r.slug for r in records]


def _scopes(store):
    regions = [None, "*", *(r.slug for r in store.regions(country="CN"))]
    sectors = [s.slug for s in store.sectors()]
    return regions, sectors


def test_main_first_equals_the_selectattr_pipeline_it_replaces(seeded_store):
    """Rendered with plain Jinja, the old expression and the helper agree."""
    china = seeded_store.country("CN")
    env = jinja2.Environment()
    old = env.from_string(
        "{% for c in (kb.clusters(sector=s, region=r)|selectattr('sectors.0', 'equalto', s)|list)"
        " + (kb.clusters(sector=s, region=r)|rejectattr('sectors.0', 'equalto', s)|list) %}"
        "{{ c.slug }};{% endfor %}"
    )
    new = env.from_string(
        "{% for c in kb.clusters_main_first(s, region=r) %}{{ c.slug }};{% endfor %}"
    )
    regions, sectors = _scopes(seeded_store)
    reordered = 0
    for region in regions:
        kb = KnowledgeBase(seeded_store, china)
        for sector in sectors:
            before = old.render(kb=kb, s=sector, r=region)
            assert new.render(kb=kb, s=sector, r=region) == before, (region, sector)
            plain = "".join(f"{c.slug};" for c in kb.clusters(sector=sector, region=region))
            reordered += before != plain
    # The seed holds clusters whose first sector is not the one asked for,
    # so the comparison above did exercise the reordering.
    assert reordered > 0


def test_clusters_in_any_lists_each_cluster_of_the_sectors_once(seeded_store):
    china = seeded_store.country("CN")
    sectors = [s.slug for s in seeded_store.sectors() if not s.parent][:4]
    for region in [None, *(r.slug for r in seeded_store.regions(country="CN"))]:
        chosen = seeded_store.region(region) if region else None
        kb = KnowledgeBase(seeded_store, china, chosen)
        expected: list[str] = []
        for sector in sectors:
            expected += [s for s in _slugs(kb.clusters(sector=sector)) if s not in expected]
        assert _slugs(kb.clusters_in_any(sectors)) == expected
        # Records are accepted as well as slugs.
        records = [seeded_store.sector(s) for s in sectors]
        assert _slugs(kb.clusters_in_any(records)) == expected
    assert KnowledgeBase(seeded_store, china).clusters_in_any([]) == []


def test_zones_outside_keeps_described_non_industrial_clusters_of_other_sectors(seeded_store):
    china = seeded_store.country("CN")
    kb = KnowledgeBase(seeded_store, china)
    sectors = ["automotive", "ict"]
    taken = set(_slugs(kb.clusters_in_any(sectors)))
    expected = [
        c.slug
        for c in kb.clusters()
        if c.kind != "industrial-cluster" and c.description and c.slug not in taken
    ]
    zones = kb.zones_outside(sectors)
    assert _slugs(zones) == expected
    assert zones, "the seed holds described zones outside automotive and ICT"
    # Without sectors every described zone, park and centre is listed.
    everything = kb.zones_outside([])
    assert len(everything) > len(zones)
    assert all(z.kind != "industrial-cluster" and z.description for z in everything)
