"""The data browser as a newcomer meets it: file dialogs that open among the
user's files, saves that say so, counts in plain English."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from window_helpers import close_quietly, open_window

from briefing_app.gui import settings as keys
from briefing_app.gui.data_browser_form import RecordFormDialog
from briefing_app.gui.import_dialog import ImportDialog, counted, imported_text, singular
from briefing_app.gui.window_fit import documents_folder

CLUSTER = "xiaoshan-steel-structures-cluster"


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    yield window
    close_quietly(window)


@pytest.fixture
def browser(window):
    window.actions.data_browser.trigger()
    return window._tools["data-browser"]


def write_clusters(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["slug", "name", "kind", "country", "region"], *rows])
    return path


def test_the_import_dialog_opens_in_documents_then_where_the_user_was(
    browser, monkeypatch, tmp_path
):
    started: list[str] = []
    (tmp_path / "mine").mkdir()
    chosen = write_clusters(
        tmp_path / "mine" / "parks.csv",
        [["xiaoshan-robot-park", "Xiaoshan robot park", "science-park", "CN", "xiaoshan"]],
    )

    def pick(_parent, _caption, folder, _filter):
        started.append(folder)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    dialog = ImportDialog(browser.store, "clusters", browser.page("clusters"))
    dialog.browse()
    assert started[0] == str(documents_folder())
    assert dialog.path_edit.text() == str(chosen)
    assert browser.parent().settings.get(keys.LAST_FOLDER) == str(chosen.parent)

    again = ImportDialog(browser.store, "clusters", browser.page("clusters"))
    again.browse()
    assert started[1] == str(chosen.parent)


def test_an_import_counts_in_plain_english(browser, monkeypatch, tmp_path):
    assert imported_text(1, "clusters") == "1 cluster imported"
    assert imported_text(2, "clusters") == "2 clusters imported"
    assert counted(1, "policies") == "1 policy" and singular("countries") == "country"

    path = write_clusters(
        tmp_path / "two.csv",
        [
            ["xiaoshan-robot-park", "Xiaoshan robot park", "science-park", "CN", "xiaoshan"],
            ["xiaoshan-drone-park", "Xiaoshan drone park", "science-park", "CN", "xiaoshan"],
        ],
    )
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))

    def import_it(dialog):
        dialog.path_edit.setText(str(path))
        dialog.run_import()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", import_it)
    browser.page("clusters").import_records()
    assert told == ["2 clusters imported from two.csv."]


def test_saving_a_record_says_so_in_the_status_bar(browser, monkeypatch):
    page = browser.show_entity("clusters")
    page.select_slug(CLUSTER)

    def save_with_a_new_name(dialog):
        dialog.set_value("name", "Xiaoshan steel structures")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RecordFormDialog, "exec", save_with_a_new_name)
    page.edit_selected()
    assert browser.statusBar().currentMessage() == f"Saved cluster {CLUSTER}"
    assert browser.store.get("clusters", CLUSTER).name == "Xiaoshan steel structures"
