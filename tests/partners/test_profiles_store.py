"""Profiles of visitors as a knowledge-base entity: import, export, checks, migration."""

from __future__ import annotations

import json

import pytest
from csv_files import write_csv

from briefing_app.errors import ImportValidationError
from briefing_app.store import migrations, open_store
from briefing_app.store.connection import connect
from briefing_app.store.records import Profile

ROW = {
    "slug": "nord-battery",
    "name": "Nord battery cluster",
    "kind": "cluster-organisation",
    "country": "SE",
    "sectors": "new-energy-vehicles;energy",
    "keywords": "battery management systems;cells;电池",
    "seeks": "r-and-d;trade",
    "value_chain": "components;recycling",
    "size": "85",
    "rd_intensity": "4.2",
    "description": "Battery makers and their suppliers.",
}


def test_profiles_import_and_export_in_csv_and_json(seeded_store, tmp_path):
    count = seeded_store.import_file("profiles", write_csv(tmp_path / "p.csv", [ROW]))
    assert count == 1
    profile = seeded_store.get("profiles", "nord-battery")
    assert isinstance(profile, Profile)
    assert profile.keywords == ("battery management systems", "cells", "电池")
    assert profile.seeks == ("r-and-d", "trade")
    assert (profile.size, profile.rd_intensity) == (85, 4.2)
    out = tmp_path / "out.json"
    assert seeded_store.export_file("profiles", out, "json") == 1
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported[0]["value_chain"] == ["components", "recycling"]
    # The JSON export imports again into a fresh copy unchanged.
    seeded_store.delete("profiles", "nord-battery")
    seeded_store.import_file("profiles", out)
    assert seeded_store.get("profiles", "nord-battery") == profile


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("seeks", "r-and-d;money", "'money' is not one of"),
        ("kind", "club", "'club' is not one of"),
        ("country", "Sweden", "not a two-letter upper-case ISO code"),
        ("sectors", "batteries", "unknown sector 'batteries'"),
        ("keywords", "cells;cells", "more than once"),
        ("rd_intensity", "high", "high"),
    ],
)
def test_a_bad_profile_row_is_refused_with_its_column(seeded_store, tmp_path, column, value, words):
    path = write_csv(tmp_path / "bad.csv", [{**ROW, column: value}])
    with pytest.raises(ImportValidationError) as caught:
        seeded_store.import_file("profiles", path)
    problem = caught.value.problems[0]
    assert problem.column == column and words in problem.message
    assert seeded_store.records("profiles") == []


def test_a_database_from_before_profiles_gains_the_table(tmp_path, empty_dir):
    path = tmp_path / "old.sqlite"
    db = connect(path)
    mine = next(name for name in migrations.KNOWN if name.endswith("_profiles"))
    migrations.migrate(db, stop_before=mine)
    assert "profiles" not in db.table_names()
    db.close()
    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        assert store.records("profiles") == []
        assert store.counts()["profiles"] == 0
