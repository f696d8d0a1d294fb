"""The ``kb`` object filters one load per entity in memory; its answers must
stay exactly those of the store's own filtered lists."""

from __future__ import annotations

import pytest
from counting_store import CountingStore

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.errors import NotFoundError


def _slugs(records) -> list[str]:
    return [r.slug for r in records]


def test_lists_match_the_store_in_content_and_order(seeded_store):
    china = seeded_store.country("CN")
    kb = KnowledgeBase(seeded_store, china)
    regions = [None, *(r.slug for r in seeded_store.regions(country="CN"))]
    sectors = [None, *(s.slug for s in seeded_store.sectors())]
    compared = 0
    for region in regions:
        for sector in sectors:
            pairs = [
                (
                    kb.clusters(region=region or "*", sector=sector),
                    seeded_store.clusters(country="CN", region=region, sector=sector),
                ),
                (
                    kb.clusters(region=region or "*", sector=sector, kind="industrial-cluster"),
                    seeded_store.clusters(
                        country="CN", region=region, sector=sector, kind="industrial-cluster"
                    ),
                ),
                (
                    kb.organisations(sector=sector, region=region),
                    seeded_store.organisations(country="CN", region=region, sector=sector),
                ),
                (
                    kb.policies(sector=sector, region=region),
                    seeded_store.policies(country="CN", region=region, sector=sector),
                ),
                (
                    kb.indicators(sector=sector, region=region),
                    seeded_store.indicators(country="CN", region=region, sector=sector),
                ),
            ]
            for ours, theirs in pairs:
                assert _slugs(ours) == _slugs(theirs)
                compared += len(theirs)
        assert _slugs(kb.partnerships(sector=sector)) == _slugs(
            seeded_store.partnerships(country="CN", sector=sector)
        )
    assert compared > 0  # the seed has records in these scopes
    for kind in ("industrial-cluster", "innovation-cluster"):
        assert _slugs(kb.clusters(region="*", kind=kind)) == _slugs(
            seeded_store.clusters(country="CN", kind=kind)
        )


def test_the_selected_region_is_the_default_scope(seeded_store):
    zhejiang = seeded_store.region("zhejiang")
    kb = KnowledgeBase(seeded_store, seeded_store.country("CN"), zhejiang)
    expected = seeded_store.clusters(country="CN", region="zhejiang", sector="textiles-and-apparel")
    assert expected
    assert _slugs(kb.clusters(sector="textiles-and-apparel")) == _slugs(expected)
    assert len(kb.clusters(region="*")) == len(seeded_store.clusters(country="CN"))


def test_unknown_region_or_sector_is_refused_as_by_the_store(seeded_store):
    kb = KnowledgeBase(seeded_store, seeded_store.country("CN"))
    with pytest.raises(NotFoundError):
        kb.clusters(region="atlantis")
    with pytest.raises(NotFoundError):
        kb.organisations(sector="no-such-sector")


def test_a_whole_build_reads_each_entity_once(seeded_store):
    counting = CountingStore(seeded_store)
    selection = Selection(
        country="CN",
        blueprint="eccp-preparatory",
        sectors=("automotive", "human-health", "renewable-energy", "ict"),
    )
    document = build_document(counting, selection)
    assert document.blocks
    assert counting.loads.get("organisations") == 1
    assert counting.loads.get("clusters") == 1
    assert all(count == 1 for count in counting.loads.values()), counting.loads


def test_whole_country_answers_are_kept_between_builds_until_the_data_changes(tiny_store):
    import dataclasses

    counting = CountingStore(tiny_store)
    country = tiny_store.country("FD")
    first = KnowledgeBase(counting, country)
    everywhere = first.clusters()
    by_sector = first.clusters_by_sector()
    assert counting.loads.get("clusters") == 1
    # The next build asks again: the whole-country answers come back kept.
    second = KnowledgeBase(counting, country)
    assert second.clusters() == everywhere
    assert second.clusters_by_sector() == by_sector
    assert counting.loads.get("clusters") == 1
    # A region's answers are picked out of the kept country-wide list.
    chosen = next(c for c in everywhere if c.sectors)
    region, sector = chosen.region, chosen.sectors[0]
    assert second.clusters(region=region) == tiny_store.clusters(region=region)
    assert second.clusters(region=region, sector=sector) == tiny_store.clusters(
        region=region, sector=sector
    )
    assert counting.loads.get("clusters") == 1
    # Once a cluster changes, the next build works the country out again.
    renamed = dataclasses.replace(chosen, name="Renamed between builds")
    tiny_store.upsert("clusters", renamed)
    third = KnowledgeBase(counting, country)
    assert "Renamed between builds" in {c.name for c in third.clusters(region=region)}
    assert counting.loads.get("clusters") == 2


def test_a_preview_build_keeps_a_few_rows_of_each_table_and_counts_the_rest(seeded_store):
    from briefing_app.document import Table

    selection = Selection(country="CN", sectors=("automotive", "ict"))
    whole = build_document(seeded_store, selection)
    preview = build_document(seeded_store, selection, preview_rows=3)
    full_tables = [b for b in whole.blocks if isinstance(b, Table)]
    cut_tables = [b for b in preview.blocks if isinstance(b, Table)]
    assert len(full_tables) == len(cut_tables)
    assert any(len(t.rows) > 3 for t in full_tables)
    for full, cut in zip(full_tables, cut_tables, strict=True):
        assert full.omitted_rows == 0
        assert cut.rows == full.rows[:3]
        assert len(cut.rows) + cut.omitted_rows == len(full.rows)
        assert cut.caption_label == full.caption_label


def test_cluster_mapping_groups_each_area_and_puts_the_busiest_first(seeded_store):
    """Every region's mapping against the rule written out plainly."""
    china = seeded_store.country("CN")
    regions = {r.slug: r for r in seeded_store.regions()}

    def top(slug):
        region = regions.get(slug)
        while region is not None and region.parent in regions:
            region = regions[region.parent]
        return region

    kb = KnowledgeBase(seeded_store, china)
    for region in [None, *(r.slug for r in seeded_store.regions(country="CN"))]:
        clusters = seeded_store.clusters(country="CN", region=region, kind="industrial-cluster")
        rows = [
            (top(c.region).name if top(c.region) else "", c.city or "", c.name) for c in clusters
        ]
        per_area = {}
        for area, _, _ in rows:
            per_area[area] = per_area.get(area, 0) + 1
        rows.sort(key=lambda r: (-per_area[r[0]], r[0], r[1], r[2]))
        mapped = kb.cluster_mapping(region=region or "*")
        assert [(r["area"], r["city"], r["name"]) for r in mapped] == rows
    assert kb.cluster_mapping(region="*")  # the seed maps clusters
