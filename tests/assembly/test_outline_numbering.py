"""Blueprint parsing and heading numbers."""

from __future__ import annotations

import pytest

from briefing_app.assembly import OutlineItem, number_outline
from briefing_app.assembly.blueprint import parse_blueprint
from briefing_app.errors import TemplateError


def item(key: str, level: int, annex: bool = False, included: bool = True) -> OutlineItem:
    return OutlineItem(key, key, key.title(), level, annex=annex, included=included)


def test_numbers_follow_levels_and_restart_below():
    items = [
        item("a", 1),
        item("b", 1),
        item("c", 2),
        item("d", 2),
        item("e", 3),
        item("f", 3),
        item("g", 2),
        item("h", 1),
        item("i", 2),
    ]
    assert [n.number for n in number_outline(items)] == [
        "1",
        "2",
        "2.1",
        "2.2",
        "2.2.1",
        "2.2.2",
        "2.3",
        "3",
        "3.1",
    ]


def test_excluded_items_do_not_take_a_number():
    items = [
        item("a", 1),
        item("b", 1, included=False),
        item("c", 1),
        item("d", 2, included=False),
        item("e", 2),
    ]
    numbered = number_outline(items)
    assert [(n.item.key, n.number) for n in numbered] == [("a", "1"), ("c", "2"), ("e", "2.1")]


def test_annexes_are_lettered_and_sit_below_an_annex_heading():
    items = [
        item("a", 1),
        item("x", 2, annex=True),
        item("y", 3, annex=True),
        item("z", 2, annex=True),
    ]
    numbered = number_outline(items)
    assert [(n.number, n.level) for n in numbered] == [
        ("1", 1),
        ("A.1", 2),
        ("A.1.1", 3),
        ("A.2", 2),
    ]


def test_level_one_annexes_are_numbered_too():
    numbered = number_outline([item("a", 1), item("bib", 1, annex=True)])
    assert [(n.number, n.level) for n in numbered] == [("1", 1), ("A.1", 2)]


def test_blueprint_parses_slots_and_front_matter():
    spec = parse_blueprint(
        "slug: demo\nname: Demo\nfront_matter: {toc: true, list_of_figures: false}\n"
        "cover: {title: 'On {{ area_name }}'}\noutline:\n  - {section: one, level: 1}\n"
        "  - {section: each, level: 2, repeat: sectors}\n"
        "  - {section: bib, level: 2, annex: true}\n"
    )
    assert spec.slug == "demo" and spec.cover["title"] == "On {{ area_name }}"
    assert [(s.section, s.level, s.repeat, s.annex) for s in spec.slots] == [
        ("one", 1, "", False),
        ("each", 2, "sectors", False),
        ("bib", 2, "", True),
    ]
    assert spec.wants("toc") and not spec.wants("list_of_figures") and spec.wants("list_of_tables")


def test_broken_blueprint_yaml_reports_line_and_column():
    with pytest.raises(TemplateError) as caught:
        parse_blueprint("slug: x\noutline:\n  - {section: a, level: 1\n  - b\n", "blueprint x")
    assert caught.value.line is not None and caught.value.column is not None


@pytest.mark.parametrize(
    "text, words",
    [
        ("slug: x\n", "outline"),
        ("outline:\n  - {level: 1}\n", "section"),
        ("outline:\n  - {section: a, level: 9}\n", "level"),
        ("outline:\n  - {section: a, repeat: towns}\n", "repeat"),
    ],
)
def test_blueprint_mistakes_are_explained(text, words):
    with pytest.raises(TemplateError, match=words):
        parse_blueprint(text)


def test_a_blueprint_text_is_parsed_once_and_an_edit_is_seen():
    text = "slug: cached\noutline:\n  - {section: objective, level: 1}\n"
    first = parse_blueprint(text, "blueprint cached")
    assert parse_blueprint(text, "blueprint cached") is first
    edited = parse_blueprint(text + "  - {section: economy, level: 2}\n", "blueprint cached")
    assert [slot.section for slot in edited.slots] == ["objective", "economy"]
    assert [slot.section for slot in first.slots] == ["objective"]
    # A broken text keeps failing: errors are not remembered as results.
    for _ in range(2):
        with pytest.raises(TemplateError):
            parse_blueprint("slug: x\noutline: [\n", "blueprint x")
