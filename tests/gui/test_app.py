"""The ``briefing-app`` entry point: screenshots, and a bad database met calmly."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app.gui import store_opening
from briefing_app.gui.app import main, register_fonts


def test_screenshot_writes_a_png_of_the_window(qapp, seeded_db_path, tmp_path):
    target = tmp_path / "main-window.png"
    code = main(
        [
            "--db",
            str(seeded_db_path),
            "--screenshot",
            str(target),
            "--settings",
            str(tmp_path / "settings.ini"),
        ]
    )
    assert code == 0
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() >= 1200 and image.height() >= 800


def test_screenshot_of_the_section_editor(qapp, seeded_db_path, tmp_path):
    target = tmp_path / "section-editor.png"
    code = main(
        ["--db", str(seeded_db_path), "--screenshot", str(target), "--window", "section-editor"]
    )
    assert code == 0
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() >= 800


def test_the_bundled_cjk_font_is_registered(qapp):
    assert "WenQuanYi Micro Hei" in register_fonts()


def answer_next_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` on the next modal message box, noting its text."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_a_damaged_database_can_be_set_aside_for_a_fresh_one(qapp, tmp_path):
    bad = tmp_path / "kb.sqlite"
    bad.write_bytes(b"this is not a database at all")
    seen: list[str] = []
    answer_next_box("Start with a fresh database", seen)
    store = store_opening.open_store_interactively(bad)
    try:
        assert store is not None and store.countries()
    finally:
        store.close()
    assert "not a SQLite database" in seen[0]
    kept = [
        p
        for p in tmp_path.iterdir()
        if p.name.startswith("kb.sqlite.") and p.name.endswith(".unusable")
    ]
    assert kept and kept[0].read_bytes() == b"this is not a database at all"


def test_quitting_leaves_a_damaged_database_untouched(qapp, tmp_path):
    bad = tmp_path / "kb.sqlite"
    bad.write_bytes(b"garbage")
    seen: list[str] = []
    answer_next_box("Quit", seen)
    assert store_opening.open_store_interactively(bad) is None
    assert bad.read_bytes() == b"garbage"
    assert seen


def test_a_damaged_database_can_be_restored_from_its_backup(qapp, seeded_db_path, monkeypatch):
    from briefing_app.store import open_store

    with open_store(seeded_db_path) as store:
        countries = len(store.countries())
        store.backup("manual")
    seeded_db_path.write_bytes(b"\0" * 4096)  # damaged beyond repair
    monkeypatch.setattr(
        store_opening.QInputDialog, "getItem", lambda _p, _t, _l, names, *a: (names[0], True)
    )
    seen: list[str] = []
    answer_next_box("Restore a backup…", seen)
    store = store_opening.open_store_interactively(seeded_db_path)
    try:
        assert store is not None and len(store.countries()) == countries
    finally:
        store.close()
    assert seen
