"""Where a template went wrong: the line and column a sandbox error points
at, and its message in the words a section writer reads (for
:mod:`briefing_app.assembly.sandbox`)."""

from __future__ import annotations

import re
from types import TracebackType
from typing import TYPE_CHECKING

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError

from briefing_app.errors import BriefingError

if TYPE_CHECKING:
    from briefing_app.assembly.sandbox import TemplateSandbox

_FILENAME_PREFIX = "<section "  # compiled templates' file names: "<section NAME>"


def _template_line(tb: TracebackType | None, name: str) -> int | None:
    """The template line of the innermost frame that ran template code."""
    line = None
    filename = f"{_FILENAME_PREFIX}{name}>"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _message(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed: {exc}"
    if isinstance(exc, UndefinedError):
        return f"undefined: {exc}"
    if isinstance(exc, BriefingError):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, (ValueError, TypeError)) else text


def _guess_column(sandbox: TemplateSandbox, source: str, line: int) -> int:
    """Jinja reports no column: point at the first tag on the line that fails alone."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return 1
    text = lines[line - 1]
    tags = list(re.finditer(r"\{\{.*?(\}\}|$)|\{%.*?(%\}|$)", text))
    for match in tags:
        try:
            sandbox.env.parse(match.group(0))
        except TemplateSyntaxError as exc:
            # A block tag parsed alone misses its end tag: that is not its fault.
            if "end of template" not in str(exc.message):
                return match.start() + 1
    if tags:
        return tags[-1].start() + 1
    stripped = len(text) - len(text.lstrip())
    return stripped + 1


def _runtime_column(source: str, line: int, message: str) -> int | None:
    """Jinja gives a failing line but no column: the name the message quotes
    ("'regoin' is undefined", "... has no attribute 'nme'") where a tag of
    the line uses it, else the line's only tag; None when that is unclear."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    tags = list(re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", text))
    for quoted in reversed(re.findall(r"'([A-Za-z_]\w*)'", message)):
        for tag in tags:
            found = re.search(rf"\b{re.escape(quoted)}\b", tag.group(0))
            if found:
                return tag.start() + found.start() + 1
    return tags[0].start() + 1 if len(tags) == 1 else None


def _tag_column(source: str, line: int) -> int | None:
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return None
    found = re.search(r"\{%-?\s*(include|import|from|extends)\b", lines[line - 1])
    return found.start() + 1 if found else None


def _word_column(source: str, line: int, word: str) -> int | None:
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return None
    found = re.search(rf"\b{word}\b", lines[line - 1])
    return found.start() + 1 if found else None
