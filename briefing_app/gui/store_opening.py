"""Opening the knowledge base at start-up, and what to do when it is bad.

A damaged, foreign or too-new database file must not end in a traceback. The
user is told what is wrong (the StoreError's own words) and offered a way on:
restore one of the backups kept beside the file, set the file aside and start
from the built-in data, or quit with the file untouched.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from briefing_app.errors import StoreError
from briefing_app.store import lockfile, open_store
from briefing_app.store.backups import list_backups, restore_backup

RESTORE, FRESH, QUIT = "restore", "fresh", "quit"


def set_aside(path: Path) -> Path:
    """Rename a bad database (and its journal files) so a fresh one can be built.

    Refused (StoreError) while a store of it is open anywhere: renaming the
    file under another program would send its writes to the renamed copy.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.{stamp}.unusable")
    with lockfile.exclusive(path, "start afresh"):
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            journal = Path(f"{path}{suffix}")
            if journal.exists():
                os.replace(journal, Path(f"{aside}{suffix}"))
    return aside


def ask_recovery(
    error: StoreError, path: Path, parent: QWidget | None = None
) -> tuple[str, object]:
    """Show the problem; returns (RESTORE, Backup) | (FRESH, None) | (QUIT, None)."""
    backups = list_backups(path)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The knowledge base cannot be opened")
    box.setText(f"The knowledge base at\n{path}\ncannot be opened.")
    box.setInformativeText(str(error))
    restore = box.addButton("Restore a backup…", QMessageBox.ButtonRole.AcceptRole)
    restore.setEnabled(bool(backups))
    if not backups:
        restore.setToolTip("No backup of this file was found")
    fresh = box.addButton("Start with a fresh database", QMessageBox.ButtonRole.DestructiveRole)
    fresh.setToolTip(
        "The current file is kept beside, renamed; a new one is built from the built-in data"
    )
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore and backups:
        names = [f"{b.taken:%Y-%m-%d %H:%M} UTC ({b.reason})" for b in reversed(backups)]
        chosen, ok = QInputDialog.getItem(
            parent, "Restore a backup", "Backup to restore:", names, 0, False
        )
        if ok:
            return RESTORE, list(reversed(backups))[names.index(chosen)]
        return ask_recovery(error, path, parent)
    if clicked is fresh:
        return FRESH, None
    return QUIT, None


def open_store_interactively(path: Path, parent: QWidget | None = None):
    """Open ``path``; on a StoreError ask the user how to recover. None = quit."""
    while True:
        try:
            return open_store(path)
        except StoreError as error:
            choice, backup = ask_recovery(error, path, parent)
            try:
                if choice == RESTORE:
                    restore_backup(path, backup)
                elif choice == FRESH:
                    set_aside(path)
                else:
                    return None
            except (StoreError, OSError) as exc:
                QMessageBox.critical(parent, "Recovery failed", str(exc))
