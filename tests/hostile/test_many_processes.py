"""One knowledge base, many windows and processes: nothing lost (issue 12).

The application keeps a store open for as long as it runs; every export
opens a second one in the same process; `briefing` commands open their own
beside it. SQLite copes with all of that, provided nothing in a process that
holds a connection opens the database file by other means: closing such a
descriptor drops every POSIX lock the process holds on the file (SQLite's
"How To Corrupt An SQLite Database File", section 2.2), and another process
then deletes the write-ahead log under the application's feet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hostile_support import write_rows

from briefing_app.store import open_store
from briefing_app.store.records import Source

ROOT = Path(__file__).resolve().parents[2]


def briefing(*argv, timeout: float = 60) -> subprocess.CompletedProcess:
    """The `briefing` command in a process of its own, using this tree."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "briefing_app.cli", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def source_slugs(path: Path) -> set[str]:
    """The source slugs a fresh process sees in the file."""
    done = briefing("list", "sources", "--json", "--db", path)
    assert done.returncode == 0, done.stderr
    return {row["slug"] for row in json.loads(done.stdout)}


def test_a_second_store_in_the_process_keeps_the_first_ones_writes(seeded_db_path, tmp_path):
    path = seeded_db_path
    app = open_store(path)  # the application's store, open all along
    try:
        app.upsert("sources", Source("written-by-the-app-first", "Before the export"))
        # An export opens (and closes) a store of its own in the same process.
        with open_store(path) as exporting:
            exporting.export_file("sources", tmp_path / "sources.csv")
        # Meanwhile a `briefing import` in another process writes and ends.
        rows = [{"slug": "imported-meanwhile", "title": "From the command line"}]
        done = briefing("import", "sources", write_rows(tmp_path / "s.csv", rows), "--db", path)
        assert done.returncode == 0, done.stderr
        app.upsert("sources", Source("written-by-the-app-after", "After the import"))
        # Another process sees both the import and the application's saves ...
        seen = source_slugs(path)
        assert {
            "written-by-the-app-first",
            "imported-meanwhile",
            "written-by-the-app-after",
        } <= seen, "a save of the application did not reach the file"
    finally:
        app.close()
    # ... and after the application quits, the file is sound and holds all three.
    check = briefing("db", "check", "--db", path)
    assert check.returncode == 0, check.stderr
    assert {
        "written-by-the-app-first",
        "imported-meanwhile",
        "written-by-the-app-after",
    } <= source_slugs(path)
