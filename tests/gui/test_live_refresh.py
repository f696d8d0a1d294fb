"""Every change seen everywhere (issue 12): the main window follows writes
made by its tool windows and by other processes, without F5 or Reload."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from window_helpers import close_quietly, open_window, tick, wait_for_preview

from briefing_app.gui.import_dialog import ImportDialog, ImportReportDialog
from briefing_app.gui.selection_panel import SLUG_ROLE, _all_items, _checked
from briefing_app.store.records import Cluster

ROOT = Path(__file__).resolve().parents[2]
REFRESH_MS = 10_000  # the poll runs every second; counts follow within another


@pytest.fixture
def window(qtbot, seeded_store, tmp_path, monkeypatch):
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: pytest.fail("import refused"))
    window = open_window(qtbot, seeded_store, tmp_path)
    wait_for_preview(qtbot, window)
    yield window
    for tool in list(window._tools.values()):
        tool.close()
    close_quietly(window)


def count(window, sector: str) -> int:
    item = next(
        i for i in _all_items(window.selection_panel.sectors) if i.data(0, SLUG_ROLE) == sector
    )
    return int(item.text(1) or 0)


def counted(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.selection_panel.counts_pending(), timeout=REFRESH_MS)


def clusters_csv(path: Path, slugs: list[str], sector: str = "automotive") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        rows = csv.writer(handle)
        rows.writerow(["slug", "name", "kind", "country", "region", "sectors"])
        for slug in slugs:
            name = slug.replace("-", " ").title()
            rows.writerow([slug, name, "science-park", "CN", "xiaoshan", sector])
    return path


def test_a_section_saved_in_the_editor_reaches_the_preview_without_f5(qtbot, window):
    marker = "Briefing-watch sentence seventeen."
    assert marker not in window.preview_panel.browser.toPlainText()
    window.open_section_editor()
    editor = window._tools["section-editor"]
    editor.open_section("objective")
    editor.editor.setPlainText(editor.editor.toPlainText() + f"\n\n{marker}\n")
    with qtbot.waitSignal(editor.sectionSaved):
        assert editor.save() is True
    qtbot.waitUntil(
        lambda: marker in window.preview_panel.browser.toPlainText(), timeout=REFRESH_MS * 6
    )
    wait_for_preview(qtbot, window)
    assert window.preview_panel.status_label.text() == "Up to date"


def test_clusters_imported_in_the_data_browser_change_the_counts(
    qtbot, window, tmp_path, monkeypatch
):
    counted(qtbot, window)
    before = count(window, "automotive")
    source = clusters_csv(tmp_path / "more.csv", ["browser-robot-park", "browser-axle-park"])

    def fake_exec(dialog):
        dialog.path_edit.setText(str(source))
        dialog.run_import()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    window.open_data_browser()
    window._tools["data-browser"].show_entity("clusters").import_records()
    qtbot.waitUntil(lambda: count(window, "automotive") == before + 2, timeout=REFRESH_MS)


def test_clusters_imported_by_a_command_change_the_counts_keeping_the_selection(
    qtbot, window, seeded_store, tmp_path
):
    panel = window.selection_panel
    assert panel.regions.select_region("pearl-river-delta")
    tick(panel.sectors, "automotive")
    wait_for_preview(qtbot, window)
    counted(qtbot, window)
    whole = seeded_store.count_clusters_by_sector("CN")["automotive"]
    in_region = count(window, "automotive")
    window.open_data_browser()
    page = window._tools["data-browser"].show_entity("clusters")
    rows = page.model.rowCount()
    chosen = seeded_store.clusters()[5].slug
    page.select_slug(chosen)

    source = clusters_csv(tmp_path / "cli.csv", ["command-line-park"])
    done = subprocess.run(
        [sys.executable, "-m", "briefing_app.cli", "import", "clusters", str(source)]
        + ["--db", str(seeded_store.path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert done.returncode == 0, done.stderr
    # A cluster outside the region: the region's count stays, the country's
    # grows; the data browser shows it; nothing chosen is lost.
    qtbot.waitUntil(lambda: page.model.rowCount() == rows + 1, timeout=REFRESH_MS)
    assert page.selected_record().slug == chosen
    assert panel.state().region == "pearl-river-delta"
    assert _checked(panel.sectors) == ["automotive"]
    counted(qtbot, window)
    assert count(window, "automotive") == in_region
    assert panel.regions.select_region(None)
    counted(qtbot, window)
    assert count(window, "automotive") == whole + 1
    assert isinstance(seeded_store.get("clusters", "command-line-park"), Cluster)


def test_a_second_instance_on_the_same_file_follows_the_first(qtbot, window, tmp_path):
    from briefing_app.store import open_store

    marker = "Written in the other window, twenty-three."
    with open_store(window.store.path) as other_store:  # a second instance's own store
        other = open_window(qtbot, other_store, tmp_path / "other")
        try:
            wait_for_preview(qtbot, other)
            window.open_section_editor()
            editor = window._tools["section-editor"]
            editor.open_section("objective")
            editor.editor.setPlainText(editor.editor.toPlainText() + f"\n\n{marker}\n")
            assert editor.save() is True
            qtbot.waitUntil(
                lambda: marker in other.preview_panel.browser.toPlainText(),
                timeout=REFRESH_MS * 6,
            )
        finally:
            close_quietly(other)
