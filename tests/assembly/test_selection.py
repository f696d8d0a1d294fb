"""Selection values: JSON round trip and validation against the store."""

from __future__ import annotations

import json

import pytest

from briefing_app.assembly import Cover, OutlineItem, Selection, validate_selection
from briefing_app.errors import BriefingError, NotFoundError


def test_json_round_trip_keeps_everything():
    selection = Selection(
        country="CN",
        region="pearl-river-delta",
        sectors=["automotive", "ict"],
        partnerships=("give",),
        cover=Cover(title="Visit", lead="Desk officer"),
        page_size="Letter",
        outline=(
            OutlineItem("a", "objective", "Objective", 1),
            OutlineItem("b/ict", "s", "ICT", 2, {"sector": "ict"}, included=False),
        ),
    )
    text = selection.to_json()
    assert json.loads(text)["format"] == 1
    again = Selection.from_json(text)
    assert again == selection
    assert again.to_json() == text  # stable: same text for the same value


def test_old_or_partial_json_gets_defaults():
    selection = Selection.from_json('{"country": "CN", "sectors": ["ict"], "unknown": 1}')
    assert selection.blueprint == "eccp-preparatory" and selection.page_size == "A4"
    assert selection.sectors == ("ict",) and selection.cover == Cover()


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"format": 99}'])
def test_bad_json_is_a_user_error(text):
    with pytest.raises(BriefingError):
        Selection.from_json(text)


def test_page_size_is_checked():
    with pytest.raises(BriefingError):
        Selection(page_size="A5")


def test_validation_suggests_close_slugs(seeded_store):
    validate_selection(seeded_store, Selection(region="pearl-river-delta", sectors=("automotive",)))
    with pytest.raises(NotFoundError, match="automotive"):
        validate_selection(seeded_store, Selection(sectors=("automotiv",)))
    with pytest.raises(NotFoundError, match="pearl-river-delta"):
        validate_selection(seeded_store, Selection(region="pearl-river-delt"))
    with pytest.raises(NotFoundError, match="no partnership"):
        validate_selection(seeded_store, Selection(partnerships=("nope-nope",)))
    with pytest.raises(NotFoundError, match="no country"):
        validate_selection(seeded_store, Selection(country="ZZ"))
    with pytest.raises(NotFoundError, match="eccp-preparatory"):
        validate_selection(seeded_store, Selection(blueprint="eccp-preparatry"))
