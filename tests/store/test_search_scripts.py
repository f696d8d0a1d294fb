"""Search finds a record whatever the Chinese script or the diacritics typed,
and shows the text as stored."""

from __future__ import annotations

import pytest
from csv_files import write_csv

from briefing_app.store import migrations, open_store, search
from briefing_app.store.connection import connect
from briefing_app.store.text_forms import fold

ROWS = {
    "sources": [{"slug": "atlas", "title": "Atlas of places"}],
    "countries": [
        {"slug": "china", "iso_code": "CN", "name": "China", "local_name": "中国"},
        {"slug": "brazil", "iso_code": "BR", "name": "Brazil", "local_name": "Brasil"},
        {"slug": "poland", "iso_code": "PL", "name": "Poland", "local_name": "Polska"},
        {"slug": "sweden", "iso_code": "SE", "name": "Sweden", "local_name": "Sverige"},
    ],
    "regions": [
        {
            "slug": "hangzhou",
            "name": "Hangzhou",
            "kind": "city",
            "country": "CN",
            "local_name": "杭州",
        },
        {"slug": "sao-paulo", "name": "São Paulo", "kind": "province", "country": "BR"},
        {"slug": "lodzkie", "name": "Łódzkie", "kind": "province", "country": "PL"},
        {"slug": "skane", "name": "Skåne", "kind": "province", "country": "SE"},
    ],
    "clusters": [
        {
            "slug": "fuyang-paper",
            "name": "Fuyang paper cluster",
            "kind": "industrial-cluster",
            "country": "CN",
            "region": "hangzhou",
            "city": "Fuyang, Hangzhou",
            "city_local": "杭州富陽",  # traditional, as a source may print it
            "local_name": "富陽造紙產業集群",
        },
        {
            "slug": "sp-aero",
            "name": "São Paulo aerospace cluster",
            "kind": "industrial-cluster",
            "country": "BR",
            "region": "sao-paulo",
        },
        {
            "slug": "lodz-textiles",
            "name": "Łódź textile cluster",
            "kind": "industrial-cluster",
            "country": "PL",
            "region": "lodzkie",
        },
        {
            "slug": "malmo-foodtech",
            "name": "Malmö food tech cluster",
            "kind": "industrial-cluster",
            "country": "SE",
            "region": "skane",
            "description": "Start-ups around Öresund working with Straße-scale logistics",
        },
    ],
}


@pytest.fixture
def places(tmp_path, empty_dir):
    folder = tmp_path / "places"
    folder.mkdir()
    for entity, rows in ROWS.items():
        write_csv(folder / f"{entity}.csv", rows)
    with open_store(
        tmp_path / "places.sqlite",
        seed_dir=folder,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    ) as store:
        yield store


def slugs(store, text) -> list[str]:
    return [h.slug for h in store.search(text)]


@pytest.mark.parametrize("query", ["富阳", "富陽", "富阳造纸", "富陽造紙", "造纸产业集群"])
def test_both_chinese_scripts_find_fuyang(places, query):
    assert slugs(places, query) == ["fuyang-paper"]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Sao Paulo", "sp-aero"),
        ("São Paulo", "sp-aero"),
        ("sao paulo aerospace", "sp-aero"),
        ("Lodz", "lodz-textiles"),
        ("Łódź", "lodz-textiles"),
        ("LODZ textile", "lodz-textiles"),
        ("Malmo", "malmo-foodtech"),
        ("Malmö", "malmo-foodtech"),
        ("Oresund", "malmo-foodtech"),
        ("Strasse", "malmo-foodtech"),
    ],
)
def test_latin_names_found_with_or_without_diacritics(places, query, slug):
    assert slugs(places, query) == [slug]


def test_region_names_are_folded_too(places):
    # the cluster's own text names Łódź; the region's name Łódzkie is indexed with it
    assert slugs(places, "Lodzkie") == ["lodz-textiles"]
    assert slugs(places, "Skane") == ["malmo-foodtech"]


def test_snippets_show_the_stored_form(places):
    (hit,) = places.search("Lodz")
    assert "Łódź" in hit.snippet and "lodz" not in hit.snippet
    (hit,) = places.search("富阳")
    assert "富陽" in hit.snippet and "富阳" not in hit.snippet
    (hit,) = places.search("Oresund")
    assert "Öresund" in hit.snippet


def test_short_latin_words_do_not_match_inside_folded_words(places):
    # "od" is in the folded "lodz" but not in the stored "Łódź"
    assert slugs(places, "od") == ["malmo-foodtech"]  # in its stored word "food"
    assert slugs(places, "Łó") == ["lodz-textiles"]


def test_edits_keep_the_spellings_in_step(places):
    old = places.get("clusters", "malmo-foodtech")
    places.upsert("clusters", type(old)(**{**_fields(old), "name": "Göteborg food tech cluster"}))
    assert slugs(places, "Goteborg") == ["malmo-foodtech"]
    assert slugs(places, "Malmo") == []


def test_the_migration_rebuilds_an_older_index(tmp_path):
    db = connect(tmp_path / "old.sqlite")
    migrations.migrate(db, stop_before="v10_search_spellings")
    columns = [r[1] for r in db.conn.execute("PRAGMA table_info(search_index)")]
    assert "variants" not in columns
    db.conn.execute(
        "INSERT INTO sections (slug, title, body, shipped_body, sectors, regions, partnerships, "
        "version, updated) VALUES ('w', 'Wrocław notes', 'Łódź and Kraków', '', '', '', '', 1, '')"
    )
    migrations.migrate(db)
    assert [h.slug for h in search.query(db, "Wroclaw Krakow")] == ["w"]
    db.close()


def test_fold_table_covers_letters_nfkd_keeps():
    assert fold("Łódź Ørsted Straße Æbeltoft Đà Nẵng Istanbul ıĞ") == (
        "lodz orsted strasse aebeltoft da nang istanbul ig"
    )


def _fields(record) -> dict:
    return {f: getattr(record, f) for f in record.__dataclass_fields__}
