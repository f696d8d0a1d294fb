"""A user adds a whole new country to the default knowledge base by import alone."""

from __future__ import annotations

from briefing_app.store import ENTITIES


def test_freedonia_is_added_beside_china_by_import_alone(seeded_store, tiny_country):
    china_clusters = len(seeded_store.clusters(country="CN"))
    for entity in ENTITIES:
        path = tiny_country / f"{entity}.csv"
        if path.exists():
            seeded_store.import_file(entity, path)

    country = seeded_store.country("FD")
    assert country.local_name == "Cộng hòa Freedonia"
    delta = seeded_store.clusters(region="red-delta")
    assert {c.slug for c in delta} == {
        "thuy-an-shrimp-cluster",
        "dong-hai-seaweed-park",
        "nam-thuy-lacquer-cluster",
    }
    assert all(c.country == "FD" for c in delta)
    # Vietnamese letters with stacked diacritics survive the trip
    assert seeded_store.region("red-delta").local_name == "Đồng bằng sông Đỏ"
    assert seeded_store.get("clusters", "nam-thuy-lacquer-cluster").local_name == (
        "Làng sơn mài Nam Thủy"
    )
    # the new sectors join the tree and the alias lookup
    assert seeded_store.resolve_sector("fish farming").slug == "aquaculture"
    assert seeded_store.count_clusters_by_sector("FD")["aquaculture"] == 2
    assert [p.slug for p in seeded_store.policies(country="FD", level="national")] == [
        "freedonia-blue-economy-plan"
    ]
    # China is untouched and the two countries do not mix
    assert len(seeded_store.clusters(country="CN")) == china_clusters
    assert not seeded_store.clusters(country="CN", region="red-delta")
    assert [h.slug for h in seeded_store.search("Thủy An")] == ["thuy-an-shrimp-cluster"]
    assert seeded_store.check() == []
