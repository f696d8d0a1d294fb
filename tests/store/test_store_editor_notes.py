"""Editor notes and official acronyms in the store (migration
v8_editor_notes_official_acronyms): optional acronyms, a flag saying whether
one is official, notes for editors that survive export and import."""

from __future__ import annotations

import csv

import pytest
from csv_files import write_csv

from briefing_app.errors import ImportValidationError
from briefing_app.store import migrations, open_store
from briefing_app.store.connection import connect

PARTNERSHIP = {
    "slug": "tea-routes",
    "name": "Tea Routes Partnership",
    "kind": "escp-4i",
    "sectors": "aquaculture",
    "target_countries": "FD",
}


def test_a_partnership_needs_no_acronym_and_is_then_named_in_full(tiny_store, tmp_path):
    path = write_csv(tmp_path / "p.csv", [PARTNERSHIP])  # no acronym columns at all
    assert tiny_store.import_file("partnerships", path) == 1
    record = tiny_store.get("partnerships", "tea-routes")
    assert (record.acronym, record.acronym_official) == ("", False)
    assert record.label == "Tea Routes Partnership"


def test_only_an_official_acronym_names_the_partnership(tiny_store, tmp_path):
    rows = [
        dict(PARTNERSHIP, acronym="TRP", acronym_official="false"),
        dict(
            PARTNERSHIP,
            slug="silk",
            name="Silk Cluster Link",
            acronym="SCL",
            acronym_official="true",
        ),
    ]
    tiny_store.import_file("partnerships", write_csv(tmp_path / "p.csv", rows))
    made_up = tiny_store.get("partnerships", "tea-routes")
    official = tiny_store.get("partnerships", "silk")
    assert (made_up.label, made_up.official_acronym) == ("Tea Routes Partnership", "")
    assert (official.label, official.official_acronym) == ("SCL", "SCL")


def test_an_official_acronym_needs_an_acronym(tiny_store, tmp_path):
    path = write_csv(tmp_path / "p.csv", [dict(PARTNERSHIP, acronym="", acronym_official="true")])
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.import_file("partnerships", path)
    problems = caught.value.problems
    assert [(p.line, p.column) for p in problems] == [(2, "acronym_official")]
    assert "acronym is empty" in problems[0].message
    assert all(p.slug != "tea-routes" for p in tiny_store.records("partnerships"))


def test_editor_notes_round_trip_through_export_and_import(tiny_store, tmp_path):
    note = "Source prints 1,2 million; read as 1.2 million."
    tiny_store.import_file(
        "partnerships", write_csv(tmp_path / "p.csv", [dict(PARTNERSHIP, editor_note=note)])
    )
    out = tmp_path / "out.csv"
    tiny_store.export_file("partnerships", out)
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["editor_note"] == note and rows[0]["acronym_official"] == "false"
    tiny_store.delete("partnerships", "tea-routes")
    tiny_store.import_file("partnerships", out)
    assert tiny_store.get("partnerships", "tea-routes").editor_note == note


def test_migration_keeps_existing_acronyms_but_not_those_made_up(tmp_path, empty_dir):
    path = tmp_path / "old.sqlite"
    db = connect(path)
    migrations.migrate(db, stop_before="v8_editor_notes_official_acronyms")
    db.conn.execute("INSERT INTO sources (slug, title) VALUES ('s', 'A source')")
    for slug, acronym, description in (
        ("dia", "DIA", "An alliance."),
        ("st", "ST", "Flagship area. Acronym added for this knowledge base."),
        ("none", "", None),
    ):
        db.conn.execute(
            "INSERT INTO partnerships (slug, acronym, name, kind, description) "
            "VALUES (?, ?, ?, 'other', ?)",
            (slug, acronym, slug.upper() + " in full", description),
        )
    db.conn.commit()
    db.close()
    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION
        found = {p.slug: p for p in store.records("partnerships")}
    assert found["dia"].acronym_official is True and found["dia"].label == "DIA"
    assert found["st"].acronym_official is False and found["st"].label == "ST in full"
    assert found["none"].acronym_official is False
    assert all(p.editor_note == "" for p in found.values())
