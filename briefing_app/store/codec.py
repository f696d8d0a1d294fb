"""Converting field values between records, database rows and file cells.

A *cell* is the text form used in CSV files (and accepted in JSON): tuples
joined with ``;``, booleans ``true``/``false``, empty for None. Parsing a cell
reports a plain-words problem instead of raising, so an import can collect
every problem of a file in one pass.
"""

from __future__ import annotations

import functools
import math
import re
import reprlib
import unicodedata

from briefing_app.store.entities import EntitySpec

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_RE = re.compile(r"^[A-Z]{2}$")

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_RE = re.compile(r"^'+[=+\-@\t\r]")
_NEEDS_ESCAPE_RE = re.compile(r"^'*[=+\-@\t\r]")

# Characters no cell may hold: the C0 controls but tab, line feed and carriage
# return; DEL and the C1 controls; the Unicode line and paragraph separators.
# They show nothing and each output treats them its own way: the renderers
# drop most (XML 1.0 forbids the C0 ones in a Word file), Markdown turns NUL
# into U+FFFD, a terminal runs escape sequences. In a UTF-8 file, C1 controls
# are mostly the trace of a wrong conversion.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0x2028: "line separator",
    0x2029: "paragraph separator",
}
# Line breaks of other programs (Word and PowerPoint use the vertical tab).
_LINE_BREAKS = {0x0B, 0x0C, 0x85, 0x2028, 0x2029}

# Private-use characters the assembly reserves to mark placeholders inside
# rendered text (assembly.placeholders.OPEN and CLOSE): a value holding them
# would be taken for a marker, so no value may.
RESERVED_MARKERS = "\ue000\ue001"
_RESERVED_RE = re.compile(f"[{RESERVED_MARKERS}]")

# Characters that show nothing on their own: format characters (bidi
# controls, zero-width spaces and joiners, the BOM), combining marks without
# a letter, spaces, and the fillers that fonts draw blank.
_SHOWS_NOTHING = {"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"}
_BLANK_FILLERS = {0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0}

# Reading text from the database: a value another program wrote with bytes
# that are not UTF-8 reads with U+FFFD in their place instead of stopping the
# read (`db check` names such values). A C-level callable: no cost per value.
TEXT_FROM_DB = functools.partial(str, encoding="utf-8", errors="replace")

YEAR_MIN, YEAR_MAX = 1800, 2200
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}


def escape_formula(text: str) -> str:
    """Prefix a quote so a spreadsheet shows the cell instead of running it.

    Cells that already start with quotes before a trigger get one more, so
    that :func:`unescape_formula` gives back exactly the original text.
    """
    return "'" + text if _NEEDS_ESCAPE_RE.match(text) else text


def unescape_formula(text: str) -> str:
    return text[1:] if _ESCAPED_RE.match(text) else text


def control_problem(cell: str) -> str | None:
    """None, or the plain-words problem of a cell holding characters in CONTROL_RE.

    Names each character as a code point with its position (counted from 1),
    so that an invisible character can be found and removed.
    """
    if cell.isprintable():  # fast path: every character of CONTROL_RE is unprintable
        return None
    first = CONTROL_RE.search(cell)
    if first is None:
        return None
    found: dict[str, int] = {}
    for match in CONTROL_RE.finditer(cell, first.start()):
        found.setdefault(match.group(), match.start() + 1)
    shown = []
    for char, position in list(found.items())[:3]:
        code = ord(char)
        name = _CONTROL_NAMES.get(code)
        label = f"{name}, at character {position}" if name else f"at character {position}"
        shown.append(f"U+{code:04X} ({label})")
    if len(found) > 3:
        shown.append(f"{len(found) - 3} more")
    kind = (
        "control character"
        if all(unicodedata.category(c) == "Cc" for c in found)
        else ("invisible character")
    )
    if len(found) == 1:
        what = f"the {kind} {shown[0]}"
    else:
        what = f"the {kind}s {', '.join(shown[:-1])} and {shown[-1]}"
    it, breaks = ("it", "an ordinary line break") if len(found) == 1 else ("them", "line breaks")
    if all(ord(c) in _LINE_BREAKS for c in found):
        advice = f"replace {it} with {breaks} or remove {it}"
    else:
        advice = f"remove {it}"
    if any(0x80 <= ord(c) <= 0x9F and ord(c) != 0x85 for c in found):
        advice += " (such characters usually come from text converted from Windows-1252 wrongly)"
    return f"contains {what}; {advice}"


def reserved_problem(cell: str) -> str | None:
    """None, or the problem of a cell holding one of RESERVED_MARKERS."""
    found = _RESERVED_RE.search(cell)
    if found is None:
        return None
    count = len(_RESERVED_RE.findall(cell))
    more = f" ({count} such characters in all)" if count > 1 else ""
    return (
        f"contains U+{ord(found.group()):04X} (at character {found.start() + 1}){more}, a "
        "private-use character Briefing Builder reserves for its own markers; remove it"
    )


def character_problem(cell: str) -> str | None:
    """None, or why a value cannot be stored: control or reserved characters."""
    if cell.isprintable():  # fast path: none of them is printable
        return None
    return control_problem(cell) or reserved_problem(cell)


def shows_nothing(text: str) -> bool:
    """True for non-empty text made only of characters that show nothing on their own."""
    return bool(text) and all(
        unicodedata.category(c) in _SHOWS_NOTHING or ord(c) in _BLANK_FILLERS for c in text
    )


