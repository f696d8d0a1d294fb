"""The main window tells, in its status bar, when the shipped knowledge base
has newer facts, and its button takes them after showing what will change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from shipped_seed import make_old_seed, table_dump
from window_helpers import close_quietly, open_window, wait_for_preview

from briefing_app.gui.shipped_notice import TEXT
from briefing_app.store import open_store


@pytest.fixture
def said(monkeypatch) -> dict:
    """Answers QMessageBox.question with ``said['answer']``; keeps every text shown."""
    said: dict = {"answer": QMessageBox.StandardButton.Yes, "texts": []}

    def question(_parent, _title, text, *_args, **_kwargs):
        said["texts"].append(text)
        return said["answer"]

    def information(_parent, _title, text, *_args, **_kwargs):
        said["texts"].append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", information)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning: {a[2]}"))
    return said


@pytest.fixture
def old_store(tmp_path):
    seed = tmp_path / "old-seed"
    make_old_seed(seed)
    path = tmp_path / "kb.sqlite"
    open_store(path, seed_dir=seed).close()
    with open_store(path) as store:
        yield store


def test_the_notice_asks_then_updates(qtbot, old_store, tmp_path, said):
    window = open_window(qtbot, old_store, tmp_path)
    try:
        notice = window.shipped_notice
        assert notice.isVisible() and notice.label.text() == TEXT
        before = table_dump(old_store.path)

        said["answer"] = QMessageBox.StandardButton.No
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        assert "regions: " in said["texts"][-1] and said["texts"][-1].endswith("Update now?")
        assert table_dump(old_store.path) == before
        assert notice.isVisible()

        said["answer"] = QMessageBox.StandardButton.Yes
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
        assert said["texts"][-1].startswith("Updated from the shipped knowledge base.")
        assert old_store.region("anhui").latitude is not None
        assert not notice.isVisible()
        wait_for_preview(qtbot, window)
    finally:
        close_quietly(window)


def test_no_notice_for_a_current_knowledge_base(qtbot, seeded_store, tmp_path, said):
    window = open_window(qtbot, seeded_store, tmp_path)
    try:
        assert not window.shipped_notice.isVisible()
        wait_for_preview(qtbot, window)
    finally:
        close_quietly(window)
