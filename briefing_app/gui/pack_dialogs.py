"""The data browser's Packs menu: import a country pack, export one.

File dialogs open in the user's documents folder. A pack is imported whole
or not at all (the store checks every file first); its problems are shown
with their file and line.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from briefing_app.errors import BriefingError


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def import_pack(browser) -> bool:
    """Ask for a pack (.zip, or the pack.yaml of a folder) and import it whole."""
    path, _ = QFileDialog.getOpenFileName(
        browser, "Import a country pack", _documents(), "Country packs (*.zip pack.yaml)"
    )
    if not path:
        return False
    chosen = Path(path)
    target = chosen.parent if chosen.name == "pack.yaml" else chosen
    try:
        result = browser.store.import_pack(target)
    except BriefingError as error:
        QMessageBox.warning(browser, "Pack not imported", _sentence(str(error)))
        return False
    browser.reload_all()
    for entity in result.counts:
        browser.recordsChanged.emit(entity)
    total = sum(result.counts.values())
    browser.statusBar().showMessage(
        f"Imported {total} records of {result.manifest.country} from {chosen.name}", 8000
    )
    return True


def export_pack(browser) -> Path | None:
    """Ask for a country and a .zip file, and write the country's pack there."""
    countries = browser.store.countries()
    if not countries:
        QMessageBox.information(browser, "Export pack", "The knowledge base holds no country.")
        return None
    names = [f"{c.name} ({c.iso_code})" for c in countries]
    name, ok = (
        (names[0], True)
        if len(names) == 1
        else QInputDialog.getItem(browser, "Export pack", "Country:", names, 0, False)
    )
    if not ok:
        return None
    country = countries[names.index(name)]
    default = str(Path(_documents()) / f"{country.slug}-pack.zip")
    path, _ = QFileDialog.getSaveFileName(
        browser, "Export a country pack", default, "Zip files (*.zip)"
    )
    if not path:
        return None
    target = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
    try:
        result = browser.store.export_pack(country.iso_code, target)
    except BriefingError as error:
        QMessageBox.warning(browser, "Pack not written", _sentence(str(error)))
        return None
    total = sum(result.counts.values())
    browser.statusBar().showMessage(f"Wrote {total} records of {country.name} to {target}", 8000)
    return target


def _documents() -> str:
    """The user's documents folder, where pack dialogs open."""
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
