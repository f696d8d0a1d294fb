"""The one allowlist for reading named parts of values a template hands over.

A template passes values to helpers (``table()`` column paths, ``join_names``'s
attribute, the records given to ``kb``) and those helpers read named parts of
them. Reading them with plain ``getattr`` let a column path such as
``gi_frame.f_globals...`` walk from a generator to ``os.environ``: the stock
sandbox guards attribute access in template code, not inside our Python.

So every such read goes through :func:`data_field`, and the sandbox's own fast
path for record attributes uses :func:`data_fields`: the same list for both.
Only data can be read:

- the public fields of the knowledge base's records (frozen dataclasses of
  ``briefing_app.store.records``) and of the groupings ``kb`` builds from them
  (``briefing_app.assembly.record_groups``: fields and their properties);
- the keys of plain dicts (``dict`` and its subclasses, never another
  ``Mapping`` such as ``os.environ``);
- the fields of named tuples (Jinja's ``groupby`` groups: grouper, list);
- list and tuple items by their number.

Anything else (generators, frames, functions, modules, classes, the ``kb``
object itself) is refused with :class:`FieldError`, whatever the name.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jinja2.exceptions import SecurityError

from briefing_app.assembly.listed_text import reader_value

DATA_MODULES = ("briefing_app.store.records", "briefing_app.assembly.record_groups")
_fields_seen: dict[type, frozenset[str] | None] = {}


class FieldError(SecurityError):
    """A template asked for a part of a value that is not a data field."""


def data_fields(kind: type) -> frozenset[str] | None:
    """The readable names of a record type, else None (not a record type).

    Subclasses do not count: only the exact classes of the two data modules.
    """
    try:
        return _fields_seen[kind]
    except KeyError:
        pass
    found = None
    if (
        getattr(kind, "__module__", None) in DATA_MODULES
        and dataclasses.is_dataclass(kind)
        and isinstance(kind, type)
        and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
    ):
        names = {f.name for f in dataclasses.fields(kind)}
        names |= {n for n, v in vars(kind).items() if isinstance(v, property)}
        found = frozenset(n for n in names if not n.startswith("_"))
    _fields_seen[kind] = found
    return found


def is_record(value: Any) -> bool:
    """True for a record of the knowledge base or a grouping of records."""
    return data_fields(type(value)) is not None


def data_field(value: Any, name: str, default: Any = None) -> Any:
    """``value``'s part called ``name`` (``default`` if a dict lacks it).

    Raises FieldError for any name that is not a data field of a data value.
    """
    name = str(name)
    if isinstance(value, dict):
        return value.get(name, default)
    if isinstance(value, (list, tuple)) and name.isdigit():
        index = int(name)
        return value[index] if index < len(value) else default
    fields = data_fields(type(value))
    if fields is not None and name in fields:
        return record_value(value, name)
    if fields is None and isinstance(value, tuple):
        fields = _named_tuple_fields(type(value))
    if fields is not None and name in fields:
        return getattr(value, name)
    what = type(value).__name__
    if fields is None:
        raise FieldError(f"{name!r} cannot be read: a {what} is not a record or a dict")
    raise FieldError(f"{name!r} is not a field of {what}")


def record_value(record: Any, name: str) -> Any:
    """Field ``name`` of a record (``name`` checked by the caller) as the
    reader reads it: list-like text fields joined as prose
    (:mod:`briefing_app.assembly.listed_text`), everything else as stored."""
    return reader_value(type(record).__name__, name, getattr(record, name))


def field_path(value: Any, path: str) -> Any:
    """A dotted path (``"sectors.0"``, ``"region.name"``) through :func:`data_field`;
    None as soon as a step is None or missing from a dict."""
    for part in str(path).split("."):
        value = data_field(value, part)
        if value is None:
            return None
    if callable(value):
        raise FieldError(f"{path!r} is not a field")
    return value


def record_slug(value: Any) -> Any:
    """A record (or dict with a slug) -> its slug; strings, None and any other
    value are returned as they are, never read."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) or is_record(value):
        return data_field(value, "slug", value) if _has_slug(value) else value
    return value


def _has_slug(value: Any) -> bool:
    if isinstance(value, dict):
        return "slug" in value
    return "slug" in (data_fields(type(value)) or ())


def _named_tuple_fields(kind: type) -> frozenset[str] | None:
    names = getattr(kind, "_fields", None)
    if isinstance(names, tuple) and all(isinstance(n, str) for n in names):
        return frozenset(n for n in names if not n.startswith("_"))
    return None
