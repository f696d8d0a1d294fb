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
import textwrap
import time
from pathlib import Path

import pytest
from hostile_support import write_rows

from briefing_app.errors import StoreError
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


# -- the stress test: the application and several commands at once ---------------------

WORKERS = 4
ROUNDS = 5
ROWS = 3  # rows per import: all of them or none must land

_WORKER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from pathlib import Path
    from briefing_app.cli import main

    db, me, rounds, rows, folder = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
    done = []
    for r in range(rounds):
        csv = folder / f"{me}-{r}.csv"
        lines = ["slug,title"] + [f"{me}-r{r}-{i},Imported by {me} in round {r}" for i in range(rows)]
        csv.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
        edit = folder / f"{me}-{r}-edit.csv"
        edit.write_text(f"slug,title\\n{me}-r0-0,Edited by {me} in round {r}\\n", encoding="utf-8")
        for argv in (
            ["import", "sources", str(csv), "--db", db],
            ["import", "sources", str(edit), "--db", db],
            ["export", "clusters", "--output", str(folder / f"{me}-{r}.json"), "--db", db],
            ["list", "sources", "--json", "--db", db],
        ):
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                status = main(argv)
            done.append({"argv": argv[:2], "status": status, "stderr": err.getvalue()})
    print(json.dumps(done))
    """
)


def test_the_application_and_several_commands_at_once_lose_nothing(seeded_db_path, tmp_path):
    path = seeded_db_path
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    app = open_store(path)  # held like the application's
    stamps = {app.change_stamp()}
    saved = []
    try:
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, str(path), f"w{n}", str(ROUNDS), str(ROWS)]
                + [str(tmp_path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for n in range(WORKERS)
        ]
        # The application saves, exports (a second store in its process) and
        # reads while the commands run.
        while any(c.poll() is None for c in children) and time.monotonic() - started < 45:
            slug = f"app-{len(saved)}"
            app.upsert("sources", Source(slug, "Saved in the window"))
            saved.append(slug)
            with open_store(path) as exporting:
                exporting.export_file("sources", tmp_path / "from-the-window.csv")
            stamps.add(app.change_stamp())
            assert len(app.sources()) >= len(saved)
        results = []
        for child in children:
            out, err = child.communicate(timeout=max(5, 50 - (time.monotonic() - started)))
            assert child.returncode == 0, err
            results += json.loads(out)
    finally:
        app.close()
    assert time.monotonic() - started < 60, "bounded: the whole run takes under a minute"
    failures = [r for r in results if r["status"] != 0]
    assert not failures, f"a command failed while others worked: {failures[:3]}"
    assert not [r for r in results if "locked" in r["stderr"]]
    assert len(saved) >= 3 and len(stamps) >= 3, "the window noticed the others' writes"
    check = briefing("db", "check", "--db", path)
    assert check.returncode == 0, check.stderr
    assert not list((path.parent / "backups").glob("*.part")), "a backup was left half-done"
    present = source_slugs(path)
    expected = {
        f"w{n}-r{r}-{i}" for n in range(WORKERS) for r in range(ROUNDS) for i in range(ROWS)
    }
    assert expected | set(saved) <= present, "a committed write is missing"
    with open_store(path) as store:
        for n in range(WORKERS):  # each worker's last edit is the one kept
            assert store.source(f"w{n}-r0-0").title == f"Edited by w{n} in round {ROUNDS - 1}"


def test_the_database_file_is_never_an_import_source_or_export_target(seeded_store, tmp_path):
    path = seeded_store.path
    for target in (path, Path(f"{path}-wal"), tmp_path / ".." / tmp_path.name / path.name):
        with pytest.raises(StoreError, match="is the knowledge base itself"):
            seeded_store.import_file("sources", target)
        with pytest.raises(StoreError, match="is the knowledge base itself"):
            seeded_store.export_file("sources", target)
    assert seeded_store.check() == []
