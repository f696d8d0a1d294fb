"""Read queries and their filters, on the invented country and on the seed."""

from __future__ import annotations

import pytest
from csv_files import shipped_kinds

from briefing_app import paths
from briefing_app.errors import NotFoundError
from briefing_app.store.records import Cluster, Region


def slugs(records) -> set[str]:
    return {r.slug for r in records}


def test_tiny_store_loads_every_file(tiny_store):
    assert tiny_store.counts() == {
        "sources": 2,
        "countries": 1,
        "kinds": shipped_kinds(),
        "regions": 6,
        "sectors": 3,
        "clusters": 4,
        "partnerships": 0,
        "policies": 2,
        "organisations": 0,
        "indicators": 0,
        "profiles": 0,
    }


def test_records_come_back_typed_and_complete(tiny_store):
    cluster = tiny_store.get("clusters", "thuy-an-shrimp-cluster")
    assert isinstance(cluster, Cluster)
    assert cluster.established == 2009
    assert cluster.sectors == ("aquaculture",)
    assert cluster.city_local == "Đông Hải Thủy An"
    assert tiny_store.get("clusters", "dong-hai-seaweed-park").established is None
    region = tiny_store.region("bac-linh")
    assert isinstance(region, Region) and region.groups == ("red-delta",) and region.parent == ""
    policy = tiny_store.get("policies", "freedonia-blue-economy-plan")
    assert policy.is_cluster_policy is True
    assert policy.sources == ("freedonia-statistics-2024", "freedonia-cluster-survey")
    assert policy.region == "" and policy.continuity == "continuous"


def test_lists_are_sorted_by_name(tiny_store):
    names = [c.name for c in tiny_store.clusters()]
    assert names == sorted(names, key=str.casefold)


def test_country_by_iso_slug_or_name(tiny_store):
    assert tiny_store.country("FD").slug == "freedonia"
    assert tiny_store.country("freedonia").iso_code == "FD"
    assert tiny_store.country("Freedonia").local_name == "Cộng hòa Freedonia"
    with pytest.raises(NotFoundError):
        tiny_store.country("XX")


def test_region_scope_follows_groups_and_parents_recursively(tiny_store):
    assert tiny_store.region_scope("red-delta") == {
        "red-delta",
        "bac-linh",
        "nam-thuy",
        "dong-hai",
        "thuy-an",
    }
    assert slugs(tiny_store.region_members("red-delta")) == {"bac-linh", "nam-thuy"}
    assert slugs(tiny_store.region_members("bac-linh")) == {"dong-hai"}
    assert slugs(tiny_store.clusters(region="red-delta")) == {
        "thuy-an-shrimp-cluster",
        "dong-hai-seaweed-park",
        "nam-thuy-lacquer-cluster",
    }
    assert slugs(tiny_store.clusters(region="dong-hai")) == {
        "thuy-an-shrimp-cluster",
        "dong-hai-seaweed-park",
    }


def test_sector_filter_includes_sub_sectors(tiny_store):
    assert tiny_store.sector_scope("aquaculture") == {"aquaculture", "seaweed"}
    assert slugs(tiny_store.clusters(sector="aquaculture")) == {
        "thuy-an-shrimp-cluster",
        "dong-hai-seaweed-park",
    }
    assert slugs(tiny_store.clusters(sector="seaweed")) == {"dong-hai-seaweed-park"}
    assert slugs(tiny_store.policies(sector="lacquerware")) == {"bac-linh-craft-villages"}


def test_resolve_sector_by_slug_name_or_alias_any_case(tiny_store):
    assert tiny_store.resolve_sector("FISH FARMING").slug == "aquaculture"
    assert tiny_store.resolve_sector("Lacquerware").slug == "lacquerware"
    assert tiny_store.resolve_sector("seaweed").slug == "seaweed"
    with pytest.raises(NotFoundError):
        tiny_store.resolve_sector("steel")


def test_other_filters(tiny_store):
    assert slugs(tiny_store.clusters(kind="science-park")) == {"dong-hai-seaweed-park"}
    assert slugs(tiny_store.policies(level="national")) == {"freedonia-blue-economy-plan"}
    assert slugs(tiny_store.policies(region="red-delta")) == {"bac-linh-craft-villages"}
    assert len(tiny_store.clusters(country="FD")) == 4
    assert tiny_store.regions(country="FD", kind="province")[0].kind == "province"


def test_count_clusters_by_sector_rolls_sub_sectors_up(tiny_store):
    assert tiny_store.count_clusters_by_sector("FD") == {
        "aquaculture": 2,
        "seaweed": 1,
        "lacquerware": 1,
    }
    assert tiny_store.count_clusters_by_sector("FD", region="nam-thuy") == {"lacquerware": 1}


def test_unknown_slugs_raise_not_found(tiny_store):
    with pytest.raises(NotFoundError, match="nowhere"):
        tiny_store.region("nowhere")
    with pytest.raises(NotFoundError):
        tiny_store.clusters(region="nowhere")
    with pytest.raises(NotFoundError):
        tiny_store.get("sources", "missing")


# --- the shipped seed --------------------------------------------------------------


def test_seed_zhejiang_has_its_25_table3_clusters(seeded_store):
    found = seeded_store.clusters(region="zhejiang")
    assert len(found) == 25
    assert all(c.country == "CN" for c in found)


def test_seed_yangtze_river_delta_covers_its_members(seeded_store):
    found = seeded_store.clusters(region="yangtze-river-delta")
    assert len(found) >= 43
    scope = seeded_store.region_scope("yangtze-river-delta")
    assert {"shanghai", "jiangsu", "zhejiang", "anhui"} <= scope
    assert {c.region for c in found} <= scope


def seed_file_or_skip(entity: str) -> None:
    if not (paths.seed_dir() / f"{entity}.csv").exists():
        pytest.skip(f"db/seed/{entity}.csv not written yet")


def test_seed_organisations_have_no_duplicate_names(seeded_store):
    seed_file_or_skip("organisations")
    names = [o.name.casefold() for o in seeded_store.organisations()]
    assert names
    assert len(names) == len(set(names))


def test_seed_escp4i_partnerships(seeded_store):
    seed_file_or_skip("partnerships")
    escp = seeded_store.partnerships(kind="escp-4i")
    assert len(escp) == 9
    assert all(p.acronym and p.name for p in escp)


def test_every_seed_file_is_loaded_and_consistent(seeded_store):
    counts = seeded_store.counts()
    for entity, count in counts.items():
        if (paths.seed_dir() / f"{entity}.csv").exists():
            assert count > 0, entity
    assert counts["clusters"] >= 100
    assert seeded_store.check() == []
