"""Parsed paragraph markup and line breaking kept on disk between processes.

Reading ReportLab's paragraph markup (``ParaParser``) and breaking it into
lines (``Paragraph.breakLines``) are about 0.45 s of every PDF build of a
long briefing (issue 16), and a ``briefing build`` is a new process each
time. :class:`~briefing_app.render.pdf_styles.PdfStyles` keeps the parsed
pieces in memory; this keeps them, and each paragraph's first line breaking,
in the user cache folder.

What is kept, per set of styles (theme, fonts, ReportLab and Python
versions, this format), is one file of entries: the parsed pieces of a
paragraph under a digest of its markup, its style (every attribute) and its
bullet; its line breaking under that digest and the widths. An edited text
or style gives another digest, never a stale entry. What a build puts costs
it a pickled copy while it lays out; the plain form is made from the copy
when the document is done (:meth:`ParsedKeeper.save`; the PDF worker of
``render_aside`` does that after the PDF is handed over).

Pickle rebuilds ReportLab's fragments about as slowly as parsing them, so
entries are plain values in ``marshal`` form, rebuilt by :func:`decode` (a
fragment cloned from the one before is kept as what differs). Only
ReportLab classes whose state is their ``__dict__`` are accepted, shared
objects stay shared, and an entry is kept only when its rebuilt form
pickles to the same bytes as the original. Anything unexpected (a damaged
file, an unknown class) is a miss, and ReportLab does the work as before.
The file keeps the entries this process used or made first, then older
ones up to :data:`_MAX_ENTRIES`.

A process that waits for its document (the PDF worker of
``render_aside.py``) may :meth:`ParsedKeeper.prefetch` the entries in that
order meanwhile: each is rebuilt once ahead, handed out by the first
``get`` of its key, and rebuilt afresh for any later one.
"""

from __future__ import annotations

import importlib
import marshal
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any

from briefing_app.disk_cache import DiskCache, key_of

_CACHE = DiskCache("pdf-parsed")
_FORMAT = "2"
_MAX_ENTRIES = 4500  # two long briefings (markup and lines: about 6 MB for one)
_PRIMITIVES = (str, int, float, bool, type(None))
_CLASSES: dict[str, type] = {}
_PLAIN: set[type] = set()  # classes found to pass _check_plain_class


class Unsupported(Exception):
    """A value this form cannot hold exactly."""


