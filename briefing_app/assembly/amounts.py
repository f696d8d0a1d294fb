"""Figures as a reader expects them: "EUR 222.7 billion", "2.44% of GDP", "5th".

The knowledge base keeps a value and its unit as the source gives them
("170136" in "EUR million", "73.2" in "USD 100 million"). :func:`amount`
prints them the EU Interinstitutional Style Guide way: currency code, amount,
scale, the scale chosen so that the amount reads easily ("EUR 170.1
billion", "USD 7.32 billion"). :func:`in_euro` gives the rough euro value the
checker compares figures of one series with.
"""

from __future__ import annotations

import re
from typing import Any

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_CURRENCY_UNIT = re.compile(
    r"^(?P<cur>[A-Z]{3})(?: (?P<mult>\d[\d,]*))?(?: (?P<scale>thousand|million|billion|trillion))?"
    r"(?P<rest>(?: .*)?)$"
)
_RANK = re.compile(r"^rank(?: \((?:of|out of) (?P<of>[\d,]+)\))?(?P<rest>.*)$")
_NO_SPACE = ("%", "% of GDP", "‰", "°", "%-points")
# Rough euro value of one unit of each currency (2015-2022 averages): enough
# to tell a slip of a factor of ten from exchange-rate noise, no more.
EURO_RATE = {
    "EUR": 1.0, "USD": 0.88, "CNY": 0.13, "RMB": 0.13, "GBP": 1.15, "JPY": 0.0075,
    "CHF": 0.93, "KRW": 0.00072, "INR": 0.012, "HKD": 0.11, "TWD": 0.029, "SGD": 0.65,
}  # fmt: skip


def currency_unit(unit: str) -> tuple[str, float, str] | None:
    """("EUR", 1e9, " per year") for "EUR billion per year"; None for other units."""
    found = _CURRENCY_UNIT.match(unit.strip())
    if found is None or not (
        found.group("scale") or found.group("mult") or unit.strip() == found.group("cur")
    ):
        return None
    factor = float((found.group("mult") or "1").replace(",", ""))
    factor *= SCALES.get(found.group("scale") or "", 1.0)
    return found.group("cur"), factor, found.group("rest") or ""


def _trim(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def plain_number(value: Any, decimals: int | None = None) -> str:
    """1234567 -> "1,234,567"; 2.50 -> "2.5"; ``decimals`` fixes the decimals."""
    x = float(value)
    if decimals is not None:
        return f"{x:,.{int(decimals)}f}"
    return _trim(x, 6)


def money_text(currency: str, absolute: float, decimals: int | None = None) -> str:
    """An absolute sum: ("USD", 7.32e9) -> "USD 7.32 billion"."""
    size = abs(absolute)
    for scale in ("trillion", "billion", "million"):
        if size >= SCALES[scale]:
            shown = absolute / SCALES[scale]
            places = decimals if decimals is not None else (1 if abs(shown) >= 100 else 2)
            return f"{currency} {_trim(shown, places)} {scale}"
    return f"{currency} {plain_number(absolute, decimals)}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def amount(value: Any, unit: str = "", decimals: int | None = None) -> str:
    """A value with its unit, written for the reader.

    "EUR million" 170136 -> "EUR 170.1 billion"; "USD 100 million" 73.2 ->
    "USD 7.32 billion"; "%" 20.2 -> "20.2%"; "rank (of 190)" 46 -> "46th of
    190"; "million units" 27.8 -> "27.8 million units"; no unit -> "336".
    """
    if value is None or value == "":
        return ""
    x = float(value)
    unit = (unit or "").strip()
    money = currency_unit(unit)
    if money is not None:
        currency, factor, rest = money
        return money_text(currency, x * factor, decimals) + rest
    rank = _RANK.match(unit)
    if rank is not None and x == int(x):
        text = ordinal(int(x))
        if rank.group("of"):
            text += f" of {rank.group('of')}"
        return text + rank.group("rest")
    text = plain_number(x, decimals)
    if not unit:
        return text
    if unit in _NO_SPACE or unit.startswith("% "):
        return text + unit
    return f"{text} {unit}"


_COUNT_UNIT = re.compile(r"^[a-z]+(?:[ -][a-z]+)*$")


def is_count_unit(unit: Any) -> bool:
    """Whether ``unit`` names things counted one by one ("clusters",
    "joint projects"): plain lower-case words, no currency, scale ("million
    units"), symbol ("GW", "%") or rank."""
    text = str(unit or "").strip()
    if not _COUNT_UNIT.match(text) or text.startswith("rank"):
        return False
    return not any(word in SCALES for word in re.split(r"[ -]", text))


def in_euro(value: Any, unit: str) -> float | None:
    """The rough euro value of an amount, None when the unit is no currency
    this module knows."""
    money = currency_unit(unit or "")
    if money is None:
        return None
    currency, factor, _rest = money
    rate = EURO_RATE.get(currency)
    return None if rate is None else float(value) * factor * rate


def bracketed(name: Any, detail: Any) -> str:
    """``name`` with ``detail`` (a year, a note) in brackets, said once.

    "R&D investment" + 2021 -> "R&D investment (2021)". A name that already
    ends in brackets takes the detail inside them, never a second pair:
    "Forecast vehicle sales (CAAM)" + 2019 -> "Forecast vehicle sales (CAAM,
    2019)". A detail the name already holds is left out: "Life expectancy
    target (Healthy China 2030)" + 2030 stays as it is.
    """
    text = " ".join(str(name).split())
    extra = " ".join(str(detail).split()) if detail is not None else ""
    if not extra or re.search(rf"(?<!\w){re.escape(extra)}(?!\w)", text):
        return text
    first_year = re.search(r"(?<!\d)\d{4}(?!\d)", extra)
    if first_year and re.search(rf"(?<!\d){first_year.group()}(?!\d)", text):
        return text  # "Healthy China 2030" needs no "(2016-2030)"
    if text.endswith(")") and _final_group_start(text) > 0:
        return f"{text[:-1]}, {extra})"
    return f"{text} ({extra})"


def _final_group_start(text: str) -> int:
    """Index of the "(" that the closing ")" of ``text`` matches, or -1."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return -1
