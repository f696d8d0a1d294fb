"""Exporting as users of Word expect: files named after the briefing, a
question before replacing one, the PDF opened, the folder shown where no
file manager opens it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from window_helpers import close_quietly, open_window, tick, wait_for_preview

from briefing_app.export import selection_stem
from briefing_app.gui.export_controller import free_name
from briefing_app.gui.export_dialog import ExportDialog

EXPORT_TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    window.selection_panel.regions.select_region("zhejiang")
    tick(window.selection_panel.sectors, "automotive")
    wait_for_preview(qtbot, window)
    yield window
    close_quietly(window)


def answer_next_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` on the next modal message box, noting its text."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text().replace("&", "") == button_text).click()

    QTimer.singleShot(0, click)


def export_through_the_dialog(qtbot, window, monkeypatch, folder, dialogs: list) -> None:
    """File > Export with "Both" into ``folder``, the user pressing Export."""

    def press_export(dialog):
        dialogs.append(dialog)
        dialog.both.setChecked(True)
        dialog.destination.setText(str(folder))
        return 1

    monkeypatch.setattr(ExportDialog, "exec", press_export)
    with qtbot.waitSignal(window.exporter.finished, timeout=EXPORT_TIMEOUT_MS) as blocker:
        window.actions.export.trigger()
    assert blocker.args[0] == "succeeded", blocker.args


def test_exporting_again_asks_before_replacing(qtbot, window, monkeypatch, tmp_path):
    folder = tmp_path / "briefings"
    folder.mkdir()
    dialogs: list = []
    export_through_the_dialog(qtbot, window, monkeypatch, folder, dialogs)
    stem = selection_stem(window.document_title(), window.current_selection())
    assert dialogs[0].stem == stem and stem.endswith("automotive") and "zhejiang" in stem
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(first) == [f"{stem}.docx", f"{stem}.pdf"]

    # Again: Keep both writes "<stem> (2)" and leaves the first files alone.
    seen: list[str] = []
    answer_next_box("Keep both", seen)
    export_through_the_dialog(qtbot, window, monkeypatch, folder, dialogs)
    assert seen and f"{stem}.pdf" in seen[0]
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*first, f"{stem} (2).docx", f"{stem} (2).pdf"])
    assert all((folder / name).read_bytes() == data for name, data in first.items())

    # Replace writes over the first files, and adds none.
    answer_next_box("Replace", seen)
    export_through_the_dialog(qtbot, window, monkeypatch, folder, dialogs)
    assert sorted(p.name for p in folder.iterdir()) == names
    assert (folder / f"{stem}.docx").stat().st_mtime_ns >= (
        folder / f"{stem} (2).docx"
    ).stat().st_mtime_ns

    # Cancel exports nothing.
    answer_next_box("Cancel", seen)
    assert window.exporter.settle_existing(("docx", "pdf"), folder / stem) is None
    assert window.exporter.job is None
    assert "existing files are unchanged" in window.statusBar().currentMessage()
    assert len(seen) == 3


def test_keep_both_counts_on_past_names_taken(tmp_path):
    (tmp_path / "brief.pdf").write_bytes(b"1")
    (tmp_path / "brief (2).pdf").write_bytes(b"2")
    assert free_name(("pdf",), tmp_path / "brief.pdf") == tmp_path / "brief (3).pdf"
    (tmp_path / "both (2).docx").write_bytes(b"3")
    assert free_name(("docx", "pdf"), tmp_path / "both") == tmp_path / "both (3)"


def test_open_pdf_and_a_folder_without_a_file_manager(qtbot, window, monkeypatch, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with qtbot.waitSignal(window.exporter.finished, timeout=EXPORT_TIMEOUT_MS):
        window.exporter.start(("docx", "pdf"), folder / "brief")
    box = window.exporter.result_box
    labels = {b.text().replace("&", ""): b for b in box.buttons()}
    assert "Open PDF" in labels and "Open folder" in labels

    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    labels["Open PDF"].click()
    assert opened == [str(folder / "brief.pdf")]

    # No file manager: openUrl says False; the folder is shown, to copy.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    with qtbot.waitSignal(window.exporter.finished, timeout=EXPORT_TIMEOUT_MS):
        window.exporter.start(("docx",), folder / "again.docx")
    labels = {b.text().replace("&", ""): b for b in window.exporter.result_box.buttons()}
    assert "Open Word file" in labels  # one format: that file
    labels["Open folder"].click()
    where = window.exporter.location_box
    assert where is not None and where.isVisible()
    assert where.informativeText() == str(folder)
    assert where.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    copy = next(b for b in where.buttons() if b.text().replace("&", "") == "Copy path")
    copy.click()
    assert QApplication.clipboard().text() == str(folder)
    assert where.isVisible()  # copying leaves the message open
    where.close()