class ParsedKeeper:
    """The kept entries of one set of styles, loaded on first use."""

    def __init__(self, *identity: str) -> None:
        self._key = key_of("pdf-parsed", _FORMAT, sys.version, *identity)
        self._lock = threading.Lock()
        self._entries: dict[str, Any] | None = None
        self._used: dict[str, Any] = {}
        self._ready: dict[str, Any] = {}  # rebuilt ahead by prefetch, each for one get
        self._fresh = False
        self._style_prints: dict[str, tuple[Any, str]] = {}

    def entry_key(self, markup: str, style: Any, bullet: str | None) -> str:
        known = self._style_prints.get(style.name)
        if known is None or known[0] is not style:
            known = self._style_prints[style.name] = (style, style_print(style))
        return key_of(markup, known[1], "\0" if bullet is None else bullet)

    def lines_key(self, entry: str, width: Any) -> str:
        """The key of a paragraph's first line breaking at ``width``."""
        return key_of("lines", entry, repr(width))

    def part_key(
        self, entry: str, width: Any, index: int, split_at: int, style: Any, frags: list
    ) -> str:
        """The entry of part ``index`` (0 or 1) of a paragraph split after
        ``split_at`` of the lines it broke at ``width``.

        Its pieces are cut from those lines, so the whole's entry says what
        they are, but for what splitting changes in them: ReportLab adds a
        space to the last word of a line, or changes a hyphenated word's
        class, when it cuts, and a paragraph tried at several heights is cut
        several times. So each piece's class and text are in the key, with
        the part's style (the second part may get another).
        """
        pieces = "\0".join(f"{type(f).__name__}:{getattr(f, 'text', '')!s}" for f in frags)
        where = f"{index}:{split_at}"
        return key_of("part", entry, repr(width), where, style_print(style), pieces)

    def get(self, key: str) -> Any:
        """The value kept under ``key``, rebuilt afresh, or None."""
        with self._lock:
            if self._entries is None:
                self._entries = _load(self._key)
            encoded = self._entries.get(key)
            value = self._ready.pop(key, None)
        if encoded is None:
            return None
        if value is None:
            try:
                value = decode(encoded)
            except Exception:  # noqa: BLE001 - a damaged entry is a miss
                return None
        with self._lock:
            self._used[key] = encoded
        return value

    def prefetch(self, stop: Callable[[], bool], every: int = 25) -> int:
        """Rebuild the kept entries ahead, in the file's order, until ``stop()``
        (asked every ``every`` entries) says the work has come; how many.

        For a process with time on its hands before the document arrives:
        the entries the last document used come first in the file.
        """
        with self._lock:
            if self._entries is None:
                self._entries = _load(self._key)
            entries = list(self._entries.items())
        done = 0
        for key, encoded in entries:
            if done % every == 0 and stop():
                break
            try:
                value = decode(encoded)
            except Exception:  # noqa: BLE001 - a damaged entry: get() will miss it too
                continue
            with self._lock:
                self._ready[key] = value
            done += 1
        return done

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` as it is now, if its plain form rebuilds it exactly.

        Only a pickled copy is taken here (layout goes on changing the
        value); the plain form is made from it by :meth:`save`, once the
        document is written, and checked against the copy.
        """
        try:
            copy = pickle.dumps(value, protocol=4)
        except Exception:  # noqa: BLE001 - anything pickle refuses is not kept
            return
        with self._lock:
            self._used[key] = _Pending(copy)
            self._fresh = True

    def save(self) -> None:
        """Write the file when this process parsed something new.

        Called once a document is done: what it used comes first in the
        file, and is forgotten here (a window's process makes many).
        """
        with self._lock:
            used, self._used = self._used, {}
            self._ready = {}
            fresh, self._fresh = self._fresh, False
        if not fresh:
            return
        kept = {}
        for key, value in used.items():  # the plain forms of what was put: the slow part
            encoded = value.encoded() if isinstance(value, _Pending) else value
            if encoded is not None:
                kept[key] = encoded
        with self._lock:
            for key, encoded in (self._entries or {}).items():
                if len(kept) >= _MAX_ENTRIES:
                    break
                kept.setdefault(key, encoded)
            self._entries = kept
        try:
            data = marshal.dumps({"format": _FORMAT, "entries": kept})
        except ValueError:
            return
        _CACHE.put(self._key, data)


class _Pending:
    """A value put while a document is laid out, as a pickled copy."""

    __slots__ = ("copy",)

    def __init__(self, copy: bytes) -> None:
        self.copy = copy

    def encoded(self) -> Any:
        """The plain form, or None when it does not rebuild the value exactly."""
        try:
            encoded = encode(pickle.loads(self.copy))  # noqa: S301 - pickled by us, just now
            if pickle.dumps(decode(encoded), protocol=4) == self.copy:
                return encoded
        except Exception:  # noqa: BLE001, S110 - Unsupported, or anything else: not kept
            pass
        return None


def _load(key: str) -> dict[str, Any]:
    data = _CACHE.get(key)
    if data is None:
        return {}
    try:
        loaded = marshal.loads(data)  # noqa: S302 - our own cache folder
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(loaded, dict) or loaded.get("format") != _FORMAT:
        return {}
    entries = loaded.get("entries")
    return entries if isinstance(entries, dict) else {}


def style_print(style: Any) -> str:
    """Every attribute of a paragraph style, colours to full precision."""
    parts = []
    for name, value in sorted(vars(style).items()):
        if name == "parent":
            continue
        rgba = getattr(value, "rgba", None)
        shown = f"{type(value).__name__}{rgba()!r}" if callable(rgba) else repr(value)
        parts.append(f"{name}={shown}")
    return "\n".join(parts)


# -- the plain form -------------------------------------------------------------
# A value is kept as itself (str, int, float, bool, None) or as a tuple whose
# first item says what it was: ("R", n) the n-th list, dict or object met
# before (shared objects stay shared); ("L", items), ("T", items),
# ("D", pairs), ("O", "module:Class", pairs), ("C", n, pairs) an object of
# the class of object n with n's state but for pairs, ("LS", "module:Class",
# items, pairs) and ("SS", "module:Class", text, pairs) ReportLab's list and
# str subclasses, ("H", "module:Class", width, [fragment, text, ...]) a word
# of a line breaking (a list subclass holding its width, then fragment and
# text pairs), a fragment met before given by its number alone: words are
# most of a kept line breaking, and this form rebuilds one in a single call.
# Lists, dicts and objects are numbered as they are met, depth first, on both
# sides.


def encode(value: Any) -> Any:
    return _Encoder().encode(value)


class _Encoder:
    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.alive: list = []  # ids stay unique while encoding
        # The last object of each class, finished: (its number, its state).
        self.last: dict[type, tuple[int, dict]] = {}

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PRIMITIVES:
            return value
        if kind is tuple:
            return ("T", [self.encode(v) for v in value])
        seen = self.seen
        number = seen.get(id(value))
        if number is not None:
            return ("R", number)
        number = seen[id(value)] = len(seen)
        self.alive.append(value)
        if kind is list:
            return ("L", [self.encode(v) for v in value])
        if kind is dict:
            return ("D", [(self.encode(k), self.encode(v)) for k, v in value.items()])
        if kind not in _PLAIN:
            _check_plain_class(kind)
            _PLAIN.add(kind)
        name = _name_of(kind)
        if isinstance(value, list):  # ReportLab's marked words and lines
            state = vars(value)
            if not state and _is_word(value):
                return ("H", name, value[0], self._word_parts(value))
            pairs = [(key, self.encode(v)) for key, v in state.items()]
            return ("LS", name, [self.encode(v) for v in value], pairs)
        if isinstance(value, str):
            pairs = [(key, self.encode(v)) for key, v in vars(value).items()]
            return ("SS", name, str(value), pairs)
        state = vars(value)
        base = self.last.get(kind)
        if base is not None and _extends(base[1], state):
            # Most frags are clones of the one before: only what differs.
            base_state = base[1]
            changed = [
                (key, self.encode(v))
                for key, v in state.items()
                if key not in base_state or not _same(base_state[key], v)
            ]
            encoded = ("C", base[0], changed)
        else:
            encoded = ("O", name, [(key, self.encode(v)) for key, v in state.items()])
        self.last[kind] = (number, state)
        return encoded

    def _word_parts(self, word: list) -> list:
        """A word's (fragment, text) pairs flat; a fragment met before is its number."""
        parts: list = []
        for fragment, text in word[1:]:
            number = self.seen.get(id(fragment))
            parts.append(number if number is not None else self.encode(fragment))
            parts.append(text)
        return parts


_NAMES: dict[type, str] = {}


def _same(kept: Any, value: Any) -> bool:
    """The same object, or an equal number (a copy made by pickle has its own
    number objects where ReportLab shared one; which one is never seen)."""
    if kept is value:
        return True
    return type(kept) is type(value) and type(value) in (int, float) and kept == value


def _name_of(kind: type) -> str:
    """ "module:Class", one string per class (marshal then writes it once)."""
    name = _NAMES.get(kind)
    if name is None:
        name = _NAMES[kind] = sys.intern(f"{kind.__module__}:{kind.__qualname__}")
    return name


def _is_word(value: list) -> bool:
    """ReportLab's word of a line breaking (``_HSFrag``, ``_SplitFrag``): its
    width, then (fragment, text) pairs, the fragment never a plain value."""
    if not value or type(value[0]) not in (int, float):
        return False
    for pair in value[1:]:
        if type(pair) is not tuple or len(pair) != 2 or type(pair[1]) is not str:
            return False
        if type(pair[0]) in _PRIMITIVES or type(pair[0]) in (tuple, list, dict):
            return False
    return True


def _extends(base: dict, state: dict) -> bool:
    """Whether ``state`` is ``base`` with values replaced and keys added at its end."""
    if len(state) < len(base):
        return False
    keys = iter(state)
    return all(key == next(keys) for key in base)


def _check_plain_class(kind: type) -> None:
    """Only ReportLab classes whose whole state is their ``__dict__``."""
    if not kind.__module__.startswith("reportlab."):
        raise Unsupported(kind)
    if (
        kind.__reduce_ex__ is not object.__reduce_ex__
        or kind.__reduce__ is not object.__reduce__
        or getattr(kind, "__getstate__", object.__getstate__) is not object.__getstate__
        or hasattr(kind, "__setstate__")
        or any("__slots__" in vars(k) for k in kind.__mro__)
        or (issubclass(kind, str) and kind.__new__ is not str.__new__)
        or (issubclass(kind, list) and kind.__new__ is not list.__new__)
        or not (issubclass(kind, (list, str)) or kind.__new__ is object.__new__)
    ):
        raise Unsupported(kind)


def decode(encoded: Any) -> Any:
    return _decode(encoded, [])


def _decode(encoded: Any, made: list) -> Any:
    # Plain values are most of an entry: tested inline, not by a call each.
    if type(encoded) is not tuple:
        return encoded
    tag = encoded[0]
    if tag == "R":
        return made[encoded[1]]
    if tag == "H":  # a word: ("H", class, width, [fragment or its number, text, ...])
        word = list.__new__(_class(encoded[1]))
        made.append(word)
        items = [encoded[2]]
        parts = encoded[3]
        for index in range(0, len(parts), 2):
            fragment = parts[index]
            fragment = made[fragment] if type(fragment) is int else _decode(fragment, made)
            items.append((fragment, parts[index + 1]))
        list.extend(word, items)
        return word
    if tag == "T":
        return tuple([v if type(v) is not tuple else _decode(v, made) for v in encoded[1]])
    if tag == "L":
        items: list = []
        made.append(items)
        items.extend([v if type(v) is not tuple else _decode(v, made) for v in encoded[1]])
        return items
    if tag == "C":
        base = made[encoded[1]]
        made_object = object.__new__(type(base))
        made.append(made_object)
        state = made_object.__dict__
        state.update(base.__dict__)
        for name, v in encoded[2]:
            state[name] = v if type(v) is not tuple else _decode(v, made)
        return made_object
    if tag == "LS":
        made_list = list.__new__(_class(encoded[1]))
        made.append(made_list)
        state = made_list.__dict__
        for name, v in encoded[3]:  # as encoded: state before items
            state[name] = v if type(v) is not tuple else _decode(v, made)
        items = [v if type(v) is not tuple else _decode(v, made) for v in encoded[2]]
        list.extend(made_list, items)
        return made_list
    if tag == "O":
        kind = _class(encoded[1])
        made_object = kind.__new__(kind)
        made.append(made_object)
        state = made_object.__dict__
        for name, v in encoded[2]:
            state[name] = v if type(v) is not tuple else _decode(v, made)
        return made_object
    if tag == "D":
        mapping: dict = {}
        made.append(mapping)
        for k, v in encoded[1]:
            key = _decode(k, made)
            mapping[key] = _decode(v, made)
        return mapping
    if tag == "SS":
        made_text = str.__new__(_class(encoded[1]), encoded[2])
        made.append(made_text)
        state = made_text.__dict__
        for name, v in encoded[3]:
            state[name] = _decode(v, made)
        return made_text
    raise Unsupported(tag)


def _class(name: str) -> type:
    kind = _CLASSES.get(name)
    if kind is None:
        module, _, qualname = name.partition(":")
        if not module.startswith("reportlab."):
            raise Unsupported(name)
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
        if not isinstance(found, type):
            raise Unsupported(name)
        _check_plain_class(found)
        kind = _CLASSES[name] = found
    return kind
