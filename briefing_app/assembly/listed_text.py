"""List-like text fields as the reader reads them.

A policy's objectives, focus, beneficiaries, authorities and instruments are
often imported as items joined with ";" ("Cluster organisations;SMEs",
"Build a first plant.;Train engineers"). What a template reads of such a
field is :func:`listed`'s prose: phrases become one list ("cluster
organisations and SMEs"), sentences become sentences, and text that already
reads as prose ("SMEs; research organisations; start-ups") is left as it is.

The one place that applies it is :func:`briefing_app.assembly.fields.record_value`,
behind every read of a record field by a template or a helper (the sandbox's
attribute access, ``table()`` columns, ``join_names``), so no template has to
remember a filter. The store keeps the text as imported (an export gives it
back byte for byte); only what is printed changes.
"""

from __future__ import annotations

import re
from typing import Any

# record type name -> its list-like text fields
LISTED_FIELDS: dict[str, frozenset[str]] = {
    "Policy": frozenset(
        {
            "objectives",
            "focus",
            "beneficiaries",
            "authorities",
            "financial_instruments",
            "technical_instruments",
        }
    ),
}
_SENTENCE_END = (".", "!", "?")
_JOINED = re.compile(r",| and | or ")  # an item holding these needs "; " between items


def reader_value(kind: str, name: str, value: Any) -> Any:
    """``value`` of field ``name`` of a ``kind`` record, as printed."""
    if isinstance(value, str) and ";" in value and name in LISTED_FIELDS.get(kind, ()):
        return listed(value)
    return value


def listed(text: str) -> str:
    """Items joined with ";" as prose (see the module doc)."""
    items = [item.strip() for item in _split(text)]
    items = [item for item in items if item.strip(" ;")]
    if len(items) <= 1:
        return items[0] if items else ""
    if _reads_as_prose(text, items):
        return text.strip()
    if any(item.endswith(_SENTENCE_END) for item in items[:-1]):
        return " ".join(_sentence(item) for item in items)
    phrases = [items[0]] + [_in_list(item) for item in items[1:]]
    if any(_JOINED.search(p) for p in phrases):
        return "; ".join(phrases)
    return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


def _split(text: str) -> list[str]:
    """``text`` cut at each ";" that is not inside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char == ";" and not depth:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _reads_as_prose(text: str, items: list[str]) -> bool:
    """Items already joined as an English list: "a; b; c" with a space after
    each ";", no item ending a sentence before the last, none after the first
    opening with a capitalised common word."""
    if re.search(r";(?! )", text.strip()) or re.search(r" ;", text):
        return False
    if any(item.endswith(_SENTENCE_END) for item in items[:-1]):
        return False
    return all(_in_list(item) == item for item in items[1:])


def _sentence(item: str) -> str:
    item = item[:1].upper() + item[1:]
    return item if item.endswith(_SENTENCE_END) else item + "."


def _in_list(item: str) -> str:
    """An item as it reads after the first one of a list: "Link clusters with
    universities" -> "link clusters with universities"; a name ("Ministry of
    Economy"), an acronym ("SMEs") or a word with capitals inside keeps its case."""
    words = item.split()
    first = words[0] if words else ""
    if len(first) < 2 or not first[0].isupper() or first[1:] != first[1:].lower():
        return item
    if any(w[:1].isupper() and w[1:].islower() for w in words[1:]):
        return item  # a name: another capitalised word ("Ministry of Economy")
    return first[0].lower() + item[1:]
