"""Filters and measures that keep a single call from allocating without bound.

Jinja's hooks see each call and operator, but a single call can build
gigabytes before returning: a list of a thousand references to one long
string is small, its text is not (``|string``, ``|join``, ``~``, printing it);
``|sum(start=[])`` is quadratic; ``|tojson(indent=...)`` multiplies the
output; ``|wordwrap`` of a long word is quadratic in textwrap. So:

- :func:`text_size` measures the text a value would become, walking it and
  stopping as soon as the limit is passed (so measuring is bounded too);
- every filter is wrapped (:func:`harden`): the deadline is checked before,
  the size of the result after, and filters that turn their value into text
  measure it first;
- ``sum``, ``tojson``, ``wordwrap``, ``indent`` and ``center`` are replaced by
  versions that bound their work; only *width* arguments are held to the
  width limit, never the text being wrapped (that was a bug: any text over
  1,000 characters was refused).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.utils import _PassArg

from briefing_app.assembly.fields import data_fields

if TYPE_CHECKING:
    from briefing_app.assembly.sandbox import _Environment

# Filters that turn their whole value into text: the text is measured first.
STRINGIFYING = frozenset(
    {
        "string",
        "e",
        "escape",
        "forceescape",
        "pprint",
        "urlize",
        "striptags",
        "title",
        "capitalize",
        "upper",
        "lower",
        "trim",
        "truncate",
        "wordcount",
        "xmlattr",
        "safe",
        "list",
    }
)
WORDWRAP_CHARS = 100_000  # textwrap breaks long words in quadratic time
_PADDING_METHODS = ("ljust", "rjust", "center", "zfill")


def text_size(value: Any, cap: int) -> int:
    """About how many characters ``str(value)`` has; stops past ``cap``."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item)
        elif item is None or isinstance(item, (bool, float)):
            total += 8
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            if total <= cap:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= cap:
                stack.extend(item)
        elif data_fields(type(item)) is not None:
            total += 40
            stack.extend(getattr(item, name) for name in data_fields(type(item)) or ())
        else:
            total += 80  # an object's repr is short
        if total > cap:
            return total
    return total


def check_method_call(env: _Environment, func: Any, args: tuple, kwargs: dict) -> tuple:
    """Methods of str, bytes and int that build big values from small ones:
    refused before the call. Returns the arguments to call with (an
    iterable given to ``join`` is listed once, to be measured)."""
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    numbers = [
        a for a in (*args, *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)
    ]
    limit = env.limits.value_chars
    if isinstance(owner, (str, bytes, bytearray)) and name == "join" and len(args) == 1:
        items = list(env.guarded_iter(args[0]))
        env.check_estimate(sum(text_size(i, limit + 1) for i in items) + len(owner) * len(items))
        return (items,)
    if isinstance(owner, (str, bytes, bytearray)) and name == "translate" and args:
        table = args[0]
        longest = max(
            (len(v) for v in getattr(table, "values", list)() if isinstance(v, (str, bytes))),
            default=1,
        )
        env.check_estimate(len(owner) * max(longest, 1))
    if isinstance(owner, (str, bytes, bytearray)):
        if name in _PADDING_METHODS and any(n > limit for n in numbers):
            raise SecurityError(f"a value grew beyond {limit:,} items")
        if name == "expandtabs" and any(n * (owner.count("\t") + 1) > limit for n in numbers):
            raise SecurityError(f"a value grew beyond {limit:,} items")
        if name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            hits = owner.count(old) if old else len(owner) + 1
            if len(owner) + hits * len(new) > limit:
                raise SecurityError(f"a value grew beyond {limit:,} items")
    elif isinstance(owner, int) and name == "to_bytes" and any(n > limit for n in numbers):
        raise SecurityError(f"a value grew beyond {limit:,} items")
    return args


def harden(env: _Environment) -> None:
    """Wrap every filter of ``env``; replace the ones that cannot be wrapped."""
    env.filters["sum"] = _safe_sum
    env.filters["tojson"] = _safe_tojson
    env.filters["wordwrap"] = _safe_wordwrap
    env.filters["indent"] = _safe_indent
    env.filters["center"] = _safe_center
    for name, func in list(env.filters.items()):
        env.filters[name] = _checked(env, name, func)


