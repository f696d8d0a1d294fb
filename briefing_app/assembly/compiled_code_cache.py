"""Compiled section templates kept on disk between processes.

Compiling the shipped library costs more than rendering it, and a
``briefing build`` is a new process each time. The checked and hardened code
object of a template (``sandbox._compile_checked``) is kept with ``marshal``
under a key that covers everything the code depends on: the template's text
and name, the environment's filters, tests and finalizer, the Jinja2 and
Python versions, and the text of the modules that check and harden a
template. An edited section, an upgraded Jinja2 or a changed hardening rule
gives a new key, so a stale or unhardened compilation is never served.
"""

from __future__ import annotations

import functools
import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

from briefing_app.disk_cache import DiskCache, key_of

FORMAT = "1"
_CACHE = DiskCache("templates")
# The modules whose code decides what a compiled template may do.
_RULE_MODULES = (
    "sandbox.py",
    "safe_filters.py",
    "fields.py",
    "budget.py",
    "compiled_code_cache.py",
)


@functools.cache
def _rules_digest() -> str:
    folder = Path(__file__).resolve().parent
    return key_of(*(folder.joinpath(name).read_bytes() for name in _RULE_MODULES))


def _key(env: Any, source: str, name: str) -> str:
    finalize = getattr(env.finalize, "__qualname__", "") if env.finalize else ""
    return key_of(
        FORMAT,
        sys.version,
        importlib.util.MAGIC_NUMBER,
        jinja2.__version__,
        _rules_digest(),
        type(env).__qualname__,
        "\x1f".join(sorted(env.filters)),
        "\x1f".join(sorted(env.tests)),
        finalize,
        name,
        source,
    )


def load(env: Any, source: str, name: str) -> CodeType | None:
    """The code compiled earlier for exactly this template, or None."""
    data = _CACHE.get(_key(env, source, name))
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store(env: Any, source: str, name: str, code: CodeType) -> None:
    """Keep ``code`` for the next process (silently skipped when it cannot be)."""
    try:
        data = marshal.dumps(code)
    except ValueError:
        return
    _CACHE.put(_key(env, source, name), data)
