"""Region positions (latitude, longitude, their source): migrated, imported,
checked, exported and seeded for China."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from csv_files import write_csv

from briefing_app import paths
from briefing_app.errors import ImportValidationError
from briefing_app.store import migrations, open_store
from briefing_app.store.connection import connect

HEADER = {"slug": "", "name": "", "kind": "province", "country": "FD"}


def _regions(tmp_path: Path, *rows: dict) -> Path:
    return write_csv(tmp_path / "regions.csv", [{**HEADER, **row} for row in rows])


def _problems(store, path: Path) -> list:
    with pytest.raises(ImportValidationError) as caught:
        store.import_file("regions", path)
    return caught.value.problems


def test_positions_are_imported_read_and_exported(tiny_store, tmp_path):
    path = _regions(
        tmp_path,
        {
            "slug": "bac-linh",
            "name": "Bac Linh",
            "latitude": "21.03",
            "longitude": "105.85",
            "position_source": "freedonia-statistics-2024",
        },
        {"slug": "nam-thuy", "name": "Nam Thuy", "latitude": "", "longitude": ""},
    )
    assert tiny_store.import_file("regions", path) == 2
    placed = tiny_store.region("bac-linh")
    assert (placed.latitude, placed.longitude) == (21.03, 105.85)
    assert placed.position_source == "freedonia-statistics-2024"
    unplaced = tiny_store.region("nam-thuy")
    assert unplaced.latitude is None and unplaced.longitude is None

    tiny_store.export_file("regions", tmp_path / "out.csv")
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = {r["slug"]: r for r in csv.DictReader(handle)}
    assert list(rows["bac-linh"])[-3:] == ["latitude", "longitude", "position_source"]
    assert (rows["bac-linh"]["latitude"], rows["bac-linh"]["longitude"]) == ("21.03", "105.85")
    assert rows["nam-thuy"]["latitude"] == ""
    tiny_store.export_file("regions", tmp_path / "out.json", fmt="json")
    exported = {r["slug"]: r for r in json.loads((tmp_path / "out.json").read_text("utf-8"))}
    assert exported["bac-linh"]["latitude"] == 21.03
    assert exported["nam-thuy"]["longitude"] is None
    # What was exported imports again unchanged.
    assert tiny_store.import_file("regions", tmp_path / "out.json") == len(exported)
    assert tiny_store.region("bac-linh") == placed


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"latitude": "91", "longitude": "10"}, "latitude", "between -90 and 90"),
        ({"latitude": "10", "longitude": "-180.5"}, "longitude", "between -180 and 180"),
        ({"latitude": "north", "longitude": "10"}, "latitude", "not a number"),
        ({"latitude": "21.0", "longitude": ""}, "longitude", "both latitude and longitude"),
        ({"latitude": "", "longitude": "105"}, "latitude", "both latitude and longitude"),
        ({"latitude": "nan", "longitude": "105"}, "latitude", "not a finite number"),
        ({"position_source": "freedonia-statistics-2024"}, "position_source", "not given"),
        (
            {"latitude": "21", "longitude": "105", "position_source": "nowhere"},
            "position_source",
            "unknown source 'nowhere'",
        ),
    ],
)
def test_bad_positions_are_refused_with_their_column(tiny_store, tmp_path, cells, column, words):
    before = tiny_store.region("bac-linh")
    path = _regions(tmp_path, {"slug": "bac-linh", "name": "Bac Linh", **cells})
    problems = _problems(tiny_store, path)
    assert [(p.line, p.column) for p in problems] == [(2, column)]
    assert words in problems[0].message
    assert tiny_store.region("bac-linh") == before  # nothing written


def test_saving_one_region_checks_its_position_too(tiny_store):
    region = tiny_store.region("bac-linh")
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.upsert("regions", dataclasses.replace(region, latitude=120.0, longitude=10.0))
    assert caught.value.problems[0].column == "latitude"
    tiny_store.upsert("regions", dataclasses.replace(region, latitude=21.5, longitude=105.5))
    assert tiny_store.region("bac-linh").latitude == 21.5


def test_a_database_from_before_positions_migrates_with_none(tmp_path, empty_dir):
    path = tmp_path / "old.sqlite"
    db = connect(path)
    migrations.migrate(db, stop_before="v9_region_positions")
    db.conn.execute("INSERT INTO countries (slug, iso_code, name) VALUES ('freedonia', 'FD', 'F')")
    db.conn.execute(
        "INSERT INTO regions (slug, name, kind, country) "
        "VALUES ('bac-linh', 'Bac Linh', 'province', 'FD')"
    )
    db.close()
    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        region = store.region("bac-linh")
        assert (region.latitude, region.longitude, region.position_source) == (None, None, "")


def test_china_seed_places_every_area_city_cluster_and_cluster_city(seeded_store):
    regions = {r.slug: r for r in seeded_store.regions(country="CN")}
    must = [
        r
        for r in regions.values()
        if r.kind in ("province", "municipality", "autonomous-region", "sar", "city-cluster")
    ]
    # Every city holding a Table 3 cluster: the city itself or the city above its county.
    with open(paths.seed_dir() / "clusters.csv", encoding="utf-8", newline="") as handle:
        table3 = [
            r
            for r in csv.DictReader(handle)
            if r["source"] == "cass-top-100-industrial-clusters-2010"
        ]
    for row in table3:
        place = regions[row["region"]]
        while place.kind not in ("city", "province", "municipality") and place.parent:
            place = regions[place.parent]
        must.append(place)
    assert len(must) > 60
    for region in must:
        assert region.latitude is not None and region.longitude is not None, region.slug
        assert 18 <= region.latitude <= 54 and 73 <= region.longitude <= 135, region.slug
        assert region.position_source == "region-positions-compilation"
    source = seeded_store.source("region-positions-compilation")
    assert source.url and source.accessed
