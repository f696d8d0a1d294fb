"""A knowledge base that is damaged, foreign, newer, read-only, locked or full.

``tests/store/test_store_robustness.py`` checks that ``open_store`` refuses
bad files. This file follows the user further: what the ``briefing``
command prints for each of them, that the recovery it suggests works, that
a lock held by another *process* and a disk that fills during a write end
in a plain StoreError, and that nothing already stored is lost on the way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_support import write_rows as write_csv

from briefing_app.cli import main
from briefing_app.errors import StoreError
from briefing_app.store import backups, open_store
from briefing_app.store.records import Source

ROOT = os.geteuid() == 0
CLUSTER = {
    "slug": "generated",
    "name": "Generated cluster",
    "kind": "industrial-cluster",
    "country": "FD",
    "region": "cao-nguyen",
    "sectors": "aquaculture",
    "source": "freedonia-cluster-survey",
}


def closed(store) -> Path:
    """Close a fixture store and return its path (folded into one file)."""
    path = store.path
    store.close()
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _text(path: Path) -> None:
    path.write_text("slug,name\nthis,is a spreadsheet\n", encoding="utf-8")


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (number INTEGER)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('briefing', 'v42_from_the_future', '2031-01-01')"
    )
    conn.commit()
    conn.close()


DAMAGE = {
    "truncated": (_truncate, "damaged"),
    "random-bytes": (_random, "not a SQLite database"),
    "not-sqlite": (_text, "not a SQLite database"),
    "another-programs-database": (_foreign, "not a Briefing Builder knowledge base"),
    "newer-schema": (_newer, "newer version of Briefing Builder"),
}


@pytest.mark.parametrize("case", DAMAGE.keys())
def test_the_command_reports_a_bad_file_in_one_line_and_leaves_it(capsys, tiny_store, case):
    path = closed(tiny_store)
    damage, expected = DAMAGE[case]
    damage(path)
    before = path.read_bytes()
    status, out, err = run(capsys, "list", "clusters", "--db", path)
    assert status == 1 and out == ""
    assert err.startswith(f"briefing: error: {path}") and expected in err
    assert "Traceback" not in err and err.count("\n") == 1
    if case != "another-programs-database":  # that one is not ours to restore over
        assert "restore" in err, "the message must offer the way back"
    assert path.read_bytes() == before


def test_the_suggested_recovery_works_from_the_command_line(capsys, tiny_store):
    path = tiny_store.path
    tiny_store.backup("manual")
    closed(tiny_store)
    _truncate(path)
    status, _out, err = run(capsys, "list", "clusters", "--db", path)
    assert status == 1 and f"briefing db restore --db {path} --latest" in err
    status, out, _err = run(capsys, "db", "restore", "--db", path, "--latest")
    assert status == 0 and "restored" in out and "kept as" in out
    kept = Path(out.split("kept as ")[1].strip())
    assert kept.exists() and kept.stat().st_size > 0, "the damaged file is set aside, not deleted"
    status, out, _err = run(capsys, "list", "clusters", "--db", path, "--json")
    assert status == 0 and out.count('"slug"') == 4


def test_restore_lists_backups_and_restores_the_chosen_older_one(capsys, tiny_store):
    path = tiny_store.path
    first = tiny_store.backup("manual")
    tiny_store.delete("clusters", "cao-nguyen-coffee-cluster")
    second = tiny_store.backup("manual")
    tiny_store.delete("clusters", "nam-thuy-lacquer-cluster")
    closed(tiny_store)
    status, out, _ = run(capsys, "db", "restore", "--db", path)
    assert status == 0 and first.name in out and second.name in out and "--backup NAME" in out
    status, out, _ = run(capsys, "db", "restore", "--db", path, "--backup", first.name)
    assert status == 0 and f"restored {first.name}" in out
    with open_store(path) as store:
        assert len(store.clusters()) == 4


def test_restore_refuses_a_damaged_backup_and_an_unknown_name(capsys, tiny_store):
    path = tiny_store.path
    chosen = tiny_store.backup("manual")
    closed(tiny_store)
    before = path.read_bytes()
    chosen.write_bytes(b"\0" * 4096)
    status, _out, err = run(capsys, "db", "restore", "--db", path, "--backup", chosen.name)
    assert status == 1 and ("damaged" in err or "cannot be read" in err)
    assert "choose another" in err
    status, _out, err = run(capsys, "db", "restore", "--db", path, "--backup", "no-such-backup")
    assert status == 1 and "no backup named 'no-such-backup'" in err
    assert path.read_bytes() == before


# -- read-only ---------------------------------------------------------------------


def test_a_write_refused_as_read_only_is_a_store_error_and_keeps_the_data(tiny_store):
    # Root ignores file modes, so SQLite's own read-only switch stands in for them.
    counts = tiny_store.counts()
    tiny_store.db.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only") as caught:
        tiny_store.upsert("sources", Source("new-source", "A new source"))
    assert str(tiny_store.path) in str(caught.value)
    tiny_store.db.conn.execute("PRAGMA query_only = OFF")
    assert tiny_store.counts() == counts


@pytest.mark.skipif(ROOT, reason="root ignores file permissions")
def test_a_really_read_only_file_is_refused_untouched(tiny_store):
    path = closed(tiny_store)
    path.chmod(0o444)
    try:
        before = path.read_bytes()
        with pytest.raises(StoreError, match="read-only"):
            open_store(path)
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(ROOT, reason="root ignores file permissions")
def test_a_really_read_only_folder_is_refused(tiny_store):
    path = closed(tiny_store)
    path.parent.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            open_store(path)
    finally:
        path.parent.chmod(0o755)


# -- locked by another process -------------------------------------------------------

_HOLDER = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN EXCLUSIVE')\n"
    "conn.execute('DELETE FROM sources WHERE 0')\n"
    "print('holding', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.execute('ROLLBACK')\n"
)


class LockHolder:
    """Another process holding an exclusive lock on the file until released."""

    def __init__(self, path: Path):
        self.child = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.child.stdout.readline().strip() == "holding"

    def release(self) -> None:
        if self.child.poll() is None:
            self.child.communicate("go\n", timeout=10)


def test_opening_a_file_locked_by_another_process(seeded_db_path):
    # A file in rollback-journal mode (as built) cannot even be read while locked.
    with contextlib.closing(sqlite3.connect(seeded_db_path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    before = seeded_db_path.read_bytes()
    holder = LockHolder(seeded_db_path)
    try:
        with pytest.raises(StoreError, match="locked by another program") as caught:
            open_store(seeded_db_path, timeout=0.2)
        assert "try again" in str(caught.value)
    finally:
        holder.release()
    assert seeded_db_path.read_bytes() == before
    with open_store(seeded_db_path) as store:
        assert store.clusters()


def test_saving_while_another_process_holds_the_lock(tiny_store, tmp_path):
    path = tiny_store.path
    closed(tiny_store)
    store = open_store(path, timeout=0.2)
    counts = store.counts()
    section_import = write_csv(tmp_path / "c.csv", [CLUSTER])
    holder = LockHolder(path)
    try:
        assert len(store.clusters()) == 4  # write-ahead log: readers carry on
        with pytest.raises(StoreError, match="locked"):
            store.upsert("sources", Source("late", "Late source"))
        with pytest.raises(StoreError, match="locked"):
            store.import_file("clusters", section_import)
    finally:
        holder.release()
    assert store.counts() == counts
    store.upsert("sources", Source("late", "Late source"))  # fine once the other one is done
    assert store.counts()["sources"] == counts["sources"] + 1
    store.close()


# -- a disk that fills during a write ------------------------------------------------------


def test_a_full_disk_during_an_import_loses_nothing(tiny_store, tmp_path):
    rows = [
        dict(CLUSTER, slug=f"generated-{i}", name=f"Cluster {i}", description="words " * 200)
        for i in range(400)
    ]
    source = write_csv(tmp_path / "many.csv", rows)
    counts = tiny_store.counts()
    (pages,) = tiny_store.db.conn.execute("PRAGMA page_count").fetchone()
    tiny_store.db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreError, match="disk holding .* is full") as caught:
        tiny_store.import_file("clusters", source)
    assert "nothing was changed" in str(caught.value)
    tiny_store.db.conn.execute("PRAGMA max_page_count = 1073741823")
    assert tiny_store.counts() == counts
    assert tiny_store.check() == []
    assert tiny_store.import_file("clusters", source) == 400  # room again: it goes through


def test_a_full_disk_while_taking_the_backup_stops_the_import(tiny_store, tmp_path, monkeypatch):
    source = write_csv(tmp_path / "one.csv", [CLUSTER])
    counts = tiny_store.counts()

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups.os, "replace", no_space)
    with pytest.raises(StoreError, match="could not back up") as caught:
        tiny_store.import_file("clusters", source)
    assert "No space left on device" in str(caught.value) and "nothing was changed" in str(
        caught.value
    )
    assert tiny_store.counts() == counts


def test_a_failed_backup_leaves_no_partial_copy(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setattr(
        backups.os,
        "replace",
        lambda *_a, **_k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left")),
    )
    with pytest.raises(StoreError):
        tiny_store.backup("manual")
    folder = tiny_store.path.parent / "backups"
    assert not folder.exists() or list(folder.iterdir()) == []


# -- automatic backups ------------------------------------------------------------------


def test_every_import_is_backed_up_first_and_old_backups_rotate(tiny_store, tmp_path):
    path = closed(tiny_store)
    with open_store(path, keep_backups=2) as store:
        for i in range(4):
            store.import_file(
                "clusters", write_csv(tmp_path / f"c{i}.csv", [dict(CLUSTER, slug=f"c-{i}")])
            )
    kept = backups.list_backups(path)
    assert [b.reason for b in kept] == ["before-import", "before-import"]
    with open_store(kept[-1].path) as newest_backup:  # taken just before the 4th import
        assert {c.slug for c in newest_backup.clusters()} >= {"c-0", "c-1", "c-2"}
        assert "c-3" not in {c.slug for c in newest_backup.clusters()}


def test_a_refused_import_takes_no_backup(tiny_store, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [dict(CLUSTER, region="atlantis")])
    with pytest.raises(Exception, match="atlantis"):
        tiny_store.import_file("clusters", bad)
    assert backups.list_backups(tiny_store.path) == []
