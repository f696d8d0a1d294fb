"""The data browser driven as a user would, on a private copy of the seeded database."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from briefing_app.errors import NotFoundError
from briefing_app.gui.data_browser import DataBrowser
from briefing_app.gui.data_browser_form import RecordFormDialog
from briefing_app.gui.data_browser_model import RecordTableModel
from briefing_app.gui.data_browser_proxy import RecordFilterProxy
from briefing_app.gui.import_dialog import ImportDialog, ImportReportDialog
from briefing_app.store import open_store
from briefing_app.store.records import Cluster

CLUSTER = "xiaoshan-steel-structures-cluster"


@pytest.fixture
def browser(qtbot, seeded_store):
    window = DataBrowser(seeded_store)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def messages(monkeypatch):
    """Record every warning/information box instead of showing it; answer Yes to questions."""
    shown: list[tuple[str, str]] = []

    def record(kind):
        def box(_parent, title, text, *args, **kwargs):
            shown.append((kind, f"{title}: {text}"))
            return QMessageBox.StandardButton.Ok

        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "critical", record("critical"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return shown


def test_table_model_passes_qt_model_checks(qtmodeltester, seeded_store):
    model = RecordTableModel(Cluster, seeded_store.records("clusters"))
    qtmodeltester.check(model, force_py=True)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter("hangzhou")
    qtmodeltester.check(proxy, force_py=True)
    assert 0 < proxy.rowCount() < model.rowCount()


def test_every_entity_has_a_tab_with_its_records(browser, seeded_store):
    for entity, count in seeded_store.counts().items():
        assert browser.page(entity).model.rowCount() == count


def test_filter_uses_column_text_and_full_text_search(browser):
    page = browser.show_entity("clusters")
    total = page.model.rowCount()
    page.filter_box.setText("Hangzhou")
    assert 0 < page.proxy.rowCount() < total
    assert CLUSTER in page.proxy.search_hits  # found through the store's search too
    assert page.count_label.text() == f"{page.proxy.rowCount()} of {total}"
    page.filter_box.clear()
    assert page.proxy.rowCount() == total


def test_sorting_by_a_number_column_puts_years_in_order(browser):
    page = browser.show_entity("indicators")
    year_column = page.model.fields.index("year")
    page.table.sortByColumn(year_column, Qt.SortOrder.AscendingOrder)
    years = [
        page.model.record_at(page.proxy.mapToSource(page.proxy.index(row, 0)).row()).year
        for row in range(page.proxy.rowCount())
    ]
    assert years == sorted(years)


def _answer_form(monkeypatch, fill):
    """Make RecordFormDialog.exec fill the real form and press Save once."""

    def fake_exec(dialog):
        fill(dialog)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RecordFormDialog, "exec", fake_exec)


def test_edited_cluster_is_still_there_after_reopening(browser, seeded_db_path, monkeypatch):
    page = browser.show_entity("clusters")
    page.select_slug(CLUSTER)
    _answer_form(
        monkeypatch,
        lambda d: (
            d.set_value("description", "Steel structure makers south of the river."),
            d.set_value("established", "1998"),
            d.set_value("sectors", "materials; machinery-and-equipment"),
        ),
    )
    page.edit_selected()
    assert page.selected_record().established == 1998
    browser.store.close()

    with open_store(seeded_db_path) as reopened:
        cluster = reopened.get("clusters", CLUSTER)
    assert cluster.description == "Steel structure makers south of the river."
    assert cluster.established == 1998
    assert cluster.sectors == ("materials", "machinery-and-equipment")


def test_form_shows_problems_beside_fields_and_writes_nothing(qtbot, seeded_store):
    before = seeded_store.get("clusters", CLUSTER)
    dialog = RecordFormDialog(seeded_store, "clusters", before)
    qtbot.addWidget(dialog)
    dialog.set_value("established", "nineteen")
    assert dialog.save() is False
    assert "whole number" in dialog.problem_labels["established"].text()

    dialog.set_value("established", "2001")
    dialog.set_value("region", "atlantis")
    assert dialog.save() is False
    assert "atlantis" in dialog.problem_labels["region"].text()
    assert seeded_store.get("clusters", CLUSTER) == before


def test_form_refuses_to_overwrite_a_change_made_elsewhere(qtbot, seeded_store):
    opened = seeded_store.get("clusters", CLUSTER)
    dialog = RecordFormDialog(seeded_store, "clusters", opened)
    qtbot.addWidget(dialog)
    elsewhere = dataclasses.replace(opened, industry="Steel and aluminium structures")
    seeded_store.upsert("clusters", elsewhere, expected=opened)
    dialog.set_value("industry", "Steel frames")
    assert dialog.save() is False
    assert "changed elsewhere" in dialog.general_problem.text()
    assert seeded_store.get("clusters", CLUSTER).industry == "Steel and aluminium structures"


def test_new_record_needs_a_valid_slug(qtbot, seeded_store):
    dialog = RecordFormDialog(seeded_store, "sectors", None)
    qtbot.addWidget(dialog)
    dialog.set_value("slug", "Not A Slug")
    dialog.set_value("name", "Robotics")
    assert dialog.save() is False
    assert "slug" in dialog.problem_labels["slug"].text()
    dialog.set_value("slug", "robotics")
    assert dialog.save() is True
    assert seeded_store.get("sectors", "robotics").name == "Robotics"


def test_delete_blocked_by_references_is_explained(browser, messages):
    page = browser.show_entity("regions")
    page.select_slug("xiaoshan")
    assert page.delete_selected() is False
    kind, text = messages[-1]
    assert kind == "warning"
    assert "still used by" in text and "clusters" in text
    assert "sqlite" not in text.lower() and "foreign key" not in text.lower()
    assert browser.store.get("regions", "xiaoshan").slug == "xiaoshan"


def test_delete_of_an_unused_record(browser, messages):
    page = browser.show_entity("clusters")
    page.select_slug(CLUSTER)
    before = page.model.rowCount()
    changed: list[str] = []
    browser.recordsChanged.connect(changed.append)
    assert page.delete_selected() is True
    assert changed == ["clusters"]
    assert page.model.rowCount() == before - 1
    assert page.model.row_of(CLUSTER) == -1


def _bad_clusters_csv(path):
    rows = [
        ["slug", "name", "kind", "country", "region", "established"],
        ["good-new-cluster", "Good new cluster", "industrial-cluster", "CN", "xiaoshan", "2005"],
        ["Bad Slug", "Bad slug cluster", "industrial-cluster", "CN", "xiaoshan", ""],
        ["another-cluster", "Another", "volcano", "CN", "nowhere", "twenty"],
    ]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_bad_import_shows_full_report_and_writes_nothing(
    qtbot, seeded_store, tmp_path, monkeypatch
):
    reports: list[ImportReportDialog] = []
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: reports.append(self) or 0)
    before = seeded_store.counts()["clusters"]
    dialog = ImportDialog(seeded_store, "clusters")
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(_bad_clusters_csv(tmp_path / "clusters.csv")))
    assert dialog.run_import() is False

    (report,) = reports
    lines = {report.table.item(r, 0).text() for r in range(report.table.rowCount())}
    columns = {report.table.item(r, 1).text() for r in range(report.table.rowCount())}
    assert {"3", "4"} <= lines
    assert {"slug", "kind", "region", "established"} <= columns
    assert "line 3" in report.report_text()
    assert seeded_store.counts()["clusters"] == before
    with pytest.raises(NotFoundError):
        seeded_store.get("clusters", "good-new-cluster")


def test_good_import_from_the_browser_refreshes_the_tab(browser, tmp_path, monkeypatch, messages):
    path = tmp_path / "more.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["slug", "name", "kind", "country", "region"],
                ["xiaoshan-robot-park", "Xiaoshan robot park", "science-park", "CN", "xiaoshan"],
            ]
        )
    page = browser.show_entity("clusters")
    before = page.model.rowCount()

    def fake_exec(dialog):
        dialog.path_edit.setText(str(path))
        dialog.run_import()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    page.import_records()
    assert page.model.rowCount() == before + 1
    assert any("1 cluster imported" in text for _kind, text in messages)


def test_export_writes_json_with_every_record(browser, tmp_path, monkeypatch):
    target = tmp_path / "out" / "sectors"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "JSON (*.json)")
    )
    written = browser.show_entity("sectors").export_records()
    assert written == target.with_suffix(".json")
    data = json.loads(written.read_text(encoding="utf-8"))
    assert len(data) == browser.store.counts()["sectors"]


def test_qt_binding_keeps_its_references_to_none(qtbot, seeded_store):
    """PySide6 6.12.0 on Python 3.11 lost one reference to None per call returning
    nothing (and per model lookup answering None) until the process aborted; the
    table model is the busiest such caller, so it guards the pinned version here."""
    model = RecordTableModel(Cluster, seeded_store.records("clusters"))
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(2000):
        index.data(Qt.ItemDataRole.DecorationRole)  # answered None by the model
    assert sys.getrefcount(None) >= before - 10
    # The same release also lost a reference to True on every signal emit.
    before_true = sys.getrefcount(True)
    for row in range(2000):
        model.dataChanged.emit(model.index(row % 5, 0), model.index(row % 5, 0))
    assert sys.getrefcount(True) >= before_true - 10
