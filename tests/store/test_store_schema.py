"""Schema creation and numbered migrations."""

from __future__ import annotations

import sqlite3

import pytest
from csv_files import nothing_imported

from briefing_app.errors import StoreError
from briefing_app.store import backups, migrations, open_store
from briefing_app.store.connection import connect

EXPECTED_TABLES = {
    "sources",
    "kinds",
    "countries",
    "regions",
    "region_groups",
    "sectors",
    "sector_aliases",
    "clusters",
    "cluster_sectors",
    "partnerships",
    "partnership_sectors",
    "partnership_countries",
    "policies",
    "policy_sectors",
    "policy_sources",
    "organisations",
    "organisation_sectors",
    "indicators",
    "sections",
    "section_versions",
    "blueprints",
    "briefings",
    "search_index",
    "search_rows",
}


def test_fresh_database_has_every_table_and_the_latest_version(fresh_db):
    tables = set(fresh_db.db.table_names())
    assert EXPECTED_TABLES <= tables
    assert fresh_db.schema_version == migrations.SCHEMA_VERSION
    assert fresh_db.counts() == nothing_imported(fresh_db.counts())


def test_connection_enforces_foreign_keys_and_uses_wal(fresh_db):
    conn = fresh_db.db.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO clusters (slug, name, kind, country, region) "
            "VALUES ('x', 'X', 'sez', 'ZZ', 'nowhere')"
        )


def test_version_one_database_is_backed_up_and_migrated_forward(tmp_path, empty_dir):
    path = tmp_path / "old.sqlite"
    db = connect(path)
    migrations.migrate(db, stop_before="v2_sections_blueprints_briefings")
    db.conn.execute("INSERT INTO sources (slug, title) VALUES ('s', 'A source')")
    db.conn.execute("INSERT INTO countries (slug, iso_code, name) VALUES ('freedonia', 'FD', 'F')")
    db.conn.execute(
        "INSERT INTO regions (slug, name, kind, country) "
        "VALUES ('bac-linh', 'Bac Linh', 'province', 'FD')"
    )
    db.conn.execute(
        "INSERT INTO clusters (slug, name, kind, country, region) "
        "VALUES ('old-cluster', 'Old lacquer cluster', 'industrial-cluster', 'FD', "
        "'bac-linh')"
    )
    assert migrations.schema_version(db) == 1
    db.close()

    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION
        assert [c.slug for c in store.clusters()] == ["old-cluster"]
        # the search index added by a later migration covers the old rows
        assert [h.slug for h in store.search("lacquer")] == ["old-cluster"]
    taken = backups.list_backups(path)
    assert [b.reason for b in taken] == ["before-migration"]
    old = sqlite3.connect(taken[0].path)
    assert old.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == 1


def test_migrations_are_applied_once(tmp_path, empty_dir):
    path = tmp_path / "k.sqlite"
    for _ in range(2):
        open_store(
            path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
        ).close()
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == migrations.KNOWN
    assert backups.list_backups(path) == []  # nothing to migrate, nothing backed up


def test_database_from_a_newer_version_is_refused_and_left_alone(tmp_path, empty_dir):
    path = tmp_path / "future.sqlite"
    open_store(path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('briefing', 'v99_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version") as caught:
        open_store(path, seed_dir=empty_dir)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
