"""Bad files are refused with a clear StoreError and left exactly as they were."""

from __future__ import annotations

import contextlib
import os
import sqlite3

import pytest

from briefing_app.errors import StoreError
from briefing_app.store import backups, connection, open_store
from briefing_app.store.records import Source
from briefing_app.store.seed import _move_into_place, build_database


def refused(path, match: str, **kwargs) -> StoreError:
    before = path.read_bytes()
    with pytest.raises(StoreError, match=match) as caught:
        open_store(path, **kwargs)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before, "a refused file must not be touched"
    return caught.value


def test_truncated_database(seeded_db_path):
    data = seeded_db_path.read_bytes()
    seeded_db_path.write_bytes(data[: len(data) // 3])
    error = refused(seeded_db_path, "damaged")
    assert "restore" in str(error)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.sqlite"
    path.write_bytes(os.urandom(20000))
    refused(path, "not a SQLite database")


def test_random_bytes_after_a_valid_header(seeded_db_path):
    data = bytearray(seeded_db_path.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    seeded_db_path.write_bytes(bytes(data))
    refused(seeded_db_path, "damaged|malformed")


def test_text_file_and_empty_file(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("slug,name\nx,y\n", encoding="utf-8")
    refused(text, "not a SQLite database")
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    refused(empty, "empty file")


def test_another_programs_sqlite_database(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    refused(path, "not a Briefing Builder knowledge base")


def test_a_folder_instead_of_a_file(tmp_path):
    with pytest.raises(StoreError, match="folder"):
        open_store(tmp_path)


def test_read_only_file(seeded_db_path, monkeypatch):
    # Tests may run as root, for whom chmod does not bite: fake what access() reports.
    monkeypatch.setattr(connection.os, "access", lambda p, mode: str(p) != str(seeded_db_path))
    refused(seeded_db_path, "read-only")


def test_read_only_folder_for_a_new_database(tmp_path, monkeypatch):
    target = tmp_path / "locked-folder" / "k.sqlite"
    target.parent.mkdir()
    monkeypatch.setattr(connection.os, "access", lambda p, mode: False)
    monkeypatch.setattr(
        "briefing_app.store.seed.tempfile.mkstemp",
        lambda **kw: (_ for _ in ()).throw(PermissionError(13, "Permission denied")),
    )
    with pytest.raises(StoreError, match="cannot create the knowledge base in"):
        open_store(target)
    assert not target.exists()


def test_locked_database_times_out_with_a_clear_message(seeded_db_path):
    # In rollback-journal mode (a file as built, before its first open) an
    # exclusive lock keeps readers out too; in write-ahead mode they carry on.
    with contextlib.closing(sqlite3.connect(seeded_db_path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    holder = sqlite3.connect(seeded_db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            open_store(seeded_db_path, timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_write_while_another_process_writes(seeded_store):
    holder = sqlite3.connect(seeded_store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    seeded_store.db.conn.execute("PRAGMA busy_timeout = 100")
    try:
        assert seeded_store.clusters(region="zhejiang")  # readers are not blocked
        with pytest.raises(StoreError, match="locked"):
            seeded_store.upsert("sources", Source("x", "X"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    seeded_store.upsert("sources", Source("x", "X"))


def test_missing_database_is_built_whole_or_not_at_all(tmp_path, empty_dir):
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "sources.csv").write_text("slug,title\nok,Fine\nBAD,Broken\n", encoding="utf-8")
    target = tmp_path / "k.sqlite"
    with pytest.raises(StoreError, match="sources.csv") as caught:
        open_store(target, seed_dir=seed, sections_dir=empty_dir, blueprints_dir=empty_dir)
    assert "line 3" in str(caught.value)
    assert list(tmp_path.glob("k*")) == [] and not list(tmp_path.glob(".k-*"))


def test_backups_rotate_keeping_the_configured_number(tiny_store):
    path = tiny_store.path
    tiny_store.close()
    with open_store(path, keep_backups=3) as store:
        made = [store.backup() for _ in range(5)]
    kept = backups.list_backups(path)
    assert [b.path for b in kept] == made[-3:]
    assert all(b.path.exists() for b in kept)


def test_restore_backs_up_the_current_file_first(tiny_store):
    tiny_store.backup("manual")
    tiny_store.delete("clusters", "cao-nguyen-coffee-cluster")
    path = tiny_store.path
    tiny_store.close()
    chosen = backups.find_backup(path, latest=True)
    saved = backups.restore_backup(path, chosen)
    assert saved is not None and "before-restore" in saved.name
    with open_store(path) as store:
        assert len(store.clusters()) == 4
    with open_store(saved) as previous:
        assert len(previous.clusters()) == 3


def test_restore_sets_a_damaged_file_aside(tiny_store):
    tiny_store.backup("manual")
    path = tiny_store.path
    tiny_store.close()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.unlink(f"{path}{suffix}")
    path.write_bytes(b"garbage" * 100)
    saved = backups.restore_backup(path, backups.find_backup(path, latest=True))
    assert saved.read_bytes() == b"garbage" * 100
    with open_store(path) as store:
        assert len(store.clusters()) == 4


def test_a_database_built_meanwhile_by_another_window_is_not_overwritten(tmp_path, empty_dir):
    first = tmp_path / "k.sqlite"
    with open_store(
        first, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as s:
        s.upsert("sources", Source("mine", "Written by the first window"))
    before = first.read_bytes()
    late = tmp_path / "late.sqlite"
    build_database(late, empty_dir)
    _move_into_place(late, first)
    assert first.read_bytes() == before


def test_restore_refuses_while_another_window_has_the_file_open(tiny_store):
    tiny_store.backup("manual")
    with open_store(tiny_store.path) as other_window:
        assert other_window.clusters()
        other_window.db.conn.execute("BEGIN")
        other_window.db.conn.execute("SELECT count(*) FROM clusters").fetchone()
        with pytest.raises(StoreError, match="open in another window"):
            backups.restore_backup(
                tiny_store.path, backups.find_backup(tiny_store.path, latest=True)
            )
        other_window.db.conn.execute("ROLLBACK")


def test_check_names_values_holding_control_characters_written_by_another_program(tiny_store):
    cluster = tiny_store.records("clusters")[0]
    with sqlite3.connect(tiny_store.path) as conn:  # what a hand edit in a SQL tool can do
        conn.execute(
            "UPDATE clusters SET description = ? WHERE slug = ?",
            ("Made\x00in a hurry", cluster.slug),
        )
    problems = tiny_store.check()
    assert len(problems) == 1
    assert f"clusters {cluster.slug!r}, field 'description'" in problems[0]
    assert "U+0000" in problems[0]
