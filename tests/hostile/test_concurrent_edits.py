"""Several processes editing the same section or record: no update is lost.

``tests/store`` shows two Store objects in one process catching a conflict.
Here the editors are separate processes racing on the same file, which is
what two windows (or a window and the command line) really are. Each one
reads, changes and saves with the version it read; whoever saved second
gets a ConflictError, rereads and tries again. At the end every change must
be there.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefing_app.errors import ConflictError
from briefing_app.store import open_store
from briefing_app.store.records import Section, Source

WORKERS = 3
ROUNDS = 15
REPO = Path(__file__).resolve().parents[2]

_EDITOR = textwrap.dedent(
    """
    import dataclasses, json, sys, time
    from pathlib import Path
    from briefing_app.errors import ConflictError
    from briefing_app.store import open_store

    db, empty, what, name, rounds, gate = sys.argv[1:7]
    store = open_store(db, sections_dir=Path(empty), blueprints_dir=Path(empty), timeout=10)
    conflicts = 0
    def wait_for_the_signal():
        Path(gate + "." + name).write_text("ready")
        while not Path(gate).exists():
            time.sleep(0.005)
    if rounds == "once":  # all read the same version, then save together
        if what == "section":
            seen = store.section("shared-notes")
            changed = dataclasses.replace(seen, body=seen.body + name + "\\n")
        else:
            seen = store.get("sources", "shared-source")
            changed = dataclasses.replace(seen, title=seen.title + name)
        wait_for_the_signal()
        try:
            if what == "section":
                store.save_section(changed, seen.version)
            else:
                store.upsert("sources", changed, expected=seen)
            print(json.dumps({"outcome": "saved"}))
        except ConflictError as exc:
            print(json.dumps({"outcome": "conflict", "message": str(exc)}))
        sys.exit(0)
    wait_for_the_signal()  # start the loops together so that they overlap
    for turn in range(int(rounds)):
        while True:
            mark = f"{name}-{turn}"
            try:
                if what == "section":
                    seen = store.section("shared-notes")
                    time.sleep(0.003)  # widen the gap between read and save
                    changed = dataclasses.replace(seen, body=seen.body + mark + "\\n")
                    store.save_section(changed, seen.version)
                else:
                    seen = store.get("sources", "shared-source")
                    time.sleep(0.003)
                    changed = dataclasses.replace(seen, title=seen.title + "|" + mark)
                    store.upsert("sources", changed, expected=seen)
                break
            except ConflictError:
                conflicts += 1
    print(json.dumps({"outcome": "done", "conflicts": conflicts}))
    """
)


@pytest.fixture
def shared_file(tiny_store, empty_dir) -> Path:
    """The Freedonia knowledge base with one section and one source to fight over."""
    tiny_store.save_section(Section("shared-notes", "Shared notes", "Start\n"), None)
    tiny_store.upsert("sources", Source("shared-source", "Start"))
    path = tiny_store.path
    tiny_store.close()
    return path


def editors(
    path: Path, empty_dir: Path, what: str, gate: Path, rounds: str = str(ROUNDS)
) -> list[dict]:
    """Start the editor processes, let them go at once, and collect what each reports."""
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _EDITOR,
                str(path),
                str(empty_dir),
                what,
                f"w{n}",
                rounds,
                str(gate),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for n in range(WORKERS)
    ]
    deadline = time.monotonic() + 60
    while len(list(gate.parent.glob(gate.name + ".w*"))) < WORKERS:
        assert time.monotonic() < deadline and all(c.poll() is None for c in children), (
            "editors did not start"
        )
        time.sleep(0.02)
    gate.write_text("go")
    return results(children)


def results(children: list[subprocess.Popen]) -> list[dict]:
    out = []
    for child in children:
        stdout, stderr = child.communicate(timeout=90)
        assert child.returncode == 0, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


@pytest.mark.parametrize("what", ["section", "record"])
def test_racing_processes_lose_no_update(shared_file, empty_dir, tmp_path, what):
    editors(shared_file, empty_dir, what, tmp_path / "go")
    with open_store(shared_file, sections_dir=empty_dir, blueprints_dir=empty_dir) as store:
        if what == "section":
            lines = store.section("shared-notes").body.splitlines()
            history = store.section_history("shared-notes")
            assert len(history) == 1 + WORKERS * ROUNDS, "every save is a version of its own"
            assert [v.version for v in history] == list(range(1, len(history) + 1))
        else:
            lines = store.get("sources", "shared-source").title.split("|")
    expected = {f"w{n}-{turn}" for n in range(WORKERS) for turn in range(ROUNDS)}
    assert set(lines[1:]) == expected and len(lines) == 1 + len(expected)
    # each worker's own changes are in the order it made them
    for n in range(WORKERS):
        mine = [line for line in lines if line.startswith(f"w{n}-")]
        assert mine == [f"w{n}-{turn}" for turn in range(ROUNDS)]


@pytest.mark.parametrize("what", ["section", "record"])
def test_saves_from_the_same_starting_point_exactly_one_wins(
    shared_file, empty_dir, tmp_path, what
):
    outcomes = editors(shared_file, empty_dir, what, tmp_path / "go", rounds="once")
    assert sorted(o["outcome"] for o in outcomes) == ["conflict"] * (WORKERS - 1) + ["saved"]
    for lost in (o for o in outcomes if o["outcome"] == "conflict"):
        assert (
            "elsewhere" in lost["message"]
            and "reload it and apply your change again" in lost["message"]
        )
    with open_store(shared_file, sections_dir=empty_dir, blueprints_dir=empty_dir) as store:
        if what == "section":
            section = store.section("shared-notes")
            assert section.version == 2 and section.body.count("\n") == 2
        else:
            assert store.get("sources", "shared-source").title.startswith("Startw")


def test_a_record_deleted_meanwhile_is_a_conflict_not_a_resurrection(tiny_store, empty_dir):
    seen = tiny_store.get("clusters", "cao-nguyen-coffee-cluster")
    with open_store(tiny_store.path, sections_dir=empty_dir, blueprints_dir=empty_dir) as other:
        other.delete("clusters", seen.slug)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        tiny_store.upsert("clusters", dataclasses.replace(seen, industry="Coffee"), expected=seen)
    assert seen.slug not in {c.slug for c in tiny_store.clusters()}


def test_an_import_in_another_process_conflicts_with_an_open_editor(
    tiny_store, tiny_country, empty_dir, tmp_path
):
    seen = tiny_store.get("clusters", "thuy-an-shrimp-cluster")
    renamed = (
        (tiny_country / "clusters.csv")
        .read_text(encoding="utf-8")
        .replace("Thuy An shrimp cluster", "Thuy An prawn cluster")
    )
    source = tmp_path / "clusters.csv"
    source.write_text(renamed, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing_app.cli",
            "import",
            "clusters",
            str(source),
            "--db",
            str(tiny_store.path),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with pytest.raises(ConflictError):
        tiny_store.upsert("clusters", dataclasses.replace(seen, industry="Prawns"), expected=seen)
    assert tiny_store.get("clusters", seen.slug).name == "Thuy An prawn cluster"


def test_a_section_saved_meanwhile_can_be_compared(tiny_store, empty_dir):
    tiny_store.save_section(Section("notes", "Notes", "Original\n"), None)
    mine = tiny_store.section("notes")
    with open_store(tiny_store.path, sections_dir=empty_dir, blueprints_dir=empty_dir) as other:
        theirs = other.section("notes")
        other.save_section(dataclasses.replace(theirs, body="Their text\n"), theirs.version)
    with pytest.raises(ConflictError, match="now version 2, you edited version 1"):
        tiny_store.save_section(dataclasses.replace(mine, body="My text\n"), mine.version)
    # what the editor shows to compare: the stored text and every earlier one
    assert tiny_store.section("notes").body == "Their text\n"
    assert [v.body for v in tiny_store.section_history("notes")] == ["Original\n", "Their text\n"]
    latest = tiny_store.section("notes")
    merged = tiny_store.save_section(
        dataclasses.replace(latest, body="Their text\nMy text\n"), latest.version
    )
    assert merged.version == 3
