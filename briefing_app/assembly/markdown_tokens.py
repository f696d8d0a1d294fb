"""The Markdown tokens of a section text: parsed once, kept in memory and on disk.

The preview rebuilds the whole briefing after each click and most sections
come out the same, so the tokens of the last 256 texts are kept in memory;
and a ``briefing build`` is a new process each time, where loading
markdown-it and parsing the sections was a fifth of the assembly, so the
tokens of each text are also kept on disk (``disk_cache``, under a digest
of the text, this form and markdown-it's version) by a process that asks for
it (:func:`keep_on_disk`: the command line's builds; a window keeps them in
memory, and would leave a file behind for every text it previews). Tokens read back are
:class:`KeptToken` values with the fields of markdown-it's ``Token``; the
converter only reads tokens, so it takes either. A text whose tokens hold
anything ``marshal`` cannot keep exactly is parsed each time.

Texts longer than :data:`KEPT_TEXT_CHARS` (a section that lists thousands
of records) are parsed each time and kept nowhere: their tokens take ten
times the text in memory.
"""

from __future__ import annotations

import functools
import importlib.util
import marshal
import os
from typing import Any

from briefing_app.assembly.placeholders import SHARED_KEY, process_key
from briefing_app.disk_cache import DiskCache, key_of

KEPT_TEXT_CHARS = 20_000
_DISK = DiskCache("markdown-tokens")
_ON_DISK = [False]  # set by keep_on_disk()


def keep_on_disk() -> None:
    """Keep tokens on disk for later processes (a short-lived build process)."""
    _ON_DISK[0] = True


_FIELDS = (
    "type",
    "tag",
    "nesting",
    "attrs",
    "map",
    "level",
    "children",
    "content",
    "markup",
    "info",
    "meta",
    "block",
    "hidden",
)


class KeptToken:
    """A token read back from disk: markdown-it ``Token``'s fields, to read."""

    __slots__ = _FIELDS

    def __repr__(self) -> str:
        return f"KeptToken({self.type!r}, {self.tag!r}, {self.content[:20]!r})"


def parsed(text: str) -> tuple[Any, ...]:
    """The block tokens of ``text`` (inline ones as their ``children``)."""
    if len(text) > KEPT_TEXT_CHARS:
        return tuple(_parser().parse(text))
    return _kept(text)


@functools.lru_cache(maxsize=256)
def _kept(text: str) -> tuple[Any, ...]:
    # The helpers' markers carry a key drawn for this process
    # (placeholders.py): kept under the shared key, so that the next process
    # finds the text, unless the text holds the shared key itself.
    own, shared = process_key(), SHARED_KEY
    if not _ON_DISK[0] or (shared in text and own != shared):
        return tuple(_parser().parse(text))
    key = key_of("markdown-tokens", "1", _parser_version(), text.replace(own, shared))
    data = _DISK.get(key)
    if data is not None:
        try:
            rows = marshal.loads(data)  # noqa: S302 - the user's own cache folder
            return tuple(_rebuilt(rows, (shared, own)))
        except Exception:  # noqa: BLE001, S110 - a damaged file: parse again
            pass
    tokens = tuple(_parser().parse(text))
    try:
        _DISK.put(key, marshal.dumps(_plain(tokens, (own, shared))))
    except ValueError:
        pass  # something marshal cannot keep: parsed each time
    return tokens


def _plain(tokens, swap: tuple[str, str]) -> list[tuple]:
    rows = []
    for token in tokens:
        row = []
        for name in _FIELDS:
            value = getattr(token, name)
            if name == "children" and value is not None:
                row.append(_plain(value, swap))
            else:
                row.append(_swapped(value, swap))
        rows.append(tuple(row))
    return rows


def _rebuilt(rows: list[tuple], swap: tuple[str, str]) -> list[KeptToken]:
    tokens = []
    for row in rows:
        token = KeptToken()
        for name, value in zip(_FIELDS, row, strict=True):
            if name == "children" and value is not None:
                value = _rebuilt(value, swap)
            else:
                value = _swapped(value, swap)
            setattr(token, name, value)
        tokens.append(token)
    return tokens


def _swapped(value: Any, swap: tuple[str, str]) -> Any:
    """``value`` with one marker key for the other in every text it holds."""
    if type(value) is str:
        return value.replace(*swap) if swap[0] in value else value
    if type(value) is dict:
        return {_swapped(k, swap): _swapped(v, swap) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_swapped(v, swap) for v in value)
    return value


@functools.cache
def _parser_version() -> str:
    """Where markdown-it and its plugins are installed, with their files' size
    and time: an upgrade rewrites them (found without importing them, and
    without ``importlib.metadata``, which takes longer to load than the
    tokens take to read)."""
    stamps = []
    for package in ("markdown_it", "mdit_py_plugins"):
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        try:
            info = os.stat(origin) if origin else None
        except OSError:
            info = None
        stamps.append(f"{origin}:{info.st_size}:{info.st_mtime_ns}" if info else f"{package}:?")
    return "\n".join(stamps)


@functools.cache
def _parser():
    # Loaded on first use: a build whose sections are all kept never loads it.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(footnote_plugin)
    )
