"""ReportLab's paragraph module without its web-address pattern compiled at import.

``reportlab.platypus.paragraph`` compiles, when imported, a pattern for web
addresses (``uri_pat``, after Django's validator) that only the splitting of
a word too long for its line reads. Compiling it is about 20 ms of every
``briefing build --format pdf`` (issue 16), more than the rest of the
module. :func:`install` (called by ``briefing_app.render``) makes that one
pattern compile the first time it is used: the import of the module is
watched by a finder on ``sys.meta_path``, which costs nothing until then,
and removes itself once it has seen it. Any other pattern, or a ReportLab
whose pattern reads differently, is compiled as usual.
"""

from __future__ import annotations

import re
import sys
import threading
from importlib.machinery import PathFinder
from typing import Any

MODULE = "reportlab.platypus.paragraph"
# How ReportLab 3.6 to 4.x writes the pattern (reportlab/platypus/paragraph.py).
_URI_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
_LOCK = threading.Lock()


class LazyPattern:
    """A compiled pattern made on first use; then it is that pattern."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


class _Finder:
    """Finds ReportLab's paragraph module as Python would, once, and watches its loading."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != MODULE:
            return None
        _remove()
        spec = PathFinder.find_spec(name, path)
        loader = getattr(spec, "loader", None)
        real_exec = getattr(loader, "exec_module", None)
        if real_exec is None:
            return spec

        def exec_module(module: Any) -> None:
            real_compile = re.compile

            def compile_lazily(pattern: Any, flags: int = 0) -> Any:
                if isinstance(pattern, str) and pattern.startswith(_URI_START):
                    return LazyPattern(pattern, flags)
                return real_compile(pattern, flags)

            re.compile = compile_lazily  # type: ignore[assignment]
            try:
                real_exec(module)
            finally:
                re.compile = real_compile  # type: ignore[assignment]

        loader.exec_module = exec_module  # type: ignore[union-attr]
        return spec


_FINDER = _Finder()


def install() -> None:
    """Watch for the paragraph module's import (nothing when it is already imported)."""
    with _LOCK:
        if MODULE not in sys.modules and _FINDER not in sys.meta_path:
            sys.meta_path.insert(0, _FINDER)


def _remove() -> None:
    with _LOCK:
        if _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
