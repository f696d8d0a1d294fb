"""`briefing db restore` and backups under hostile conditions (issue 19, items 2, 3, 8, 14).

- a restore while another program has the file open, idle, as the
  application keeps it, must refuse rather than swap the file under it;
- a safety backup that fails (a full disk) must stop the restore with the
  current file untouched;
- two databases sharing a stem (kb.sqlite, kb.db) must not share backups;
- what a killed process leaves (a half-written backup, a half-done
  restore) is cleared on the next run, and only then.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hostile_support import write_rows

from briefing_app.cli import main
from briefing_app.errors import StoreError
from briefing_app.store import backups, lockfile, open_store
from briefing_app.store.records import Source

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT))

_HOLD = textwrap.dedent(
    """
    import sys
    from briefing_app.store import open_store
    from pathlib import Path
    store = open_store(sys.argv[1], sections_dir=Path(sys.argv[2]), blueprints_dir=Path(sys.argv[2]))
    store.sources()
    print("open", flush=True)
    sys.stdin.readline()
    store.close()
    """
)


class OpenElsewhere:
    """Another process with a store of the file open and idle (as a window keeps it)."""

    def __init__(self, path: Path, library: Path):
        self.child = subprocess.Popen(
            [sys.executable, "-c", _HOLD, str(path), str(library)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        assert self.child.stdout.readline().strip() == "open"

    def close(self) -> None:
        if self.child.poll() is None:
            self.child.communicate("done\n", timeout=20)


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def slugs(path: Path, empty_dir: Path) -> set[str]:
    with open_store(path, sections_dir=empty_dir, blueprints_dir=empty_dir) as store:
        return {s.slug for s in store.sources()}


# -- item 2: a restore under an open window ---------------------------------------------


def test_restore_refuses_while_another_process_has_the_file_open_idle(
    capsys, tiny_store, empty_dir
):
    path = tiny_store.path
    tiny_store.backup("manual")
    tiny_store.upsert("sources", Source("after-the-backup", "Saved after the backup"))
    tiny_store.close()
    window = OpenElsewhere(path, empty_dir)
    try:
        status, out, err = run(capsys, "db", "restore", "--db", path, "--latest")
        assert status == 1 and out == ""
        assert "open in another window or program" in err and "Nothing was changed" in err
        assert "Traceback" not in err
    finally:
        window.close()
    assert "after-the-backup" in slugs(path, empty_dir), "the refused restore changed the file"
    status, out, _ = run(capsys, "db", "restore", "--db", path, "--latest")
    assert status == 0 and "restored" in out, "once the window is closed the restore goes ahead"
    assert "after-the-backup" not in slugs(path, empty_dir)


def test_restore_refuses_while_a_store_of_this_process_is_open(tiny_store):
    tiny_store.backup("manual")
    with pytest.raises(StoreError, match="open in another window or program"):
        backups.restore_backup(tiny_store.path, backups.find_backup(tiny_store.path, latest=True))
    assert tiny_store.sources(), "the open store still works"


# -- item 3: the safety backup fails --------------------------------------------------------


@pytest.mark.parametrize("raw", [False, True], ids=["as-take_backup-reports-it", "raw-oserror"])
def test_a_failed_safety_backup_stops_the_restore_with_the_file_untouched(
    tiny_store, empty_dir, monkeypatch, raw
):
    path = tiny_store.path
    tiny_store.backup("manual")
    tiny_store.upsert("sources", Source("current-work", "Not in the backup"))
    tiny_store.close()
    before = path.read_bytes()
    chosen = backups.find_backup(path, latest=True)

    def full_disk(_conn, db_path, *_args, **_kwargs):
        if raw:
            raise OSError(errno.ENOSPC, "No space left on device")
        # What take_backup reports when the copy finds no room.
        raise StoreError(
            f"could not back up {db_path} into backups ([Errno 28] No space left)"
        ) from (OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(backups, "take_backup", full_disk)
    with pytest.raises(StoreError) as caught:
        backups.restore_backup(path, chosen)
    message = str(caught.value)
    assert "stopped before changing anything" in message and "untouched" in message
    assert "No space left" in message and "no file was renamed" in message
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.damaged")), "a healthy file was set aside"
    monkeypatch.undo()
    assert "current-work" in slugs(path, empty_dir)


def test_a_failed_copy_over_a_damaged_file_leaves_it_in_place(tiny_store, monkeypatch):
    path = tiny_store.path
    tiny_store.backup("manual")
    tiny_store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"scrambled" * 500)
    real_connect = sqlite3.connect

    def no_room(target, *args, **kwargs):
        if str(target).endswith(".restoring"):
            raise sqlite3.OperationalError("database or disk is full")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(backups.sqlite3, "connect", no_room)
    with pytest.raises(StoreError, match="left as it was"):
        backups.restore_backup(path, backups.find_backup(path, latest=True))
    assert path.read_bytes() == b"scrambled" * 500
    assert not list(path.parent.glob(".*.restoring"))


# -- item 8: two databases sharing a stem -------------------------------------------------


def _database(path: Path, empty_dir: Path, source: str) -> None:
    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as s:
        s.upsert("sources", Source(source, source))
        s.backup("manual")
        s.upsert("sources", Source(f"{source}-later", "after the backup"))


def test_kb_sqlite_and_kb_db_keep_their_own_backups(capsys, tmp_path, empty_dir):
    kb_sqlite, kb_db = tmp_path / "kb.sqlite", tmp_path / "kb.db"
    _database(kb_db, empty_dir, "only-in-kb-db")
    time.sleep(0.01)
    _database(kb_sqlite, empty_dir, "only-in-kb-sqlite")  # its backup is the newest
    assert [b.name.startswith("kb.db-") for b in backups.list_backups(kb_db)] == [True]
    status, out, _ = run(capsys, "db", "restore", "--db", kb_db)
    assert status == 0 and "kb.sqlite-" not in out
    status, out, _ = run(capsys, "db", "restore", "--latest", "--db", kb_db)
    assert status == 0, out
    assert slugs(kb_db, empty_dir) == {"only-in-kb-db"}
    assert slugs(kb_sqlite, empty_dir) == {"only-in-kb-sqlite", "only-in-kb-sqlite-later"}


def test_old_backups_named_by_the_stem_still_count_when_unambiguous(tmp_path, empty_dir):
    kb = tmp_path / "kb.sqlite"
    _database(kb, empty_dir, "mine")
    (taken,) = backups.list_backups(kb)
    old_style = taken.path.with_name(taken.name.replace("kb.sqlite-", "kb-", 1))
    taken.path.rename(old_style)
    assert [b.path for b in backups.list_backups(kb)] == [old_style]
    other = tmp_path / "kb.db"  # now "kb-..." could be either's: neither takes it
    _database(other, empty_dir, "theirs")
    assert backups.list_backups(kb) == []
    assert old_style not in [b.path for b in backups.list_backups(other)]


# -- item 14: leftovers of a killed process ------------------------------------------------

_KILLED_IN_BACKUP = textwrap.dedent(
    """
    import sys, time
    from briefing_app.store import backups, open_store

    def stuck(*_args):  # the copy is written; the process dies before the rename
        print("copying", flush=True)
        time.sleep(600)

    lib = backups.Path(sys.argv[3])
    store = open_store(sys.argv[1], sections_dir=lib, blueprints_dir=lib)
    backups.os.replace = stuck
    store.import_file("sources", sys.argv[2])
    """
)

_KILLED_IN_RESTORE = textwrap.dedent(
    """
    import sys, time
    from briefing_app.store import backups

    def stuck(*_args):
        print("copying", flush=True)
        time.sleep(600)

    backups.os.replace = stuck
    db = backups.Path(sys.argv[1])
    backups.restore_backup(db, backups.find_backup(db, latest=True))
    """
)


def _kill_midway(script: str, *argv) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, argv)],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert child.stdout.readline().strip() == "copying"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=20)


def _briefing(*argv) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing_app.cli", *map(str, argv)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )


def test_a_backup_killed_midway_is_cleared_on_the_next_run(tiny_store, tmp_path, empty_dir):
    path = tiny_store.path
    tiny_store.close()
    rows = write_rows(tmp_path / "s.csv", [{"slug": "new-source", "title": "New"}])
    window = OpenElsewhere(path, empty_dir)
    try:
        _kill_midway(_KILLED_IN_BACKUP, path, rows, empty_dir)
        left = list((path.parent / "backups").glob("*.part"))
        assert len(left) == 1, "the killed process left its half-done backup"
        # Someone else has the file open: the .part might be theirs, still being written.
        assert _briefing("db", "check", "--db", path).returncode == 0
        assert left[0].exists()
    finally:
        window.close()
    done = _briefing("db", "check", "--db", path)
    assert done.returncode == 0, done.stderr
    assert not left[0].exists(), "the next run alone with the file clears the leftover"
    assert list((path.parent / "backups").iterdir()) == []


def test_a_restore_killed_midway_is_cleared_on_the_next_run(tiny_store, empty_dir):
    path = tiny_store.path
    tiny_store.backup("manual")
    tiny_store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"scrambled" * 500)  # a damaged file is restored by a copy beside it
    _kill_midway(_KILLED_IN_RESTORE, path)
    left = list(path.parent.glob(".*.restoring"))
    assert len(left) == 1
    done = _briefing("db", "restore", "--latest", "--db", path)
    assert done.returncode == 0, done.stderr
    assert not left[0].exists()
    assert not list(path.parent.glob(".*.restoring"))
    assert _briefing("db", "check", "--db", path).returncode == 0


def test_a_store_opened_during_a_restore_waits_then_says_why(tiny_store):
    path = tiny_store.path
    tiny_store.close()
    with lockfile.exclusive(path, "restore"):  # what a restore holds while it works
        with pytest.raises(StoreError, match="being restored from a backup by another program"):
            open_store(path, timeout=0.2)
    with open_store(path) as store:  # and once it is done, the file opens
        assert store.sources()


_KILLED_AFTER_A_SAVE = textwrap.dedent(
    """
    import sys, time
    from briefing_app.store import backups, open_store
    from briefing_app.store.records import Source

    lib = backups.Path(sys.argv[2])
    store = open_store(sys.argv[1], sections_dir=lib, blueprints_dir=lib)
    store.upsert("sources", Source("saved-before-the-crash", "In the write-ahead log only"))
    print("copying", flush=True)
    time.sleep(600)
    """
)


def test_a_file_left_with_its_write_ahead_log_by_a_crash_is_backed_up_not_set_aside(
    tiny_store, empty_dir
):
    path = tiny_store.path
    tiny_store.backup("manual")
    tiny_store.close()
    _kill_midway(_KILLED_AFTER_A_SAVE, path, empty_dir)
    assert Path(f"{path}-wal").exists(), "the crash left the save in the write-ahead log"
    safety = backups.restore_backup(path, backups.find_backup(path, latest=True))
    assert safety is not None and safety.name.endswith("-before-restore.sqlite")
    assert not list(path.parent.glob("*.damaged"))
    assert "saved-before-the-crash" in slugs(safety, empty_dir)
    assert "saved-before-the-crash" not in slugs(path, empty_dir)
