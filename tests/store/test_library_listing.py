"""Opening the store reads the shipped section files only when their folders
changed (issue 16): the listing (paths, sizes, times) recorded at the last
full comparison stands in for them. It must never hide a change."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import time

import pytest

from briefing_app.store import library, open_store

SECTION = """---
key: overview
title: Overview
---
Shipped overview text.
"""


@pytest.fixture
def shipped(tmp_path):
    sections, blueprints = tmp_path / "sections", tmp_path / "blueprints"
    (sections / "sectors").mkdir(parents=True)
    (sections / "sectors" / "overview.md").write_text(SECTION, encoding="utf-8")
    (sections / "intro.md").write_text("Shipped intro.\n", encoding="utf-8")
    blueprints.mkdir()
    (blueprints / "short.yaml").write_text("slug: short\nname: Short\n", encoding="utf-8")
    _age(sections, blueprints)
    return sections, blueprints


def _age(*folders, seconds: float = 60) -> None:
    """Files last changed a while ago, as an installed library's are."""
    moment = time.time() - seconds
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                os.utime(path, (moment, moment))


def _open(path, shipped, empty_dir):
    return open_store(path, seed_dir=empty_dir, sections_dir=shipped[0], blueprints_dir=shipped[1])


def _recorded(path) -> list:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT listing FROM library_listing").fetchall()


def _no_reading(monkeypatch) -> None:
    def refuse(*_args):
        raise AssertionError("a shipped file was read")

    monkeypatch.setattr(library, "read_section", refuse)
    monkeypatch.setattr(library, "read_blueprint", refuse)


def test_an_unchanged_library_is_not_read_again(tmp_path, shipped, empty_dir, monkeypatch):
    path = tmp_path / "k.sqlite"
    _open(path, shipped, empty_dir).close()
    assert len(_recorded(path)) == 1
    _no_reading(monkeypatch)
    with _open(path, shipped, empty_dir) as store:
        assert store.section("overview").body == "Shipped overview text.\n"


def test_an_edited_file_is_read_and_synced(tmp_path, shipped, empty_dir):
    path = tmp_path / "k.sqlite"
    _open(path, shipped, empty_dir).close()
    # Same size, other words: only the modification time tells.
    target = shipped[0] / "sectors" / "overview.md"
    target.write_text(SECTION.replace("overview text", "OVERVIEW TEXT"), encoding="utf-8")
    _age(shipped[0], seconds=30)
    with _open(path, shipped, empty_dir) as store:
        assert store.section("overview").body == "Shipped OVERVIEW TEXT.\n"
    assert len(_recorded(path)) == 1


def test_added_removed_and_blueprint_files_are_seen(tmp_path, shipped, empty_dir):
    path = tmp_path / "k.sqlite"
    _open(path, shipped, empty_dir).close()
    (shipped[0] / "new.md").write_text("A new shipped section.\n", encoding="utf-8")
    (shipped[1] / "short.yaml").write_text("slug: short\nname: Shorter\n", encoding="utf-8")
    _age(*shipped, seconds=30)
    with _open(path, shipped, empty_dir) as store:
        assert store.section("new").body == "A new shipped section.\n"
        assert store.blueprint("short").name == "Shorter"


def test_a_change_in_the_database_forgets_the_listing(tmp_path, shipped, empty_dir):
    """A section edited or deleted in the database makes the next opening
    compare every file again, as before (a deleted shipped section returns)."""
    path = tmp_path / "k.sqlite"
    with _open(path, shipped, empty_dir) as store:
        intro = store.section("intro")
        store.save_section(dataclasses.replace(intro, body="My intro."), intro.version)
        assert _recorded(path) == []
    with _open(path, shipped, empty_dir) as store:
        assert store.section("intro").body == "My intro."
    assert len(_recorded(path)) == 1
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM section_versions WHERE section = 'overview'")
        conn.execute("DELETE FROM sections WHERE slug = 'overview'")
    assert _recorded(path) == []
    with _open(path, shipped, empty_dir) as store:
        assert store.section("overview").body == "Shipped overview text.\n"


def test_a_file_changed_just_now_is_always_read(tmp_path, shipped, empty_dir, monkeypatch):
    """A file system with coarse times could hide a second same-size edit
    made within the same tick: a fresh file is never trusted to the listing."""
    path = tmp_path / "k.sqlite"
    (shipped[0] / "intro.md").write_text("Fresh intro.\n", encoding="utf-8")
    assert library.listing_digest(*shipped) is None
    _open(path, shipped, empty_dir).close()
    assert _recorded(path) == []
    (shipped[0] / "intro.md").write_text("Fresh INTRO.\n", encoding="utf-8")
    with _open(path, shipped, empty_dir) as store:
        assert store.section("intro").body == "Fresh INTRO.\n"


def test_a_busy_database_opens_without_waiting_to_record(tmp_path, shipped, empty_dir):
    path = tmp_path / "k.sqlite"
    with _open(path, shipped, empty_dir) as store:
        intro = store.section("intro")
        store.save_section(dataclasses.replace(intro, body="Mine."), intro.version)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.perf_counter()
        with _open(path, shipped, empty_dir) as store:
            assert store.section("intro").body == "Mine."
        assert time.perf_counter() - started < 2.0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _recorded(path) == []
