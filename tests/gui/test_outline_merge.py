"""Folding a fresh plan into an outline the user edited."""

from briefing_app.assembly.selection import OutlineItem
from briefing_app.gui.outline_merge import added_key, is_added, merge_outline


def item(key, level=1, included=True, title=None):
    return OutlineItem(
        key=key, section=key.split("/")[0], title=title or key, level=level, included=included
    )


def keys(items):
    return [i.key for i in items]


def test_the_users_order_and_exclusions_survive_a_new_plan():
    edited = [item("economy"), item("objective", included=False), item("conclusion")]
    planned = [item("objective"), item("economy"), item("conclusion")]
    merged = merge_outline(edited, planned)
    assert keys(merged) == ["economy", "objective", "conclusion"]
    assert [i.included for i in merged] == [True, False, True]


def test_items_the_plan_no_longer_has_go_and_new_ones_follow_their_predecessor():
    edited = [item("economy"), item("sector/automotive", 2), item("conclusion")]
    planned = [
        item("economy"),
        item("sector/automotive", 2),
        item("sector/ict", 2),
        item("conclusion"),
    ]
    assert keys(merge_outline(edited, planned)) == [
        "economy",
        "sector/automotive",
        "sector/ict",
        "conclusion",
    ]
    fewer = [item("economy"), item("conclusion")]
    assert keys(merge_outline(edited, fewer)) == ["economy", "conclusion"]


def test_a_new_first_child_goes_right_under_its_parent():
    edited = [item("economy"), item("sector/ict", 2), item("conclusion")]
    planned = [item("economy"), item("overview", 2), item("sector/ict", 2), item("conclusion")]
    assert keys(merge_outline(edited, planned)) == [
        "economy",
        "overview",
        "sector/ict",
        "conclusion",
    ]


def test_titles_come_from_the_plan_and_levels_from_the_user():
    edited = [item("economy", level=2, title="Old title")]
    planned = [item("economy", level=1, title="Economy of Guangdong")]
    (merged,) = merge_outline(edited, planned)
    assert (merged.title, merged.level) == ("Economy of Guangdong", 2)


def test_hand_added_sections_stay_where_the_user_put_them():
    key = added_key("annex-flagships", set())
    edited = [
        item("economy"),
        OutlineItem(key, "annex-flagships", "Flagships", 1),
        item("conclusion"),
    ]
    merged = merge_outline(edited, [item("economy"), item("conclusion")])
    assert keys(merged) == ["economy", key, "conclusion"]
    assert is_added(merged[1]) and not is_added(merged[0])
    assert added_key("annex-flagships", {key}) != key
