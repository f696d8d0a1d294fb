"""Profiles in the data browser: a tab of their own and the generic record form."""

from __future__ import annotations

from briefing_app.gui.data_browser import DataBrowser
from briefing_app.gui.data_browser_form import RecordFormDialog


def test_profiles_have_a_tab_in_the_data_browser(qtbot, profiled_store):
    browser = DataBrowser(profiled_store)
    qtbot.addWidget(browser)
    assert browser.page("profiles").model.rowCount() == 13


def test_a_new_profile_through_the_form(qtbot, profiled_store):
    dialog = RecordFormDialog(profiled_store, "profiles", None)
    qtbot.addWidget(dialog)
    for name, value in {
        "slug": "lyon-health",
        "name": "Lyon health cluster",
        "kind": "cluster-organisation",
        "country": "France",
        "sectors": "medical-devices",
        "keywords": "imaging; diagnostics",
        "seeks": "trade; money",
    }.items():
        dialog.set_value(name, value)
    assert dialog.save() is False
    assert "ISO code" in dialog.problem_labels["country"].text()
    assert "'money' is not one of" in dialog.problem_labels["seeks"].text()
    dialog.set_value("country", "FR")
    dialog.set_value("seeks", "trade; r-and-d")
    assert dialog.save() is True
    saved = profiled_store.get("profiles", "lyon-health")
    assert saved.keywords == ("imaging", "diagnostics") and saved.seeks == ("trade", "r-and-d")
