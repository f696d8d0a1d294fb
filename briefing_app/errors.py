"""Errors a user can meet. The CLI and GUI turn them into messages.

Each carries what the user needs to act on it; ``str(error)`` is that message.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class BriefingError(Exception):
    """Base of every error meant for the user rather than for a traceback."""


class StoreError(BriefingError):
    """The knowledge base cannot be opened, read or written."""


class NotFoundError(BriefingError):
    """A slug names no record."""


# Above this many known names, only those sharing the first two letters are compared.
_MANY_CANDIDATES = 5000


def unknown_message(what: str, text: str, known: Iterable[str]) -> str:
    """ "no region 'zhejang'; did you mean 'zhejiang'?" for a NotFoundError."""
    originals = {k.lower(): k for k in known}
    wanted = text.lower()
    candidates = list(originals)
    if len(candidates) > _MANY_CANDIDATES:  # 100,000 slugs: compare those alike at the start
        candidates = [c for c in candidates if c[:2] == wanted[:2]][:_MANY_CANDIDATES]
    close = difflib.get_close_matches(wanted, candidates, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(originals[c]) for c in close)}?" if close else ""
    return f"no {what} {text!r}{hint}"


class ConflictError(BriefingError):
    """A record changed since it was read (another window or process saved it)."""


@dataclass
class ImportProblem:
    line: int  # 1-based line in the file; 0 for the file as a whole
    message: str
    column: str = ""

    def __str__(self) -> str:
        if self.line:
            where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        else:  # the file as a whole, or one record saved on its own
            where = f"column {self.column!r}" if self.column else "file"
        return f"{where}: {self.message}"


class ImportValidationError(BriefingError):
    """An import file has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem], source: str = "", nothing: str = "imported"):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{head}{len(problems)} problem(s), nothing {nothing}:\n{shown}{more}")


class PackValidationError(ImportValidationError):
    """A country pack has problems in one or more of its files; nothing was imported.

    ``files`` holds (file name inside the pack, its problems); each problem
    is shown with its file, then its line and column.
    """

    def __init__(self, files: list[tuple[str, list[ImportProblem]]], source: str = ""):
        self.files = files
        self.problems = [p for _name, problems in files for p in problems]
        self.source = source
        shown = [f"  {name}, {p}" for name, problems in files for p in problems]
        more = f"\n  ... and {len(shown) - 50} more" if len(shown) > 50 else ""
        head = f"{source}: " if source else ""
        BriefingError.__init__(
            self,
            f"{head}{len(shown)} problem(s) in {len(files)} file(s) of the pack, "
            f"nothing imported:\n" + "\n".join(shown[:50]) + more,
        )


class TemplateError(BriefingError):
    """A section template does not parse or render."""

    def __init__(self, section: str, line: int | None, column: int | None, message: str):
        self.section = section
        self.line = line
        self.column = column
        self.message = message
        where = section or "template"
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {message}")


class RenderError(BriefingError):
    """A document could not be written (missing glyph, locked file, ...)."""


class MissingGlyphError(RenderError):
    """Text holds characters that no available font can draw."""

    def __init__(self, characters: str, context: str = ""):
        self.characters = characters
        self.context = context
        shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in characters[:20])
        where = f" in {context!r}" if context else ""
        super().__init__(f"no installed font can draw {shown}{where}")


class NothingToPrint(BriefingError):
    """Every section of a briefing's outline is left out for the selection:
    the message says why (no policies recorded for the country, ...)."""


class Cancelled(BriefingError):
    """The user cancelled a long job; nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled; no file was written")
