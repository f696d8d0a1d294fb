"""The data browser's Kinds tab, and kind pickers that offer the kinds
table's codes (a kind added there is offered at once)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from briefing_app.gui.data_browser import TABS, DataBrowser
from briefing_app.gui.data_browser_form import RecordFormDialog
from briefing_app.store.records import Kind


def items(box: QComboBox) -> list[str]:
    return [box.itemText(i) for i in range(box.count())]


def test_the_kinds_tab_lists_the_table(qtbot, seeded_store):
    browser = DataBrowser(seeded_store)
    qtbot.addWidget(browser)
    titles = [browser.tabs.tabText(i) for i in range(browser.tabs.count())]
    assert "Kinds" in titles and [e for e, _ in TABS].count("kinds") == 1
    page = browser.page("kinds")
    assert page.model.rowCount() == len(seeded_store.records("kinds"))


def test_a_kind_added_in_the_form_is_offered_to_clusters(qtbot, seeded_store):
    form = RecordFormDialog(seeded_store, "kinds")
    qtbot.addWidget(form)
    grouping = form.widgets["grouping"]
    assert isinstance(grouping, QComboBox)
    form.set_value("entity", "clusters")
    assert items(grouping) == ["cluster", "park", "zone", "centre"]
    form.set_value("entity", "partnerships")
    assert "cooperation" in items(grouping)  # the groupings follow the entity

    for name, text in {
        "slug": "clusters-craft-village",
        "entity": "clusters",
        "code": "craft-village",
        "label": "craft village",
        "grouping": "cluster",
        "plural": "craft villages",
        "sort_order": "15",
    }.items():
        form.set_value(name, text)
    assert form.save() is True
    assert isinstance(form.saved, Kind)

    cluster = seeded_store.get("clusters", "xiaoshan-steel-structures-cluster")
    edit = RecordFormDialog(seeded_store, "clusters", cluster)
    qtbot.addWidget(edit)
    picker = edit.widgets["kind"]
    assert isinstance(picker, QComboBox)
    offered = items(picker)
    assert offered[:2] == ["industrial-cluster", "craft-village"]  # the table's order
    assert picker.currentText() == "industrial-cluster"
    tip = picker.itemData(1, 3)
    assert tip.startswith("craft village")
    edit.set_value("kind", "craft-village")
    assert edit.save() is True
    assert seeded_store.get("clusters", cluster.slug).kind == "craft-village"


def test_a_kind_the_table_lacks_is_explained_beside_the_field(qtbot, seeded_store):
    policy = seeded_store.records("policies")[0]
    form = RecordFormDialog(seeded_store, "policies", policy)
    qtbot.addWidget(form)
    assert "national" in items(form.widgets["level"])
    form.set_value("level", "federal")
    assert form.save() is False
    shown = form.problem_labels["level"].text()
    assert "unknown policy level 'federal'" in shown and "import a kinds row" in shown
    assert seeded_store.get("policies", policy.slug).level == policy.level
