"""The lock file beside the database: who has it open (see store/lockfile.py)."""

from __future__ import annotations

import pytest

from briefing_app.errors import StoreError
from briefing_app.store import backups, lockfile, open_store


def test_stores_of_one_file_share_one_hold_per_process(tiny_store):
    path = tiny_store.path
    assert lockfile.held_here(path)
    with open_store(path) as second:  # an export's store: counted, not a second lock
        assert second.sources()
    assert lockfile.held_here(path), "closing the second store keeps the first one's hold"
    tiny_store.close()
    assert not lockfile.held_here(path)
    with lockfile.exclusive(path, "restore") as locked:
        assert locked is True
    tiny_store.close()  # closing twice releases nothing more


def test_the_lock_is_a_file_beside_never_the_database(tiny_store):
    assert lockfile.lock_path(tiny_store.path) == tiny_store.path.resolve().with_name(
        tiny_store.path.name + ".lock"
    )
    assert lockfile.lock_path(tiny_store.path).exists()


def test_without_flock_stores_open_and_restore_falls_back_to_sqlite(tiny_store, monkeypatch):
    path = tiny_store.path
    tiny_store.backup("manual")
    tiny_store.close()
    monkeypatch.setattr(lockfile, "fcntl", None)  # as on Windows
    with open_store(path) as reading:
        reading.db.conn.execute("BEGIN")
        reading.db.conn.execute("SELECT count(*) FROM clusters").fetchone()
        with pytest.raises(StoreError, match="open in another window"):
            backups.restore_backup(path, backups.find_backup(path, latest=True))
        reading.db.conn.execute("ROLLBACK")
    assert backups.restore_backup(path, backups.find_backup(path, latest=True)) is not None
    with open_store(path) as store:
        assert len(store.clusters()) == 4
