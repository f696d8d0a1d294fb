"""Reader-text rules that need the knowledge base (see reader_check).

- ``unofficial-acronym``: an acronym the data marks as not official (a record
  with ``acronym`` and a false ``acronym_official``) printed in the text. A
  knowledge base without that field gives no finding: nothing tells an
  official acronym from a made-up one there.
- ``series-factor``: two figures of one quantity printed in the briefing that
  disagree by a factor of ten or more (five or more when they come from
  different series or currencies, where exchange rates are only rough). A
  figure counts as printed when its value, written the way ``amount`` writes
  it (or as "value unit"), occurs in the text. One quantity: names that say
  the same once "total", parentheses and synonyms (expenditure, investment,
  spending) are set aside (a series field groups parts of a whole, such as
  wind and solar capacity, so it is not enough). Amounts in
  different currencies are compared in euros at rough rates (amounts.EURO_RATE).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from briefing_app.assembly.amounts import amount, currency_unit, in_euro, plain_number
from briefing_app.assembly.reader_check import Finding, Unit

OFFICIAL_FLAGS = ("acronym_official", "official_acronym", "acronym_is_official")
_SYNONYMS = {
    "expenditure": "spending",
    "expenditures": "spending",
    "investment": "spending",
    "investments": "spending",
    "spend": "spending",
    "outlays": "spending",
    "gross": "",
    "total": "",
    "overall": "",
    "annual": "",
    "the": "",
    "on": "",
}


def check_with_data(units: list[Unit], store: Any, country: str | None) -> list[Finding]:
    return check_with_facts(units, DataFacts.read(store, country))


class DataFacts:
    """What the data rules read from the knowledge base, read once.

    With these in hand the rules need no store: ``briefing build`` checks
    in a forked process (``cli_check_aside``), which must not use the
    parent's SQLite connection.
    """

    def __init__(self, acronyms: set[str], indicators: list | None) -> None:
        self.acronyms = acronyms
        self.indicators = indicators  # None: the store could not say

    @classmethod
    def read(cls, store: Any, country: str | None) -> DataFacts:
        try:
            indicators = list(
                store.indicators(country=country) if country else store.records("indicators")
            )
        except Exception:
            indicators = None
        return cls(unofficial_acronyms(store), indicators)


def check_with_facts(units: list[Unit], facts: DataFacts) -> list[Finding]:
    found = list(_unofficial_acronyms(units, facts.acronyms))
    found.extend(_series_factor(units, facts.indicators))
    return found


# -- acronyms -------------------------------------------------------------------


def unofficial_acronyms(store: Any) -> set[str]:
    """Acronyms that a record marks as not official (empty when no record can say)."""
    names: set[str] = set()
    for entity in ("partnerships", "organisations", "clusters", "policies"):
        try:
            records = store.records(entity)
        except Exception:  # an entity this knowledge base does not have
            continue
        for record in records:
            acronym = str(getattr(record, "acronym", "") or "").strip()
            flags = [getattr(record, name) for name in OFFICIAL_FLAGS if hasattr(record, name)]
            if acronym and flags and not any(_truthy(flag) for flag in flags):
                names.add(acronym)
    return names


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return bool(value)


def _unofficial_acronyms(units: list[Unit], acronyms: set[str]) -> Iterable[Finding]:
    if not acronyms:
        return
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(acronyms))) + r")(?![\w-])"
    )
    for unit in units:
        if unit.kind == "footnote":
            continue
        for match in pattern.finditer(unit.text):
            start, end = match.span()
            yield Finding(
                "unofficial-acronym",
                unit.where,
                unit.text[max(0, start - 40) : end + 40].strip(),
                f"{match.group(1)!r} is not an official acronym",
            )


# -- figures of one quantity ----------------------------------------------------------


def concept(name: str) -> str:
    """What a figure measures, with wording that does not change it set aside."""
    text = re.sub(r"\([^)]*\)", " ", name.lower())
    words = [_SYNONYMS.get(w, w) for w in re.findall(r"[\w&]+", text)]
    return " ".join(sorted(w for w in words if w))


def printed_forms(indicator: Any) -> tuple[str, ...]:
    unit = indicator.unit or ""
    forms = {amount(indicator.value, unit)}
    raw = plain_number(indicator.value)
    forms.add(f"{raw} {unit}".strip())
    forms.add(f"{float(indicator.value):,.0f} {unit}".strip())
    return tuple(f for f in forms if any(ch.isdigit() for ch in f))


def _series_factor(units: list[Unit], indicators: list | None) -> Iterable[Finding]:
    if indicators is None:
        return
    text = "\n".join(u.text for u in units if u.kind != "footnote")
    # Each number printed, once: a form whose number is not among them cannot
    # occur, which spares a search of the whole text per form (a long briefing
    # and hundreds of indicators made that the slowest step of a build).
    numbers = set(_NUMBER.findall(text))
    printed = []
    for indicator in indicators:
        if indicator.value is None:
            continue
        forms = [f for f in printed_forms(indicator) if _NUMBER.findall(f)[0] in numbers]
        form = next((f for f in forms if _occurs(f, text)), None)
        if form is not None:
            printed.append((indicator, form))
    by_concept: dict[str, list] = {}
    for indicator, form in printed:
        key = concept(indicator.name)
        by_concept.setdefault(key, []).append((indicator, form))
    seen: set[tuple[str, str]] = set()
    for members in by_concept.values():
        for (a, form_a), (b, form_b) in combinations(members, 2):
            pair = tuple(sorted((a.slug, b.slug)))
            if pair in seen:
                continue
            ratio, loose = _ratio(a, b)
            if ratio is None or ratio < (5 if loose else 10):
                continue
            seen.add(pair)  # type: ignore[arg-type]
            yield Finding(
                "series-factor",
                "figures",
                f"{a.name} ({a.year}): {form_a} / {b.name} ({b.year}): {form_b}",
                f"the two figures differ by a factor of {ratio:.0f}; check the data",
            )


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _occurs(form: str, text: str) -> bool:
    """``form`` printed in ``text`` as a whole number (not inside a longer one).

    A plain substring search with the edges checked by hand: a regular
    expression with look-arounds took milliseconds per form on a long briefing.
    """
    start = text.find(form)
    while start != -1:
        before = text[start - 1] if start else ""
        end = start + len(form)
        after = text[end] if end < len(text) else ""
        if not (before and (before.isdigit() or before in ".,")) and not after.isdigit():
            return True
        start = text.find(form, start + 1)
    return False


def _ratio(a: Any, b: Any) -> tuple[float | None, bool]:
    """(how many times the larger figure is the smaller, compared loosely?)."""
    loose = a.name.lower() != b.name.lower()
    euro_a, euro_b = in_euro(a.value, a.unit), in_euro(b.value, b.unit)
    if euro_a is not None and euro_b is not None:
        x, y = abs(euro_a), abs(euro_b)
        loose = loose or currency_unit(a.unit)[0] != currency_unit(b.unit)[0]  # type: ignore[index]
    elif (a.unit or "") == (b.unit or "") and not (a.unit or "").startswith(("%", "rank")):
        x, y = abs(float(a.value)), abs(float(b.value))
    else:
        return None, loose
    if min(x, y) == 0:
        return None, loose
    return max(x, y) / min(x, y), loose
