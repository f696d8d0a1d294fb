"""`briefing db update-shipped` on real files: a knowledge base built from an
older shipped seed (tests/shipped_seed.py), changed by its user, then updated
from the current db/seed."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from shipped_seed import (
    DROPPED_REGION,
    forget_shipped,
    make_old_seed,
    shipped_rows,
    table_dump,
)

from briefing_app import paths
from briefing_app.errors import NotFoundError, StoreError
from briefing_app.store import open_store, shipped_marks
from briefing_app.store.backups import list_backups
from briefing_app.store.entities import ENTITIES
from briefing_app.store.shipped_update import read_seed

USER_CLUSTER = "my-own-visit-cluster"


@pytest.fixture
def old_seed(tmp_path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "old-seed"
    return folder, make_old_seed(folder)


def _library(tmp_path) -> dict:
    empty = tmp_path / "no-library"
    empty.mkdir(exist_ok=True)
    return {"sections_dir": empty, "blueprints_dir": empty}


def _open(path, tmp_path, seed_dir=None):
    return open_store(path, seed_dir=seed_dir, **_library(tmp_path))


@pytest.fixture
def user_db(tmp_path, old_seed) -> dict:
    """A knowledge base built from the old seed, then changed by its user:
    one cluster edited, one cluster added, one shipped organisation deleted."""
    folder, changed = old_seed
    path = tmp_path / "kb.sqlite"
    with _open(path, tmp_path, folder) as store:
        clusters = store.records("clusters")
        edited = next(c for c in clusters if c.slug != changed["original"] and c.description)
        store.upsert(
            "clusters",
            dataclasses.replace(edited, description="What our delegation saw in 2025."),
        )
        store.upsert(
            "clusters",
            dataclasses.replace(
                edited, slug=USER_CLUSTER, name="Our own visit cluster", description=""
            ),
        )
        deleted = store.records("organisations")[0].slug
        store.delete("organisations", deleted)
    return {"path": path, "edited": edited.slug, "deleted": deleted, **changed}


def _positions_shipped() -> dict[str, tuple[float, float]]:
    return {
        r["slug"]: (float(r["latitude"]), float(r["longitude"]))
        for r in shipped_rows("regions")
        if r["latitude"]
    }


def test_a_database_built_from_the_seed_records_what_was_shipped(tmp_path):
    path = tmp_path / "kb.sqlite"
    with _open(path, tmp_path) as store:
        counts = store.counts()
        assert not store.shipped_news()
    conn = sqlite3.connect(path)
    try:
        recorded = dict(
            conn.execute("SELECT entity, count(*) FROM shipped_records GROUP BY entity")
        )
        (seed,) = conn.execute("SELECT value FROM shipped_seed WHERE name = 'seed'").fetchone()
    finally:
        conn.close()
    assert recorded == {e: n for e, n in counts.items() if n}
    assert seed == shipped_marks.seed_fingerprint(paths.seed_dir())


def test_update_brings_new_facts_and_keeps_the_users_work(user_db, tmp_path):
    path = user_db["path"]
    with _open(path, tmp_path) as store:
        assert store.shipped_news()
        assert store.region("anhui").latitude is None
        report = store.update_shipped()
        assert not store.shipped_news()

        # positions arrive, as shipped
        positions = {
            r.slug: (r.latitude, r.longitude) for r in store.regions() if r.latitude is not None
        }
        assert positions == _positions_shipped()
        # untouched records take the new shipped version
        shipped_regions = {r["slug"]: r for r in shipped_rows("regions")}
        renamed = user_db["renamed_region"]
        assert store.region(renamed).local_name == shipped_regions[renamed]["local_name"]
        assert store.sector("logistics").parent == "transport-and-logistics"
        assert "logistics" in store.get("partnerships", "foodnet").sectors
        # the merged duplicate is gone, the region dropped since too
        with pytest.raises(NotFoundError):
            store.get("clusters", user_db["duplicate"])
        with pytest.raises(NotFoundError):
            store.region(DROPPED_REGION)
        # the user's edit, addition and deletion stand
        assert store.get("clusters", user_db["edited"]).description.startswith("What our")
        assert store.get("clusters", USER_CLUSTER).name == "Our own visit cluster"
        with pytest.raises(NotFoundError):
            store.get("organisations", user_db["deleted"])
        assert store.check() == []

    tallies = report.tallies
    moved = sum(1 for slug, row in shipped_regions.items() if row["latitude"] or slug == renamed)
    assert tallies["regions"].updated == moved
    assert tallies["regions"].removed == 1
    assert tallies["sectors"].added == 1
    assert tallies["clusters"].removed == 1
    assert tallies["organisations"].left_deleted == 1
    assert [(k.entity, k.slug, k.fields) for k in report.kept] == [
        ("clusters", user_db["edited"], ("description",))
    ]
    text = "\n".join(report.lines())
    assert f"clusters {user_db['edited']} (edited by you): description" in text
    assert f"regions: {moved} updated, 1 removed" in text
    assert report.backup is not None and report.backup.exists()
    assert [b.reason for b in list_backups(path)][-1] == "before-update-shipped"


def test_a_second_update_changes_nothing_and_still_keeps_the_edit(user_db, tmp_path):
    with _open(user_db["path"], tmp_path) as store:
        store.update_shipped()
        before = table_dump(user_db["path"])
        again = store.update_shipped(dry_run=True)
    assert again.changes == 0
    assert [k.slug for k in again.kept] == [user_db["edited"]]
    assert table_dump(user_db["path"]) == before


def test_dry_run_reports_the_update_and_changes_nothing(user_db, tmp_path):
    path = user_db["path"]
    with _open(path, tmp_path) as store:
        backups_before = list_backups(path)
        before = table_dump(path)
        dry = store.update_shipped(dry_run=True)
        assert table_dump(path) == before
        assert list_backups(path) == backups_before
        assert store.shipped_news()
        real = store.update_shipped()
    assert dry.lines()[0].startswith("Dry run: nothing was changed")
    assert dry.tallies == real.tallies
    assert dry.kept == real.kept
    assert dry.lines()[1:] == real.lines()[1:-1]  # all but the header and the backup line


def test_a_failure_half_way_leaves_the_file_as_it_was(user_db, tmp_path):
    path = user_db["path"]
    conn = sqlite3.connect(path)
    try:  # a real SQLite failure once the regions are written: the clusters refuse it
        conn.execute(
            "CREATE TRIGGER refuse BEFORE DELETE ON clusters "
            "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
        )
        conn.commit()
    finally:
        conn.close()
    with _open(path, tmp_path) as store:
        before = table_dump(path)
        with pytest.raises(StoreError, match="refused for the test"):
            store.update_shipped()
        assert table_dump(path) == before
        assert store.region("anhui").latitude is None
        assert store.shipped_news()


def test_a_record_no_longer_shipped_but_still_used_is_kept(user_db, tmp_path):
    path = user_db["path"]
    with _open(path, tmp_path) as store:
        mine = store.get("clusters", USER_CLUSTER)
        store.upsert("clusters", dataclasses.replace(mine, region=DROPPED_REGION))
        report = store.update_shipped()
        assert store.region(DROPPED_REGION).name == "Old development zone"
        kept = [k for k in report.kept if k.slug == DROPPED_REGION]
        assert kept and "still used by 1 row(s) of clusters" in kept[0].why
        # once the user's cluster moves away, the next update removes it
        store.upsert("clusters", mine)
        later = store.update_shipped()
        assert later.tallies["regions"].removed == 1
        with pytest.raises(NotFoundError):
            store.region(DROPPED_REGION)


def test_a_shipped_record_pointing_at_one_the_user_deleted_is_not_forced_in(tmp_path, old_seed):
    """The old seed ships the positions' source, unused; the user deletes it.
    The new regions point at it: they are left as they were and listed, and
    take their positions once the user asks for the source back."""
    folder, _changed = old_seed
    path = tmp_path / "kb.sqlite"
    position_source = shipped_rows("regions")[0]["position_source"]
    with _open(path, tmp_path, folder) as store:
        store.delete("sources", position_source)
    with _open(path, tmp_path) as store:
        report = store.update_shipped()
        assert all(r.latitude is None for r in store.regions())
        assert report.tallies["sources"].left_deleted == 1
        refused = [k for k in report.kept if k.entity == "regions"]
        assert len(refused) == len(_positions_shipped())
        assert f"unknown source {position_source!r}" in refused[0].why
        assert store.check() == []
        # still as shipped before, so a later update takes the new version
        later = store.update_shipped(take=frozenset({("sources", position_source)}))
        assert later.tallies["regions"].updated == len(_positions_shipped())
        assert store.region("anhui").latitude is not None


def test_take_shipped_replaces_a_kept_record_and_brings_back_a_deleted_one(user_db, tmp_path):
    with _open(user_db["path"], tmp_path) as store:
        store.update_shipped()
        take = frozenset({("clusters", user_db["edited"]), ("organisations", user_db["deleted"])})
        report = store.update_shipped(take=take)
        shipped = {r["slug"]: r for r in shipped_rows("clusters")}
        assert (
            store.get("clusters", user_db["edited"]).description
            == (shipped[user_db["edited"]]["description"])
        )
        assert store.get("organisations", user_db["deleted"]).slug == user_db["deleted"]
        assert report.tallies["clusters"].updated == 1
        assert report.tallies["organisations"].added == 1
        assert store.update_shipped(dry_run=True).kept == []
        with pytest.raises(StoreError, match="not in the shipped knowledge base: clusters/nope"):
            store.update_shipped(take=frozenset({("clusters", "nope")}))


def _current_seed_without_history(tmp_path):
    """A copy of the shipped seed with no shipped-history.json beside it."""
    folder = tmp_path / "no-history" / "seed"
    shutil.copytree(paths.seed_dir(), folder)
    return folder


def test_a_database_made_before_fingerprints_only_gains(user_db, tmp_path):
    path = user_db["path"]
    current = _current_seed_without_history(tmp_path)
    with _open(path, tmp_path, current) as store:
        edited_region = store.region("fujian")
        store.upsert("regions", dataclasses.replace(edited_region, local_name="闽"))
    forget_shipped(path)
    with _open(path, tmp_path, current) as store:
        assert store.shipped_news()  # it holds the shipped country
        report = store.update_shipped()
        assert report.first
        # empty fields filled: every shipped position arrives
        positions = {
            r.slug: (r.latitude, r.longitude) for r in store.regions() if r.latitude is not None
        }
        assert positions == _positions_shipped()
        # missing records added, values never overwritten
        assert store.sector("logistics").name == "Logistics"
        assert "logistics" not in store.get("partnerships", "foodnet").sectors
        assert store.region("fujian").local_name == "闽"
        assert store.get("clusters", user_db["edited"]).description.startswith("What our")
        # nothing is removed: nobody can tell what was shipped
        assert store.get("clusters", user_db["duplicate"]).slug == user_db["duplicate"]
        assert store.region(DROPPED_REGION).slug == DROPPED_REGION
        # a deleted record cannot be told from a missing one: it comes back
        assert store.get("organisations", user_db["deleted"]).slug == user_db["deleted"]
        assert not store.shipped_news()
    kept = {(k.entity, k.slug): k.fields for k in report.kept}
    assert kept[("partnerships", "foodnet")] == ("sectors",)
    assert kept[("regions", "fujian")] == ("local_name",)
    assert ("clusters", user_db["edited"]) in kept
    assert report.tallies["regions"].filled == len(_positions_shipped())
    assert report.tallies["organisations"].added == 1
    assert "made before shipped records were tracked" in "\n".join(report.lines())


def test_a_database_built_by_import_only_gets_no_advice(tmp_path, tiny_country):
    empty = tmp_path / "empty"
    empty.mkdir()
    path = tmp_path / "imported.sqlite"
    with _open(path, tmp_path, empty) as store:
        for entity in ENTITIES:
            source = tiny_country / f"{entity}.csv"
            if source.exists():
                store.import_file(entity, source)
    with _open(path, tmp_path) as store:  # against the real shipped seed
        assert not store.shipped_news()
    forget_shipped(path)  # made before fingerprints, never held the shipped country
    with _open(path, tmp_path) as store:
        assert not store.shipped_news()


def test_a_database_built_from_another_seed_gets_no_advice(tmp_path, tiny_country):
    path = tmp_path / "freedonia.sqlite"
    with _open(path, tmp_path, tiny_country) as store:
        assert not store.shipped_news()
    with _open(path, tmp_path) as store:  # the shipped seed never gave it a country
        assert not store.shipped_news()


def test_the_seed_fingerprint_follows_the_files(tmp_path, old_seed):
    folder, _changed = old_seed
    first = shipped_marks.seed_fingerprint(folder)
    assert first == shipped_marks.seed_fingerprint(folder)
    assert first != shipped_marks.seed_fingerprint(paths.seed_dir())
    countries = folder / "countries.csv"
    countries.write_text(countries.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert shipped_marks.seed_fingerprint(folder) != first


def test_an_older_file_gains_the_tables_empty(tmp_path, old_seed):
    """A file from before the migration reads as made before fingerprints."""
    from briefing_app.store import migrations
    from briefing_app.store.connection import connect

    folder, _changed = old_seed
    path = tmp_path / "kb.sqlite"
    with _open(path, tmp_path, folder):
        pass
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DROP TABLE shipped_records")
            conn.execute("DROP TABLE shipped_seed")
            conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'v14_shipped_fingerprints'")
    finally:
        conn.close()
    db = connect(path)
    try:
        assert "v14_shipped_fingerprints" in migrations.pending(db)
    finally:
        db.close()
    with _open(path, tmp_path) as store:
        assert store.shipped_news()
        assert store.update_shipped(dry_run=True).first


def test_an_update_waits_for_another_writer_then_gives_up_with_nothing_written(user_db, tmp_path):
    path = user_db["path"]
    with open_store(path, timeout=0.3, **_library(tmp_path)) as store:
        before = table_dump(path)
        other = sqlite3.connect(path, timeout=0.3, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another process's save, in progress
            with pytest.raises(StoreError, match="is locked by another program or window"):
                store.update_shipped()
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert table_dump(path) == before
        assert store.update_shipped().changes > 0  # once the other writer is done


def test_records_as_an_earlier_version_shipped_them_are_updated_without_fingerprints(
    user_db, old_seed, tmp_path
):
    """With the history of shipped versions beside the seed, a database made
    before fingerprints takes the new version of every record still as an
    earlier version shipped it, and drops the ones no longer shipped; the
    user's edits are kept as before."""
    old_folder, changed = old_seed
    current = _current_seed_without_history(tmp_path)
    earlier = shipped_marks.fingerprints(read_seed(old_folder))
    history = {}
    for (entity, slug), value in earlier.items():
        history.setdefault(f"{entity}/{slug}", []).append(value)
    (current.parent / shipped_marks.HISTORY_FILE).write_text(
        json.dumps({"format": 1, "records": history}), encoding="utf-8"
    )
    path = user_db["path"]
    forget_shipped(path)
    with _open(path, tmp_path, current) as store:
        report = store.update_shipped()
        assert report.first
        positions = {
            r.slug: (r.latitude, r.longitude) for r in store.regions() if r.latitude is not None
        }
        assert positions == _positions_shipped()
        assert "logistics" in store.get("partnerships", "foodnet").sectors  # the old tag goes
        renamed = changed["renamed_region"]
        assert store.region(renamed).local_name == next(
            r["local_name"] for r in shipped_rows("regions") if r["slug"] == renamed
        )
        assert store.get("clusters", user_db["edited"]).description.startswith("What our")
        with pytest.raises(NotFoundError):  # shipped twice once, merged since: removed
            store.get("clusters", user_db["duplicate"])
        with pytest.raises(NotFoundError):
            store.region(DROPPED_REGION)
        assert store.get("clusters", USER_CLUSTER).slug == USER_CLUSTER
    kept = {(k.entity, k.slug) for k in report.kept}
    assert kept == {("clusters", user_db["edited"])}


def test_a_damaged_history_file_stops_the_update_with_nothing_changed(user_db, tmp_path):
    current = _current_seed_without_history(tmp_path)
    (current.parent / shipped_marks.HISTORY_FILE).write_text("{not json", encoding="utf-8")
    path = user_db["path"]
    before = path.read_bytes()
    with _open(path, tmp_path, current) as store:
        with pytest.raises(StoreError, match="shipped-history.json cannot be read"):
            store.update_shipped()
    assert path.read_bytes() == before


def test_the_shipped_history_holds_the_current_seed():
    """db/shipped-history.json is written from the git history of db/seed
    (db/build_shipped_history.py); it must include the version shipped now,
    or a later release could not recognise today's records as unedited."""
    history = shipped_marks.earlier_versions(paths.seed_dir())
    current = shipped_marks.fingerprints(read_seed(paths.seed_dir()))
    behind = sorted(f"{e}/{s}" for (e, s), v in current.items() if v not in history.get((e, s), ()))
    assert not behind, f"run python3 db/build_shipped_history.py; behind: {behind[:5]}"
