"""The core never imports Qt: only briefing_app/gui/ may."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefing_app"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_qt():
    offenders = []
    core_files = [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]
    assert len(core_files) > 3
    for path in core_files:
        qt = {
            n
            for n in _imports(path)
            if n.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
        }
        if qt:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(qt)}")
    assert offenders == []
