"""Import: all rows or none, every problem reported with its line."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc

import pytest
from csv_files import write_csv

from briefing_app.errors import ImportValidationError, StoreError
from briefing_app.store import backups

CLUSTER = {
    "slug": "cao-nguyen-tea-cluster",
    "name": "Cao Nguyen tea cluster",
    "kind": "industrial-cluster",
    "country": "FD",
    "region": "cao-nguyen",
    "sectors": "aquaculture",
    "established": "2015",
    "source": "freedonia-cluster-survey",
}


def table_dump(path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [
            list(conn.execute(f"SELECT * FROM [{t}] ORDER BY 1"))
            for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'search_index%' ORDER BY name"
            )
        ]
    finally:
        conn.close()


def problems_of(store, entity, path) -> list:
    with pytest.raises(ImportValidationError) as caught:
        store.import_file(entity, path)
    return caught.value.problems


def test_good_import_adds_and_updates(tiny_store, tmp_path):
    changed = dict(
        CLUSTER, slug="thuy-an-shrimp-cluster", name="Thuy An prawn cluster", region="thuy-an"
    )
    path = write_csv(tmp_path / "c.csv", [CLUSTER, changed])
    assert tiny_store.import_file("clusters", path) == 2
    assert tiny_store.get("clusters", "cao-nguyen-tea-cluster").established == 2015
    assert tiny_store.get("clusters", "thuy-an-shrimp-cluster").name == "Thuy An prawn cluster"
    assert len(tiny_store.clusters()) == 5
    assert [b.reason for b in backups.list_backups(tiny_store.path)] == ["before-import"]


def test_bad_rows_reject_the_whole_file_and_leave_the_database_unchanged(tiny_store, tmp_path):
    rows = [
        CLUSTER,
        dict(CLUSTER, slug="Bad Slug", region="atlantis"),
        dict(CLUSTER, slug="c3", sectors="aquaculture;steel", established="19x5"),
        dict(CLUSTER, slug="c4", kind="factory", country="ZZ", source="nobody"),
        dict(CLUSTER, slug="cao-nguyen-tea-cluster", established="2999"),
        dict(CLUSTER, slug="c6", name=""),
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = table_dump(tiny_store.path)
    problems = problems_of(tiny_store, "clusters", path)
    found = {(p.line, p.column) for p in problems}
    assert {
        (3, "slug"),
        (3, "region"),
        (4, "sectors"),
        (4, "established"),
        (5, "kind"),
        (5, "country"),
        (5, "source"),
        (6, "slug"),
        (6, "established"),
        (7, "name"),
    } <= found
    messages = " ".join(str(p) for p in problems)
    assert "atlantis" in messages and "steel" in messages and "line 2" in messages
    assert table_dump(tiny_store.path) == before
    assert backups.list_backups(tiny_store.path) == []


def test_missing_and_unknown_columns_are_reported(tiny_store, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("slug,name,colour\nx,X,red\n", encoding="utf-8")
    problems = problems_of(tiny_store, "clusters", path)
    assert {(p.line, p.column) for p in problems} >= {(1, "colour"), (1, "kind"), (1, "region")}


def test_references_may_point_further_down_the_same_file(fresh_db, tiny_country):
    for entity in ("sources", "countries", "regions", "sectors", "clusters"):
        fresh_db.import_file(entity, tiny_country / f"{entity}.csv")
    # dong-hai (line 2) names bac-linh (line 4) as parent
    assert fresh_db.region("dong-hai").parent == "bac-linh"


def test_semicolon_csv_with_bom_and_quoted_newlines(tiny_store, tmp_path):
    row = dict(CLUSTER, description="first line\nsecond; line", sectors="aquaculture;seaweed")
    path = write_csv(tmp_path / "semi.csv", [row], delimiter=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert tiny_store.import_file("clusters", path) == 1
    got = tiny_store.get("clusters", "cao-nguyen-tea-cluster")
    assert got.description == "first line\nsecond; line"
    assert got.sectors == ("aquaculture", "seaweed")


def test_line_numbers_count_physical_lines(tiny_store, tmp_path):
    rows = [dict(CLUSTER, description="one\ntwo\nthree"), dict(CLUSTER, slug="x2", region="mu")]
    path = write_csv(tmp_path / "c.csv", rows)
    problems = problems_of(tiny_store, "clusters", path)
    assert [(p.line, p.column) for p in problems] == [(5, "region")]


def test_file_that_is_not_utf8_is_refused_with_its_line(tiny_store, tmp_path):
    path = write_csv(tmp_path / "c.csv", [CLUSTER, dict(CLUSTER, slug="x", name="Café")])
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    problems = problems_of(tiny_store, "clusters", path)
    assert problems[0].line == 3 and "UTF-8" in problems[0].message


def test_rows_with_the_wrong_number_of_cells(tiny_store, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "slug,name,kind,country,region\nx,X,sez,FD\ny,Y,sez,FD,nam-thuy,extra\n", encoding="utf-8"
    )
    problems = problems_of(tiny_store, "clusters", path)
    assert [p.line for p in problems] == [2, 3]


def test_duplicate_iso_code_and_bad_years(tiny_store, tmp_path):
    countries = write_csv(
        tmp_path / "c.csv",
        [
            {"slug": "sylvania", "iso_code": "FD", "name": "Sylvania"},
            {"slug": "lower-sylvania", "iso_code": "sy", "name": "Lower Sylvania"},
        ],
    )
    found = {(p.line, p.column) for p in problems_of(tiny_store, "countries", countries)}
    assert found == {(2, "iso_code"), (3, "iso_code")}
    policies = write_csv(
        tmp_path / "p.csv",
        [
            {
                "slug": "p",
                "name": "P",
                "country": "FD",
                "level": "national",
                "start_year": "2020",
                "end_year": "2010",
                "is_cluster_policy": "maybe",
            },
        ],
    )
    found = {(p.line, p.column) for p in problems_of(tiny_store, "policies", policies)}
    assert found == {(2, "end_year"), (2, "is_cluster_policy")}


def test_indicator_numbers(tiny_store, tmp_path):
    good = {
        "slug": "fd-gdp-growth-2023",
        "name": "GDP growth",
        "value": "-1.5",
        "unit": "%",
        "year": "2023",
        "country": "FD",
        "source": "freedonia-statistics-2024",
        "series": "gdp-growth",
        "region": "bac-linh",
        "sector": "aquaculture",
    }
    bad = dict(good, slug="fd-x", value="lots", year="")
    path = write_csv(tmp_path / "i.csv", [good, bad])
    found = {(p.line, p.column) for p in problems_of(tiny_store, "indicators", path)}
    assert found == {(3, "value"), (3, "year")}
    tiny_store.import_file("indicators", write_csv(tmp_path / "ok.csv", [good]))
    assert tiny_store.indicators(series="gdp-growth")[0].value == -1.5
    assert [i.slug for i in tiny_store.indicators(region="red-delta")] == ["fd-gdp-growth-2023"]


def test_json_import_with_typed_values_and_line_numbers(tiny_store, tmp_path):
    items = [
        dict(CLUSTER, sectors=["aquaculture", "seaweed"], established=2015),
        dict(CLUSTER, slug="x", region="atlantis", established=None),
    ]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    problems = problems_of(tiny_store, "clusters", path)
    assert [(p.line, p.column) for p in problems] == [
        (15, "region")
    ]  # the line where the object opens
    path.write_text(json.dumps(items[:1]), encoding="utf-8")
    assert tiny_store.import_file("clusters", path) == 1
    assert tiny_store.get("clusters", "cao-nguyen-tea-cluster").sectors == (
        "aquaculture",
        "seaweed",
    )


def test_broken_json_is_reported(tiny_store, tmp_path):
    path = tmp_path / "c.json"
    path.write_text('[\n {"slug": "x",\n  "name": }\n]', encoding="utf-8")
    problems = problems_of(tiny_store, "clusters", path)
    assert problems[0].line == 3 and "JSON" in problems[0].message


def test_missing_file_and_unknown_entity(tiny_store, tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        tiny_store.import_file("clusters", tmp_path / "nope.csv")
    with pytest.raises(StoreError, match="unknown kind"):
        tiny_store.import_file("planets", tmp_path / "nope.csv")


def test_large_import_holds_the_text_once_not_the_records(tiny_store, tmp_path):
    rows = [
        dict(
            CLUSTER,
            slug=f"generated-{i}",
            name=f"Generated cluster {i}",
            description="A long description. " * 50,
        )
        for i in range(3000)
    ]
    path = write_csv(tmp_path / "many.csv", rows)
    del rows
    tracemalloc.start()
    try:
        assert tiny_store.import_file("clusters", path) == 3000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The file's text is held once (read once, so that what is written is what
    # was checked); between rows only slugs and line numbers are kept, never
    # the rows themselves: the bytes and their decoded text at most, briefly.
    assert peak < path.stat().st_size * 2.5
    assert len(tiny_store.clusters(region="cao-nguyen")) == 3001


def test_a_region_must_lie_in_the_records_country(seeded_store, tiny_country, tmp_path):
    for entity in ("sources", "countries", "regions"):
        seeded_store.import_file(entity, tiny_country / f"{entity}.csv")
    misplaced = dict(CLUSTER, country="CN")  # cao-nguyen is in Freedonia
    regions = write_csv(
        tmp_path / "r.csv",
        [
            {
                "slug": "hue-fd",
                "name": "Hue",
                "kind": "city",
                "country": "FD",
                "parent": "zhejiang",
            },
        ],
    )
    clusters = write_csv(tmp_path / "c.csv", [misplaced])
    assert [(p.line, p.column) for p in problems_of(seeded_store, "regions", regions)] == [
        (2, "parent")
    ]
    problem = problems_of(seeded_store, "clusters", clusters)[0]
    assert (problem.line, problem.column) == (2, "region") and "lies in FD" in problem.message
