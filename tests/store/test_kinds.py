"""Open vocabularies: the kinds table, extended by import, checked on every
record, carried through export and import, and seeded into old databases."""

from __future__ import annotations

import csv
import dataclasses
import sqlite3

import pytest
from csv_files import write_csv

from briefing_app import paths
from briefing_app.errors import ImportValidationError, StoreError
from briefing_app.store import migrations, open_store
from briefing_app.store.connection import connect
from briefing_app.store.records import Cluster, Kind, Partnership

CRAFT_VILLAGE = {
    "slug": "clusters-craft-village",
    "entity": "clusters",
    "code": "craft-village",
    "label": "craft village",
    "plural": "craft villages",
    "grouping": "cluster",
    "description": "Families of one village sharing a craft.",
    "sort_order": "15",
}


def village_cluster(slug: str = "phu-lang-pottery-village", kind: str = "craft-village") -> dict:
    return {
        "slug": slug,
        "name": "Phu Lang pottery village",
        "kind": kind,
        "country": "FD",
        "region": "bac-linh",
        "sectors": "lacquerware",
    }


def test_a_new_kind_imported_is_then_taken_by_a_record(tiny_store, tmp_path):
    before = len(tiny_store.records("kinds"))
    assert tiny_store.import_file("kinds", write_csv(tmp_path / "k.csv", [CRAFT_VILLAGE])) == 1
    clusters = write_csv(tmp_path / "c.csv", [village_cluster()])
    assert tiny_store.import_file("clusters", clusters) == 1

    assert tiny_store.get("clusters", "phu-lang-pottery-village").kind == "craft-village"
    assert len(tiny_store.records("kinds")) == before + 1
    words = tiny_store.vocabulary()
    assert words.label("clusters", "craft-village", 2) == "craft villages"
    assert "craft-village" in words.codes("clusters", "cluster")
    assert words.codes("clusters", "cluster")[:2] == ("industrial-cluster", "craft-village")
    # the list filter takes the new kind like any other
    assert [c.slug for c in tiny_store.clusters(kind="craft-village")] == [
        "phu-lang-pottery-village"
    ]


def test_an_unknown_kind_is_refused_naming_the_known_ones_and_how_to_add_one(tiny_store, tmp_path):
    before = tiny_store.records("clusters")
    clusters = write_csv(tmp_path / "c.csv", [village_cluster()])
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.import_file("clusters", clusters)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, "kind")
    assert "unknown cluster kind 'craft-village'" in problem.message
    assert "known: development-zone, high-tech-zone, industrial-cluster" in problem.message
    assert "import a kinds row first (entity clusters, code craft-village" in problem.message
    assert tiny_store.records("clusters") == before

    # the same check guards a record saved from a form
    record = Cluster("x-zone", "X zone", "free-port", "FD", "bac-linh")
    with pytest.raises(ImportValidationError, match="unknown cluster kind 'free-port'"):
        tiny_store.upsert("clusters", record)
    # a policy's kind is its level
    policy = dataclasses.replace(tiny_store.policies()[0], level="federal")
    with pytest.raises(ImportValidationError, match="unknown policy level 'federal'"):
        tiny_store.upsert("policies", policy)


def test_a_kind_of_one_entity_is_not_a_kind_of_another(tiny_store, tmp_path):
    """'other' exists for partnerships and organisations, but not for clusters;
    the slug keeps the entity, so one code serves two entities."""
    words = tiny_store.vocabulary()
    assert words.get("partnerships", "other").slug == "partnerships-other"
    assert words.get("organisations", "other").slug == "organisations-other"
    assert words.get("partnerships", "other").label != words.get("organisations", "other").label
    with pytest.raises(ImportValidationError, match="unknown cluster kind 'other'"):
        tiny_store.import_file(
            "clusters", write_csv(tmp_path / "c.csv", [village_cluster(kind="other")])
        )


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"slug": "craft-village"}, "slug", "must be 'clusters-craft-village'"),
        ({"grouping": "village"}, "grouping", "'village' is not a grouping of clusters; one of"),
        ({"entity": "sectors", "slug": "sectors-craft-village"}, "entity", "takes no kinds"),
        ({"code": "Craft Village"}, "code", "is not a slug"),
        ({"label": ""}, "label", "is required but empty"),
    ],
)
def test_a_bad_kinds_row_is_refused_by_line_and_column(tiny_store, tmp_path, change, column, words):
    path = write_csv(tmp_path / "k.csv", [CRAFT_VILLAGE | change])
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.import_file("kinds", path)
    found = {(p.line, p.column) for p in caught.value.problems}
    assert (2, column) in found
    assert words in str(caught.value)
    assert tiny_store.vocabulary().get("clusters", "craft-village") is None


def test_a_kind_in_use_cannot_be_deleted_an_unused_one_can(tiny_store, tmp_path):
    with pytest.raises(StoreError, match=r"still used by \d+ row\(s\) of clusters"):
        tiny_store.delete("kinds", "clusters-industrial-cluster")
    tiny_store.import_file("kinds", write_csv(tmp_path / "k.csv", [CRAFT_VILLAGE]))
    tiny_store.delete("kinds", "clusters-craft-village")
    assert tiny_store.vocabulary().get("clusters", "craft-village") is None


