"""Full-text search: trigram index for Chinese and Latin text, LIKE for short words."""

from __future__ import annotations

from briefing_app.store.records import Cluster, Section


def found(store, text) -> set[str]:
    return {h.slug for h in store.search(text)}


def hangzhou_clusters(store) -> set[str]:
    return {c.slug for c in store.clusters() if "杭州" in c.city_local or "Hangzhou" in c.city}


def test_seed_hangzhou_found_in_chinese_and_in_latin_script(seeded_store):
    expected = hangzhou_clusters(seeded_store)
    assert expected
    assert expected <= found(seeded_store, "杭州")
    assert expected <= found(seeded_store, "Hangzhou")
    assert expected <= found(seeded_store, "hangzhou")


def test_region_names_in_both_scripts_are_indexed(tiny_store):
    # the seaweed park's own text names neither the province nor its local name
    assert "dong-hai-seaweed-park" in found(tiny_store, "Bắc Lĩnh")
    assert "dong-hai-seaweed-park" in found(tiny_store, "Bac Linh")


def test_short_queries_fall_back_to_like(tiny_store):
    assert found(tiny_store, "An") >= {"thuy-an-shrimp-cluster"}
    assert found(tiny_store, "zz") == set()


def test_every_word_must_match(tiny_store):
    assert found(tiny_store, "shrimp Thuy") == {"thuy-an-shrimp-cluster"}
    assert found(tiny_store, "shrimp lacquer") == set()
    assert found(tiny_store, '"quoted') == {"nam-thuy-lacquer-cluster"}
    assert found(tiny_store, "   ") == set()


def test_policies_and_sectors_are_searchable(tiny_store):
    assert "freedonia-blue-economy-plan" in found(tiny_store, "Aquaculture")
    hits = tiny_store.search("Blue economy")
    assert hits[0].entity == "policies" and hits[0].name == "Blue economy plan"


def test_index_follows_edits_deletes_and_renames(tiny_store):
    old = tiny_store.get("clusters", "cao-nguyen-coffee-cluster")
    tiny_store.upsert("clusters", Cluster(**{**_fields(old), "name": "Cao Nguyen robusta cluster"}))
    assert found(tiny_store, "robusta") == {"cao-nguyen-coffee-cluster"}
    assert found(tiny_store, "coffee") == set()
    region = tiny_store.region("cao-nguyen")
    tiny_store.upsert("regions", type(region)(**{**_fields(region), "name": "Highlands"}))
    assert found(tiny_store, "Highlands") == {"cao-nguyen-coffee-cluster"}
    tiny_store.delete("clusters", "cao-nguyen-coffee-cluster")
    assert found(tiny_store, "robusta") == set()


def test_sections_are_indexed(tiny_store):
    tiny_store.save_section(
        Section("aquaculture-outlook", "Aquaculture outlook", "Shrimp farms and seaweed lines."),
        None,
    )
    hits = tiny_store.search("seaweed lines")
    assert [(h.entity, h.slug) for h in hits] == [("sections", "aquaculture-outlook")]


def _fields(record) -> dict:
    return {f: getattr(record, f) for f in record.__dataclass_fields__}


def test_seed_policies_and_organisations_found_by_chinese_name(seeded_store):
    assert "torch-program" in found(seeded_store, "火炬")  # two characters: LIKE fallback
    assert "torch-program" in found(seeded_store, "火炬计划")  # four: trigram index
    assert "torch-centre" in found(seeded_store, "TORCH")


def test_partnerships_are_found_by_acronym_objective_and_sector(seeded_store):
    partnership = next(p for p in seeded_store.partnerships() if p.acronym and p.objective)
    assert partnership.slug in found(seeded_store, partnership.acronym)
    words = [w for w in partnership.objective.split() if len(w) >= 5][:2]
    assert partnership.slug in found(seeded_store, " ".join(words))
    hits = {(h.entity, h.slug) for h in seeded_store.search(partnership.acronym)}
    assert ("partnerships", partnership.slug) in hits


def test_visitor_profiles_are_found_by_keyword_and_value_chain(tiny_store):
    from briefing_app.store.records import Profile

    sector = tiny_store.sectors()[0].slug
    tiny_store.upsert(
        "profiles",
        Profile(
            "baltic-kelp-makers",
            "Baltic kelp makers",
            "cluster-organisation",
            "EE",
            sectors=(sector,),
            keywords=("alginate extraction",),
            value_chain=("biorefining",),
        ),
    )
    assert "baltic-kelp-makers" in found(tiny_store, "alginate")
    assert "baltic-kelp-makers" in found(tiny_store, "biorefining")
    tiny_store.upsert(
        "profiles",
        Profile("baltic-kelp-makers", "Baltic kelp makers", "cluster-organisation", "EE"),
    )
    assert "baltic-kelp-makers" not in found(tiny_store, "alginate")  # the index follows edits


def test_an_older_database_gets_partnerships_and_profiles_indexed_on_opening(tmp_path):
    import sqlite3

    from briefing_app.store import open_store

    path = tmp_path / "kb.sqlite"
    with open_store(path) as store:
        acronym = next(p for p in store.partnerships() if p.acronym).acronym
    conn = sqlite3.connect(path)  # as the file was before the migration
    with conn:
        conn.execute(
            "DELETE FROM search_index WHERE rowid IN "
            "(SELECT row FROM search_rows WHERE entity IN ('partnerships', 'profiles'))"
        )
        conn.execute("DELETE FROM search_rows WHERE entity IN ('partnerships', 'profiles')")
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = 'v15_search_partnerships_profiles'"
        )
    conn.close()
    with open_store(path) as store:
        assert any(h.entity == "partnerships" for h in store.search(acronym))
