"""The data browser's form edits a region's position like any other field."""

from __future__ import annotations

from briefing_app.gui.data_browser_form import RecordFormDialog


def test_region_form_shows_edits_and_checks_the_position(qtbot, seeded_store):
    hangzhou = seeded_store.region("hangzhou")
    dialog = RecordFormDialog(seeded_store, "regions", hangzhou)
    qtbot.addWidget(dialog)
    assert dialog.cells()["latitude"] == "30.27" and dialog.cells()["longitude"] == "120.16"
    assert dialog.cells()["position_source"] == "region-positions-compilation"

    dialog.set_value("latitude", "95")
    assert dialog.save() is False
    assert "between -90 and 90" in dialog.problem_labels["latitude"].text()

    dialog.set_value("latitude", "30.25")
    dialog.set_value("longitude", "")
    assert dialog.save() is False
    assert "both latitude and longitude" in dialog.problem_labels["longitude"].text()
    assert seeded_store.region("hangzhou") == hangzhou  # nothing saved yet

    dialog.set_value("longitude", "120.17")
    assert dialog.save() is True
    saved = seeded_store.region("hangzhou")
    assert (saved.latitude, saved.longitude) == (30.25, 120.17)
