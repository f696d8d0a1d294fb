"""The Coverage tab, the Chinese script choice and the data browser's Packs menu,
driven as a user would."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from window_helpers import close_quietly, open_window, tick, wait_for_preview

from briefing_app.assembly import Selection
from briefing_app.gui.coverage_panel import CoveragePanel
from briefing_app.gui.data_browser import DataBrowser

VARNESIA = Path(__file__).resolve().parents[1] / "packs" / "varnesia"


def rows(panel) -> list[str]:
    tree = panel.tree
    found = []

    def walk(item):
        found.append(item.text(0))
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i))
    return found


def test_panel_fills_when_shown_and_follows_the_threshold(qtbot, seeded_store):
    seeded_store.import_pack(VARNESIA)
    panel = CoveragePanel(seeded_store)
    qtbot.addWidget(panel)
    panel.show_selection(Selection(country="QV", sectors=("tidal-energy", "dairy-farming")))
    assert panel.report is None  # hidden: nothing counted yet
    with qtbot.waitSignal(panel.refreshed, timeout=10_000) as shown:
        panel.show()
    report = shown.args[0]
    assert report is panel.report and report.country == "QV"
    assert panel.tree.topLevelItemCount() == len([i for i in report.items if i.level == 1])
    shown_rows = rows(panel)
    assert "Tidal energy" in shown_rows
    assert "no clusters for Varnesia, Tidal energy" in shown_rows
    stale_before = sum(len(i.stale) for i in report.items)
    with qtbot.waitSignal(panel.refreshed, timeout=10_000):
        panel.max_age.setValue(50)
    assert sum(len(i.stale) for i in panel.report.items) < stale_before
    assert "Varnesia" in panel.summary.text()


def test_panel_reports_a_selection_it_cannot_plan(qtbot, seeded_store):
    panel = CoveragePanel(seeded_store)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.refreshed, timeout=10_000) as shown:
        panel.show_selection(Selection(country="CN", blueprint="no-such-blueprint"))
    assert shown.args[0] is None and "cannot be worked out" in panel.summary.text()
    assert panel.tree.topLevelItemCount() == 0


def test_main_window_coverage_tab_and_script_choice(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    try:
        wait_for_preview(qtbot, window)
        tick(window.selection_panel.sectors, "automotive")
        with qtbot.waitSignal(window.coverage_panel.refreshed, timeout=20_000):
            window.tabs.setCurrentWidget(window.coverage_panel)
        titles = rows(window.coverage_panel)
        assert "Automotive" in titles
        assert window.current_selection().script == "as-recorded"
        window.script.setCurrentIndex(window.script.findData("traditional"))
        assert window.current_selection().script == "traditional"
        assert window.session.modified
        saved = window.current_selection()
        window.show_selection(Selection(country="CN"))
        assert window.current_selection().script == "as-recorded"
        window.show_selection(saved)
        assert window.current_selection().script == "traditional"
    finally:
        close_quietly(window)


@pytest.fixture
def browser(qtbot, fresh_db):
    window = DataBrowser(fresh_db)
    qtbot.addWidget(window)
    return window


def test_import_and_export_pack_from_the_data_browser(browser, tmp_path, monkeypatch):
    opened: list[str] = []

    def choose_open(_parent, _title, folder, _filter):
        opened.append(folder)
        return str(VARNESIA / "pack.yaml"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose_open)
    changed: list[str] = []
    browser.recordsChanged.connect(changed.append)
    assert browser.import_pack()
    assert opened[0] and Path(opened[0]).name  # starts in the documents folder
    assert browser.page("clusters").model.rowCount() == 6
    assert "clusters" in changed and "Imported" in browser.statusBar().currentMessage()

    target = tmp_path / "varnesia-out"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, _t, default, _f: (str(target), "")
    )
    written = browser.export_pack()  # one country: no question which
    assert written == target.with_suffix(".zip")
    with zipfile.ZipFile(written) as zf:
        assert {"pack.yaml", "clusters.csv", "regions.csv"} <= set(zf.namelist())


def test_pack_problems_are_shown_and_nothing_changes(browser, tmp_path, monkeypatch):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pack.yaml", "country: QV\nfiles: []\n")
        zf.writestr("../outside.txt", "x")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(archive), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warnings.append(text))
    assert not browser.import_pack()
    assert "outside the pack" in warnings[0]
    assert browser.page("clusters").model.rowCount() == 0


def test_export_asks_which_country_when_there_are_several(
    qtbot, seeded_store, tmp_path, monkeypatch
):
    seeded_store.import_pack(VARNESIA)
    window = DataBrowser(seeded_store)
    qtbot.addWidget(window)
    asked: list[list[str]] = []

    def pick(_parent, _title, _label, names, *_args):
        asked.append(names)
        return next(n for n in names if "(QV)" in n), True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, _t, d, _f: (str(tmp_path / Path(d).name), "")
    )
    written = window.export_pack()
    assert written is not None and written.name == "varnesia-pack.zip"
    assert any("(CN)" in n for n in asked[0])
