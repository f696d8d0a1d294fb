"""Help > About: what this is and the versions it runs on (for bug reports)."""

from __future__ import annotations

import platform
import sqlite3
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

APP_DISTRIBUTION = "briefing-builder"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def component_versions() -> list[tuple[str, str]]:
    """(component, version) pairs shown in the About box."""
    return [
        ("Briefing Builder", _version(APP_DISTRIBUTION)),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("python-docx", _version("python-docx")),
        ("ReportLab", _version("reportlab")),
        ("SQLite", sqlite3.sqlite_version),
    ]


def about_text(db_path: str = "") -> str:
    rows = "".join(
        f"<tr><td>{name}</td><td>&nbsp;{version}</td></tr>"
        for name, version in component_versions()
    )
    where = f"<p>Knowledge base: <code>{db_path}</code></p>" if db_path else ""
    return (
        "<h3>Briefing Builder</h3>"
        "<p>Assembles tailored preparatory briefings on a country, its regions, sectors and "
        "cluster partnerships from a local knowledge base, and exports them as Word and PDF.</p>"
        f"{where}<table>{rows}</table>"
    )


def show_about(parent: QWidget, db_path: str = "") -> QMessageBox:
    """Open the About box (non-blocking) and return it."""
    box = QMessageBox(parent)
    box.setWindowTitle("About Briefing Builder")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(db_path))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setObjectName("about-box")
    box.open()
    return box
