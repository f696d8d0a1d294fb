"""The filters of docs/templates.md that format numbers, counts and names
for reader text: ``number``, ``percent``, ``words``, ``counted``,
``leading``, ``plural``, ``year``, ``money``, ``amount``, ``join_names``
(registered by :meth:`briefing_app.assembly.helpers.Helpers.filters`)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from briefing_app.assembly.amounts import amount
from briefing_app.assembly.budget import BuildLimits
from briefing_app.assembly.fields import field_path
from briefing_app.assembly.placeholders import neutral
from briefing_app.assembly.safe_filters import text_size


class HelperError(ValueError):
    """A helper was called wrongly; the sandbox reports it with the line."""


JOINED_CHARS = 1_000_000  # join_names: as long as any value may grow in a template
_NO_SPACE_UNITS = ("%", "‰", "°")


def number(value: Any, decimals: int | None = 0) -> str:
    """1234567 -> "1,234,567"; ``decimals=None`` keeps the decimals a value has."""
    x = _float(value)
    if decimals is None:
        shortest = f"{x:.6f}".rstrip("0").rstrip(".")
        decimals = len(shortest.split(".")[1]) if "." in shortest else 0
    return f"{x:,.{_decimals(decimals)}f}"


def percent(value: Any, decimals: int = 1) -> str:
    """20.2 -> "20.2%" (the value is already in percent)."""
    return f"{_float(value):,.{_decimals(decimals)}f}%"


def _decimals(value: Any) -> int:
    """A number of decimals, bounded before any formatting allocates it."""
    most = BuildLimits.decimals
    n = _float(value)
    if not 0 <= n <= most:
        raise HelperError(f"decimals must be between 0 and {most}, not {value!r}")
    return int(n)


def join_names(records: Iterable[Any], attr: str = "name", most: Any = None) -> str:
    """["A", "B", "C"] (or records' ``attr``) -> "A, B and C".

    ``most`` caps the names written out: ``join_names(clusters, most=2)`` of
    five clusters gives "A, B and 3 more" (one too many is simply named). A
    sentence that names every record reads badly past a handful, and a
    large knowledge base would put thousands of names in one paragraph.
    """
    items = records if isinstance(records, Sequence) else list(records)
    cap = len(items) if most is None else max(1, int(_float(most)))
    if len(items) == cap + 1:
        cap += 1  # "A, B and 1 more" says less than "A, B and C"
    names = []
    total = 0
    for r in items[:cap]:
        value = r if isinstance(r, str) else field_path(r, attr)
        total += text_size(value, JOINED_CHARS + 1) + 2  # measured before str()
        if total > JOINED_CHARS:
            raise HelperError(f"join_names: the names are over {JOINED_CHARS:,} characters")
        names.append(str(value))
    if len(items) > cap:
        return f"{', '.join(names)} and {len(items) - cap:,} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def words(value: Any) -> str:
    """A count as running text writes it (EU Interinstitutional Style Guide):
    one to nine in words, 10 and above in digits: 3 -> "three", 12 -> "12",
    1500 -> "1,500". Tables, amounts and indicator figures keep digits."""
    x = _float(value)
    if x.is_integer() and 0 <= x <= 9:
        return NUMBER_WORDS[int(x)]
    return number(x, None)


def counted(count: Any, singular: Any, plural_form: Any = None) -> str:
    """A count with its noun: 1 -> "one cluster", 3 -> "three clusters",
    12 -> "12 clusters", 0 -> "no clusters"."""
    noun = plural(count, _label(singular, 200, "counted(): the noun"), plural_form)
    if plural_form is not None:
        noun = _label(noun, 200, "counted(): the plural")
    return f"no {noun}" if _float(count) == 0 else f"{words(count)} {noun}"


def leading(counts: Iterable[Any], most: Any = 3) -> list:
    """The (name, count) pairs that stand out, largest first, at most ``most``:
    those above the smallest count. Empty when no count stands out (all
    equal, or none above one), so a text claims no concentration that the
    figures do not show: ``{% set top = kb.clusters_by_sector()|leading %}``."""
    pairs = []
    for pair in _bounded(counts, BuildLimits.chart_categories * 100):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise HelperError("leading: give (name, count) pairs")
        pairs.append((pair[0], _float(pair[1])))
    if not pairs:
        return []
    ordered = sorted(pairs, key=lambda pair: -pair[1])
    low, top = ordered[-1][1], ordered[0][1]
    if top <= 1 or top == low:
        return []
    cap = max(1, int(_float(most)))
    return [(name, int(n) if n.is_integer() else n) for name, n in ordered if n > low][:cap]


def plural(count: Any, singular: str, plural_form: str | None = None) -> str:
    """The word that goes with ``count``."""
    return singular if _float(count) == 1 else (plural_form or singular + "s")


def year(value: Any) -> str:
    """A year from an int, a float or an ISO date string."""
    if isinstance(value, str):
        found = re.search(r"\d{4}", value)
        return found.group(0) if found else value
    return str(int(_float(value)))


def money(value: Any, currency: str = "EUR") -> str:
    """A sum given in millions: 170136 -> "EUR 170.1 billion"."""
    return amount(_float(value), f"{currency} million")


def amount_filter(value: Any, unit: Any = "", decimals: Any = None) -> str:
    """``{{ x|amount('EUR million') }}`` -> "EUR 170.1 billion" (amounts.amount)."""
    return amount(_float(value), str(unit or ""), None if decimals is None else int(decimals))


def with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit in _NO_SPACE_UNITS else f"{text} {unit}"


def _float(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise HelperError(f"{value!r} is not a number") from None
    if math.isnan(x) or math.isinf(x):
        raise HelperError(f"{value!r} is not a finite number")
    return x


def _label(value: Any, most: int, what: str) -> str:
    """A caption, header or chart label: text of at most ``most`` characters."""
    if not isinstance(value, str) and text_size(value, most + 1) > most:
        raise HelperError(f"{what} is over {most:,} characters")  # measured before str()
    text = neutral(str(value))
    if len(text) > most:
        raise HelperError(f"{what} is over {most:,} characters")
    return text


def _bounded(items: Iterable[Any], most: int) -> list:
    """At most ``most`` items of ``items`` (taken lazily: a huge or endless
    iterable is never listed whole)."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise HelperError(f"a list is needed, not {type(items).__name__}")
    return list(islice(items, most))
