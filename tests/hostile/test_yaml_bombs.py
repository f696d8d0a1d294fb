"""YAML alias bombs and oversized values in front matter and blueprints (issue 19, item 5).

Nine anchors of nine aliases each expand a few hundred bytes into a billion
strings. Every YAML the application reads from users (a section's front
matter through ``render-section``, the editor or the section library; a
blueprint) refuses anchors and aliases before anything is expanded, and
bounds each value. Measured in a child process: seconds and megabytes.
"""

from __future__ import annotations

import shutil

import pytest
from measured import assert_within_limits, run_measured

from briefing_app import paths
from briefing_app.assembly import Selection, render_template
from briefing_app.assembly.blueprint import parse_blueprint
from briefing_app.errors import StoreError, TemplateError
from briefing_app.store import open_store


def alias_bomb(key: str = "title", levels: int = 8, width: int = 9) -> str:
    """``levels`` anchors of ``width`` aliases each, the last as ``key``."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]")
    lines.append(f"{key}: [" + ", ".join([f"*l{levels - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def section_text(front: str) -> str:
    return f"---\nkey: bomb\n{front}---\nSome text.\n"


def test_render_section_refuses_a_front_matter_alias_bomb(seeded_db_path, tmp_path):
    section = tmp_path / "bomb.md"
    section.write_text(section_text(alias_bomb()), encoding="utf-8")
    outcome = run_measured(
        """
        from briefing_app.cli import main
        outcome["status"] = main(["render-section", sys.argv[1], "--db", sys.argv[2]])
        """,
        str(section),
        str(seeded_db_path),
    )
    assert_within_limits(outcome)
    assert outcome["status"] == 2 and outcome["error"] is None, outcome


def test_editor_names_the_anchor_line(shared_store):
    with pytest.raises(TemplateError) as caught:
        render_template(shared_store, Selection(), section_text(alias_bomb()), "editor")
    assert "anchors (&name) are not allowed" in caught.value.message
    assert caught.value.line == 3  # the first anchor, in the file's numbering


def test_a_plain_alias_is_refused_too(shared_store):
    text = section_text("sectors: &s [automotive]\nregions: *s\n")
    with pytest.raises(TemplateError, match="not allowed"):
        render_template(shared_store, Selection(), text, "editor")


def test_each_front_matter_value_is_bounded(shared_store):
    text = section_text(f"title: {'x' * 30_000}\n")
    with pytest.raises(TemplateError, match="30,000 characters"):
        render_template(shared_store, Selection(), text, "editor")


def test_library_file_with_a_bomb_is_refused_and_the_base_does_not_grow(seeded_db_path, tmp_path):
    library = tmp_path / "library"
    shutil.copytree(paths.sections_dir(), library)
    (library / "core" / "bomb.md").write_text(section_text(alias_bomb()), encoding="utf-8")
    size = seeded_db_path.stat().st_size
    outcome = run_measured(
        """
        from pathlib import Path
        from briefing_app.store import open_store
        with open_store(sys.argv[1], sections_dir=Path(sys.argv[2])) as store:
            store.sections()
        """,
        str(seeded_db_path),
        str(library),
    )
    assert_within_limits(outcome)
    assert outcome["error"].startswith("StoreError") and "bomb.md" in outcome["error"]
    assert "not allowed" in outcome["error"]
    assert seeded_db_path.stat().st_size <= size + 64 * 1024


def test_shipped_blueprint_file_with_a_bomb_is_refused(seeded_db_path, tmp_path):
    folder = tmp_path / "blueprints"
    shutil.copytree(paths.blueprints_dir(), folder)
    (folder / "bomb.yaml").write_text("slug: bomb\n" + alias_bomb("name"), encoding="utf-8")
    with pytest.raises(StoreError, match="bomb.yaml"):
        with open_store(seeded_db_path, blueprints_dir=folder):
            pass


def test_saved_blueprint_with_a_bomb_stops_the_build_quickly(seeded_db_path):
    outcome = run_measured(
        """
        from briefing_app.assembly import Selection, build_document
        from briefing_app.store import open_store
        from briefing_app.store.records import Blueprint
        bomb = sys.argv[2]
        with open_store(sys.argv[1]) as store:
            store.save_blueprint(Blueprint("bomb", "Bomb", "", bomb))
            build_document(store, Selection(blueprint="bomb"))
        """,
        str(seeded_db_path),
        "outline:\n  - section: objective\n" + alias_bomb("cover"),
    )
    assert_within_limits(outcome)
    assert outcome["error"].startswith("TemplateError"), outcome
    assert "not allowed" in outcome["error"]


def test_blueprint_parser_refuses_aliases_with_the_line():
    text = "outline:\n  - &o {section: objective}\n  - *o\n"
    with pytest.raises(TemplateError) as caught:
        parse_blueprint(text, "blueprint x")
    assert caught.value.line == 2 and "not allowed" in caught.value.message


def test_ordinary_front_matter_and_blueprints_still_load(shared_store):
    blueprint = shared_store.blueprint("eccp-preparatory")
    assert parse_blueprint(blueprint.outline_yaml, "b").slots
    document = render_template(
        shared_store, Selection(), section_text("title: Plain\nsectors: [ict]\n"), "editor"
    )
    assert document.blocks[0].text == "Plain"
