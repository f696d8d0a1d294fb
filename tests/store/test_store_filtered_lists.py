"""Filtered lists are answered in SQL; they must keep what filtering in Python kept.

The reference here is the way the store used to answer: load every record of
the entity and drop, in Python, those outside the country, the region scope,
the sector scope or the other wanted field values. Every filtered method must
return the same records, in the same order, on the seeded knowledge base.
"""

from __future__ import annotations

import sqlite3

import pytest

from briefing_app.store import migrations, open_store
from briefing_app.store.connection import connect

# Provinces, a municipality, city clusters (which group provinces) and a city.
REGIONS = (
    "zhejiang",
    "guangdong",
    "shanghai",
    "yangtze-river-delta",
    "beijing-tianjin-hebei",
    "greater-bay-area",
    "hangzhou",
)
# Parent sectors (their scope holds sub-sectors), leaves, and a sector with few records.
SECTORS = ("automotive", "human-health", "energy", "renewable-energy", "ict", "biopharma", "space")


def loaded_then_filtered(store, entity, country=None, region=None, sector=None, **equal):
    """What the store returned before the filters moved into SQL."""
    iso = store.country(country).iso_code if country else None
    regions = store.region_scope(region) if region else None
    sectors = store.sector_scope(sector) if sector else None
    kept = []
    for record in store.records(entity):
        if iso is not None and record.country != iso:
            continue
        if regions is not None and record.region not in regions:
            continue
        if sectors is not None:
            own = record.sectors if hasattr(record, "sectors") else (record.sector,)
            if not sectors.intersection(own):
                continue
        if any(v is not None and getattr(record, k) != v for k, v in equal.items()):
            continue
        kept.append(record)
    return kept


@pytest.mark.parametrize("entity", ["clusters", "organisations", "policies", "indicators"])
def test_every_region_alone_keeps_the_same_records(seeded_store, entity):
    method = getattr(seeded_store, entity)
    found_any = False
    for region in [r.slug for r in seeded_store.regions()]:
        expected = loaded_then_filtered(seeded_store, entity, region=region)
        assert method(region=region) == expected, region
        found_any = found_any or bool(expected)
    assert found_any


@pytest.mark.parametrize("entity", ["clusters", "organisations", "policies", "indicators"])
def test_region_and_sector_combinations_keep_the_same_records(seeded_store, entity):
    method = getattr(seeded_store, entity)
    sizes = []
    for region in (None, *REGIONS):
        for sector in (None, *SECTORS):
            for country in (None, "CN", "china"):
                expected = loaded_then_filtered(
                    seeded_store, entity, country=country, region=region, sector=sector
                )
                got = method(country=country, region=region, sector=sector)
                assert got == expected, (region, sector, country)
                sizes.append(len(got))
    everything = len(seeded_store.records(entity))
    # The combinations really filter: some keep a part, none keeps more than all.
    assert any(0 < n < everything for n in sizes) and max(sizes) == everything


def test_zhejiang_clusters_come_back_whole_and_in_name_order(seeded_store):
    got = seeded_store.clusters(country="CN", region="zhejiang")
    assert got == loaded_then_filtered(seeded_store, "clusters", country="CN", region="zhejiang")
    assert len(got) == 25
    assert all(c.sectors for c in got)  # link rows are read for the listed records
    # SQLite's NOCASE folds ASCII letters only and compares the UTF-8 bytes.
    keys = [(c.name.encode().lower(), c.slug) for c in got]
    assert keys == sorted(keys)


def test_field_value_filters_match(seeded_store):
    for kind in sorted({c.kind for c in seeded_store.records("clusters")}):
        for region in (None, "zhejiang", "yangtze-river-delta"):
            assert seeded_store.clusters(region=region, kind=kind) == loaded_then_filtered(
                seeded_store, "clusters", region=region, kind=kind
            )
    for level in sorted({p.level for p in seeded_store.records("policies")}):
        assert seeded_store.policies(level=level) == loaded_then_filtered(
            seeded_store, "policies", level=level
        )
    series = sorted({i.series for i in seeded_store.records("indicators")})
    assert "" in series or len(series) > 1
    for name in series:  # "" picks indicators without a series, as before
        assert seeded_store.indicators(series=name) == loaded_then_filtered(
            seeded_store, "indicators", series=name
        )


def test_partnership_sector_and_kind_filters_match(seeded_store):
    every = seeded_store.records("partnerships")
    for sector in (None, *SECTORS):
        for kind in (None, *sorted({p.kind for p in every})):
            expected = [
                p
                for p in loaded_then_filtered(
                    seeded_store, "partnerships", sector=sector, kind=kind
                )
                if "CN" in p.target_countries
            ]
            assert seeded_store.partnerships(country="CN", sector=sector, kind=kind) == expected


def test_list_indexes_arrive_with_a_migration_and_serve_the_filters(tmp_path, empty_dir):
    path = tmp_path / "old.sqlite"
    db = connect(path)
    migrations.migrate(db, stop_before="v5_list_filter_indexes")
    db.close()
    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION
    conn = sqlite3.connect(path)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {
        "idx_clusters_country_region",
        "idx_cluster_sectors_cluster_position_sector",
        "idx_cluster_sectors_sector_cluster",
        "idx_organisations_country_region",
        "idx_policy_sources_policy_position_source",
    } <= indexes
    plan = " ".join(
        row[3]
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT cluster, sector FROM cluster_sectors "
            "WHERE cluster IN (SELECT value FROM json_each(?)) ORDER BY cluster, position",
            ('["a"]',),
        )
    )
    assert "COVERING INDEX idx_cluster_sectors_cluster_position_sector" in plan