def invisible_problem(text: str, required: bool) -> str | None:
    """None, or the problem of a value that shows nothing although it is not empty
    (only a right-to-left override, zero-width spaces, a BOM...)."""
    if text.isascii() and not text.isspace() or not shows_nothing(text):
        return None
    shown = []
    for char in dict.fromkeys(text):
        name = unicodedata.name(char, "").lower()
        shown.append(f"U+{ord(char):04X}" + (f" ({name})" if name else ""))
    listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
    advice = "type visible text" if required else "type visible text or leave it empty"
    return f"holds only characters that show nothing ({listed}); {advice}"


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def kind_of(type_hint: object) -> str:
    """'list', 'bool', 'int', 'float' or 'str' for a record field's type."""
    text = str(type_hint)
    if "tuple" in text:
        return "list"
    if type_hint is bool or text == "bool":
        return "bool"
    if type_hint is float or "float" in text:  # "float | None" too
        return "float"
    if "int" in text:
        return "int"
    return "str"


class FieldKinds:
    """The kind of every field of an entity, computed once."""

    def __init__(self, spec: EntitySpec):
        hints = spec.types
        self.kinds = {name: kind_of(hints[name]) for name in spec.fields}
        self.optional_int = {n for n in spec.fields if "None" in str(hints[n])}


def parse_cell(kind: str, cell: str, name: str) -> tuple[object, str | None]:
    """(value, problem) for one cell; problem is None when the cell is good."""
    cell = cell.strip() if kind != "str" else cell
    if kind == "str":
        return cell, None
    if kind == "list":
        return split_list(cell), None
    if kind == "bool":
        low = cell.lower()
        if low in TRUE_WORDS:
            return True, None
        if low in FALSE_WORDS:
            return False, None
        return None, f"{cell!r} is not true or false"
    if kind == "int":
        if cell == "":
            return None, None
        try:
            number = int(cell)
        except ValueError:
            try:
                as_float = float(cell)
            except ValueError:
                return None, f"{cell!r} is not a whole number"
            if not as_float.is_integer():
                return None, f"{cell!r} is not a whole number"
            number = int(as_float)
        if ("year" in name or name == "established") and not YEAR_MIN <= number <= YEAR_MAX:
            return None, f"{number} is not a plausible year ({YEAR_MIN}-{YEAR_MAX})"
        return number, None
    if kind == "float":
        if cell == "":
            return None, "a number is required"
        try:
            number = float(cell)
        except ValueError:
            return None, f"{cell!r} is not a number"
        if math.isnan(number) or math.isinf(number):
            return None, f"{cell!r} is not a finite number"
        return number, None
    raise ValueError(kind)


def format_cell(kind: str, value: object) -> str:
    """The cell text of a typed value (no formula escaping here)."""
    if value is None:
        return ""
    if kind == "list":
        return ";".join(value)  # type: ignore[arg-type]
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        text = repr(float(value))  # type: ignore[arg-type]
        return text[:-2] if text.endswith(".0") else text
    return str(value)


_EXPECTED = {
    "str": "text in quotes",
    "list": 'a list of texts ["a", "b"]',
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
}


def json_cell(kind: str, value: object) -> tuple[str, str | None]:
    """(cell text, problem) for one JSON value of a field of ``kind``.

    JSON carries types, so each field takes only its own: text for text
    fields, true/false for yes-no fields, numbers for numbers, a list of
    texts (or the cell form "a;b") for lists; null leaves the field empty.
    Anything else is a problem rather than something converted: an object
    stored as its Python text, [2001] taken as 2001 or true as "true" would
    be data the user never wrote. Text comes back formula-escaped, as a CSV
    cell would hold it, so that parsing the cell gives exactly the value.
    """
    if value is None:
        return "", None
    if kind == "str" and isinstance(value, str):
        return escape_formula(value), None
    if kind == "list":
        if isinstance(value, str):
            return escape_formula(value), None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            joined = next((v for v in value if ";" in v), None)
            if joined is not None:
                return "", f"the entry {_shown(joined)} holds ';', which separates entries"
            return escape_formula(";".join(value)), None
    if kind == "bool" and isinstance(value, bool):
        return ("true" if value else "false"), None
    if kind in ("int", "float") and isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if kind == "float" and isinstance(value, float):
        return format_cell("float", value), None
    problem = f"must be {_EXPECTED[kind]}, not {_describe(value)}"
    if isinstance(value, str) and kind in ("int", "float"):
        problem += "; write the number without quotes"
    elif isinstance(value, int | float) and not isinstance(value, bool) and kind == "str":
        problem += "; put it in quotes if it is meant as text"
    return "", problem


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {_shown(value)}"
    if isinstance(value, int | float):
        return f"the number {_shown(value)}"
    if isinstance(value, list):
        return f"the list {_shown(value)}"
    return f"an object {_shown(value)}"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict = 2, 4, 4
_SHORT.maxstring = _SHORT.maxother = 36


def _shown(value: object, limit: int = 40) -> str:
    """A short, bounded rendering of a JSON value (containers may be huge)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        text = repr(value)
    else:
        text = _SHORT.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_json_value(kind: str, value: object) -> object:
    if kind == "list":
        return list(value)  # type: ignore[arg-type]
    return value


def to_db(kind: str, value: object, is_reference: bool) -> object:
    """A record value as stored: empty references become NULL, bools 0/1."""
    if kind == "bool":
        return 1 if value else 0
    if is_reference and value == "":
        return None
    return value


def from_db(kind: str, value: object, optional: bool) -> object:
    if kind == "bool":
        return bool(value)
    if kind == "str":
        return "" if value is None else value
    if kind == "float":
        return float(value) if value is not None else None  # type: ignore[arg-type]
    if kind == "int":
        return value if value is not None or optional else 0
    return value