def _checked(env: _Environment, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    pass_arg = getattr(func, "jinja_pass_arg", None)
    skip = 1 if pass_arg is not None else 0
    measure = name in STRINGIFYING

    def checked(*args: Any, **kwargs: Any) -> Any:
        env.guard.check_time()
        if measure and len(args) > skip:
            env.check_text(args[skip])
        result = func(*args, **kwargs)
        env.check_result(result)
        return result

    checked.__name__ = getattr(func, "__name__", name)
    if pass_arg is not None:
        checked.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return checked


def _pass_environment(func: Callable[..., Any]) -> Callable[..., Any]:
    func.jinja_pass_arg = _PassArg.environment  # type: ignore[attr-defined]
    return func


@_pass_environment
def _safe_sum(env: _Environment, iterable: Iterable[Any], attribute: Any = None, start: Any = 0):
    """``|sum``: with a list, tuple or string start, concatenated in linear time
    with a size limit (``sum()`` copies the whole result at every item)."""
    if attribute is not None:
        iterable = map(make_attrgetter(env, attribute), iterable)
    if isinstance(start, (list, tuple, str)):
        parts: list[Any] = list(start)
        for n, item in enumerate(iterable):
            if type(item) is not type(start):
                raise TypeError(
                    f'can only concatenate {type(start).__name__} (not "{type(item).__name__}")'
                )
            parts.extend(item)
            env.check_result(parts)
            if n % 256 == 0:
                env.guard.check_time()
        return "".join(parts) if isinstance(start, str) else type(start)(parts)
    total = start
    for n, item in enumerate(iterable):
        total = total + item
        env.check_result(total)
        if n % 256 == 0:
            env.guard.check_time()
    return total


@_pass_environment
def _safe_tojson(env: _Environment, value: Any, indent: int | None = None) -> Any:
    """``|tojson``: the indent is a width; the text is built piece by piece and
    refused as soon as it passes the size limit."""
    from markupsafe import Markup

    if indent is not None:
        env.check_width(indent)
    env.check_text(value)
    limit = env.limits.value_chars
    parts: list[str] = []
    size = 0
    encoder = json.JSONEncoder(indent=indent, sort_keys=True, default=_not_json)
    for n, chunk in enumerate(encoder.iterencode(value)):
        size += len(chunk)
        if size > limit:
            raise SecurityError(f"a value grew beyond {limit:,} items")
        if n % 1024 == 0:
            env.guard.check_time()
        parts.append(chunk)
    text = "".join(parts)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@_pass_environment
def _safe_wordwrap(
    env: _Environment,
    s: str,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    """``|wordwrap``: the width and the wrap string are bounded, the text only by
    the limit textwrap can handle in time."""
    import textwrap

    env.check_width(width)
    text = str(s)
    if len(text) > WORDWRAP_CHARS:
        raise SecurityError(f"wordwrap is limited to texts of {WORDWRAP_CHARS:,} characters")
    if wrapstring is None:
        wrapstring = env.newline_sequence
    env.check_width(wrapstring)
    if int(width) < 1:
        raise ValueError("wordwrap: the width must be at least 1")
    env.check_estimate(len(text) + (len(text) // int(width) + 1) * len(wrapstring))
    return wrapstring.join(
        wrapstring.join(
            textwrap.wrap(
                line,
                width=int(width),
                expand_tabs=False,
                replace_whitespace=False,
                break_long_words=break_long_words,
                break_on_hyphens=break_on_hyphens,
            )
        )
        for line in text.splitlines()
    )


@_pass_environment
def _safe_indent(
    env: _Environment, s: str, width: int | str = 4, first: bool = False, blank: bool = False
) -> str:
    """``|indent``: the width (a number or a string) is bounded, and the result's
    size is known before it is built (width times lines)."""
    from jinja2.filters import do_indent

    env.check_width(width)
    text = str(s)
    pad = len(width) if isinstance(width, str) else int(width)
    env.check_estimate(len(text) + (text.count("\n") + 1) * pad)
    return do_indent(text, width, first, blank)


@_pass_environment
def _safe_center(env: _Environment, value: str, width: int = 80) -> str:
    """``|center``: only the width is bounded."""
    env.check_width(width)
    return str(value).center(int(width))