def test_the_vocabulary_follows_the_table(tiny_store, tmp_path):
    first = tiny_store.vocabulary()
    assert first is tiny_store.vocabulary()  # kept while nothing changes
    tiny_store.import_file("kinds", write_csv(tmp_path / "k.csv", [CRAFT_VILLAGE]))
    assert tiny_store.vocabulary() is not first
    assert tiny_store.vocabulary().label("clusters", "craft-village") == "craft village"
    # a code the table lacks reads as words, never as a code with hyphens
    assert tiny_store.vocabulary().label("clusters", "floating-market") == "floating market"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_kinds_round_trip_through_export_and_import(tiny_store, tmp_path, empty_dir, fmt):
    tiny_store.import_file("kinds", write_csv(tmp_path / "k.csv", [CRAFT_VILLAGE]))
    first = tmp_path / f"kinds-1.{fmt}"
    tiny_store.export_file("kinds", first, fmt)
    with open_store(
        tmp_path / "copy.sqlite",
        seed_dir=empty_dir,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    ) as copy:
        assert copy.vocabulary().get("clusters", "craft-village") is None
        assert copy.import_file("kinds", first) == len(tiny_store.records("kinds"))
        assert copy.records("kinds") == tiny_store.records("kinds")
        second = tmp_path / f"kinds-2.{fmt}"
        copy.export_file("kinds", second, fmt)
    assert first.read_bytes() == second.read_bytes()


def test_the_seed_file_holds_what_the_migration_writes(fresh_db, seeded_store):
    """A database built from the seed and one only migrated know the same kinds."""
    seed = paths.seed_dir() / "kinds.csv"
    with open(seed, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["slug"] for r in rows] == [k.slug for k in seeded_store.records("kinds")]
    assert fresh_db.records("kinds") == seeded_store.records("kinds")
    # every kind a shipped record uses is in the table, with a grouping and a label
    words = seeded_store.vocabulary()
    for entity, field in (("clusters", "kind"), ("regions", "kind"), ("policies", "level")):
        for record in seeded_store.records(entity):
            kind = words.get(entity, getattr(record, field))
            assert kind is not None and kind.label and kind.grouping, (entity, record.slug)
    codes = words.codes("partnerships")
    for code in ("escp-4i", "rdi-project", "flagship-initiative", "trade-agreement"):
        assert code in codes
    assert {"bilateral-programme", "eu-programme-project", "other"} <= set(codes)


def test_an_old_database_gains_the_kinds_its_records_use(tmp_path, empty_dir):
    path = tmp_path / "old.sqlite"
    db = connect(path)
    migrations.migrate(db, stop_before="v12_kinds")
    conn = db.conn
    conn.execute("INSERT INTO countries (slug, iso_code, name) VALUES ('freedonia', 'FD', 'F')")
    conn.execute(
        "INSERT INTO regions (slug, name, kind, country) VALUES ('bac', 'Bac', 'province', 'FD')"
    )
    for slug, kind in (("lab", "research"), ("fund", "Venture Fund"), ("guild", "guild")):
        conn.execute(
            "INSERT INTO organisations (slug, name, kind, country) VALUES (?, ?, ?, 'FD')",
            (slug, slug.title(), kind),
        )
    conn.commit()
    db.close()

    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION
        words = store.vocabulary()
        assert words.get("regions", "province").grouping == "area"
        assert words.get("organisations", "research").grouping == "research"
        # free text became a code with its text as label; a slug stays as it was
        assert store.get("organisations", "fund").kind == "venture-fund"
        assert words.get("organisations", "venture-fund").label == "Venture Fund"
        assert words.get("organisations", "guild").label == "guild"
        assert words.get("organisations", "guild").grouping == "other"
        # and the upgraded records save again under the new checks
        store.upsert("organisations", store.get("organisations", "fund"))
        assert store.check() == []
    written = sqlite3.connect(path)
    try:  # the codes the records hold all name a row
        assert written.execute(
            "SELECT count(*) FROM organisations o LEFT JOIN kinds k "
            "ON k.entity = 'organisations' AND k.code = o.kind WHERE k.slug IS NULL"
        ).fetchone() == (0,)
    finally:
        written.close()


def test_a_partnership_needs_no_acronym(tiny_store, tmp_path):
    """Acronyms are optional: a trade agreement without one is stored and
    exported with an empty acronym, and its label is its name."""
    row = {
        "slug": "eu-freedonia-fta",
        "name": "Free trade agreement between the EU and Freedonia",
        "kind": "trade-agreement",
        "target_countries": "FD",
    }
    tiny_store.import_file("partnerships", write_csv(tmp_path / "p.csv", [row]))
    found = tiny_store.get("partnerships", "eu-freedonia-fta")
    assert isinstance(found, Partnership) and found.acronym == "" and found.label == found.name
    exported = tmp_path / "out.csv"
    tiny_store.export_file("partnerships", exported)
    with open(exported, encoding="utf-8", newline="") as handle:
        (written,) = [r for r in csv.DictReader(handle) if r["slug"] == "eu-freedonia-fta"]
    assert written["acronym"] == "" and written["acronym_official"] == "false"


def test_kind_records_have_a_plural_even_when_none_is_given():
    kind = Kind("clusters-hub", "clusters", "hub", "hub", "centre")
    assert kind.plural_label == "hubs"
