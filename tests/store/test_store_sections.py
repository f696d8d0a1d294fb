"""Section library with history and conflicts; blueprints; saved briefings."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from briefing_app.errors import ConflictError, NotFoundError, StoreError
from briefing_app.store import open_store
from briefing_app.store.records import Blueprint, Briefing, Section

SECTION_FILE = """---
key: sector-overview
title: Sector overview
sectors: [aquaculture, seaweed]
regions: []
partnerships:
---
## {{ sector.name }}

Text about the sector.
"""

BLUEPRINT_FILE = """slug: short-brief
name: Short brief
description: Four pages for a visit.
slots:
  - section: sector-overview
"""


@pytest.fixture
def library(tmp_path):
    sections = tmp_path / "sections"
    (sections / "sectors").mkdir(parents=True)
    (sections / "sectors" / "overview.md").write_text(SECTION_FILE, encoding="utf-8")
    (sections / "intro.md").write_text("Plain body, no front matter.\n", encoding="utf-8")
    blueprints = tmp_path / "blueprints"
    blueprints.mkdir()
    (blueprints / "short-brief.yaml").write_text(BLUEPRINT_FILE, encoding="utf-8")
    return sections, blueprints


def open_with(path, library, seed):
    return open_store(path, seed_dir=seed, sections_dir=library[0], blueprints_dir=library[1])


def test_shipped_sections_and_blueprints_are_loaded(tmp_path, library, empty_dir):
    with open_with(tmp_path / "k.sqlite", library, empty_dir) as store:
        assert [s.slug for s in store.sections()] == ["intro", "sector-overview"]
        section = store.section("sector-overview")
        assert section.title == "Sector overview"
        assert section.sectors == ("aquaculture", "seaweed") and section.regions == ()
        assert section.body.startswith("## {{ sector.name }}")
        assert section.body == section.shipped_body and section.version == 1
        assert store.section("intro").title == "Intro"
        blueprint = store.blueprint("short-brief")
        assert blueprint.name == "Short brief" and blueprint.outline_yaml == BLUEPRINT_FILE


def test_saving_keeps_every_version_and_detects_conflicts(tmp_path, library, empty_dir):
    path = tmp_path / "k.sqlite"
    with (
        open_with(path, library, empty_dir) as window_a,
        open_with(path, library, empty_dir) as window_b,
    ):
        mine = window_a.section("sector-overview")
        theirs = window_b.section("sector-overview")
        saved = window_a.save_section(dataclasses.replace(mine, body="Mine."), mine.version)
        assert saved.version == 2 and saved.body == "Mine."
        with pytest.raises(ConflictError, match="version 2"):
            window_b.save_section(dataclasses.replace(theirs, body="Theirs."), theirs.version)
        history = window_b.section_history("sector-overview")
        assert [(v.version, v.body[:5]) for v in history] == [(1, "## {{"), (2, "Mine.")]
        restored = window_b.restore_section_default("sector-overview")
        assert restored.version == 3 and restored.body == SECTION_FILE.split("---\n", 2)[2]
        assert len(window_a.section_history("sector-overview")) == 3


def test_new_section_conflicts_with_an_existing_slug(fresh_db):
    fresh_db.save_section(Section("notes", "Notes", "A."), None)
    with pytest.raises(ConflictError):
        fresh_db.save_section(Section("notes", "Notes", "B."), None)
    with pytest.raises(NotFoundError):
        fresh_db.section("missing")


def test_shipped_update_replaces_unedited_sections_only(tmp_path, library, empty_dir):
    path = tmp_path / "k.sqlite"
    with open_with(path, library, empty_dir) as store:
        intro = store.section("intro")
        store.save_section(dataclasses.replace(intro, body="My own intro."), intro.version)
    (library[0] / "intro.md").write_text("New shipped intro.\n", encoding="utf-8")
    (library[0] / "sectors" / "overview.md").write_text(
        SECTION_FILE.replace("Text about", "Better text about"), encoding="utf-8"
    )
    with open_with(path, library, empty_dir) as store:
        assert store.section("intro").body == "My own intro."
        assert store.section("intro").shipped_body == "New shipped intro.\n"
        assert "Better text" in store.section("sector-overview").body
        assert store.section("sector-overview").version == 2


def test_user_blueprint_edits_survive_reopening(tmp_path, library, empty_dir):
    path = tmp_path / "k.sqlite"
    with open_with(path, library, empty_dir) as store:
        edited = dataclasses.replace(store.blueprint("short-brief"), outline_yaml="slug: x\n")
        store.save_blueprint(edited)
    with open_with(path, library, empty_dir) as store:
        assert store.blueprint("short-brief").outline_yaml == "slug: x\n"


def test_bad_section_file_is_reported_by_name(tmp_path, library, empty_dir):
    bad = library[0] / "broken.md"
    bad.write_text("---\ntitle: [unclosed\n---\nbody", encoding="utf-8")
    with pytest.raises(StoreError, match="broken.md"):
        open_with(tmp_path / "k.sqlite", library, empty_dir)


def test_briefings_are_saved_listed_and_deleted(fresh_db):
    saved = fresh_db.save_briefing(Briefing("visit", "Visit to Dong Hai", '{"country": "FD"}'))
    assert saved.updated
    assert [b.slug for b in fresh_db.briefings()] == ["visit"]
    assert fresh_db.briefing("visit").selection_json == '{"country": "FD"}'
    fresh_db.delete_briefing("visit")
    with pytest.raises(NotFoundError):
        fresh_db.briefing("visit")


def test_a_briefing_saved_elsewhere_is_not_overwritten(fresh_db):
    first = fresh_db.save_briefing(Briefing("visit", "Visit", '{"country": "FD"}'))
    # Another window saves its own version of the same briefing...
    fresh_db.save_briefing(Briefing("visit", "Visit", '{"region": "dong-hai"}'), expected=first)
    # ...so this window, still holding the first version, is stopped.
    with pytest.raises(ConflictError, match="changed in another window"):
        fresh_db.save_briefing(Briefing("visit", "Visit", '{"sectors": []}'), expected=first)
    assert fresh_db.briefing("visit").selection_json == '{"region": "dong-hai"}'


def test_blueprint_lookup(fresh_db):
    fresh_db.save_blueprint(Blueprint("b", "B", "", "slug: b\n"))
    assert fresh_db.blueprints()[0].slug == "b"
    with pytest.raises(NotFoundError):
        fresh_db.blueprint("nope")


def test_opening_does_not_need_the_write_lock_when_nothing_changed(tmp_path, library, empty_dir):
    path = tmp_path / "k.sqlite"
    open_with(path, library, empty_dir).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another window in the middle of a long import
    try:
        with open_store(
            path,
            timeout=0.1,
            seed_dir=empty_dir,
            sections_dir=library[0],
            blueprints_dir=library[1],
        ) as store:
            assert store.section("intro").version == 1
    finally:
        writer.execute("ROLLBACK")
        writer.close()
