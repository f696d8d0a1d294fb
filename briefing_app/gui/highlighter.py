"""Syntax colouring for section templates (Markdown with Jinja2) and for diffs.

The template highlighter colours the Markdown a consultant writes (headings,
emphasis, lists, links, footnotes, tables, code) and, on top of it, the Jinja2
parts ({{ expressions }}, {% statements %}, {# comments #}), so that the logic
of a template stands out from its prose. Jinja wins where both apply: a
``{{ sector.name }}`` inside a heading is still shown as an expression.

Jinja comments and statements may run over several lines; the highlighter
carries "inside a comment" / "inside a statement" / "inside a code fence"
from one line to the next through Qt's block state.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

# Block states carried to the next line.
NORMAL = 0
IN_COMMENT = 1  # inside {# ... #}
IN_STATEMENT = 2  # inside {% ... %}
IN_EXPRESSION = 3  # inside {{ ... }}
IN_FENCE = 4  # inside a ``` code fence

_OPENERS = {"{#": IN_COMMENT, "{%": IN_STATEMENT, "{{": IN_EXPRESSION}
_CLOSERS = {IN_COMMENT: "#}", IN_STATEMENT: "%}", IN_EXPRESSION: "}}"}
_JINJA_OPEN_RE = re.compile(r"\{[#%{]-?")

JINJA_KEYWORDS = (
    "if elif else endif for endfor in not and or is set endset macro endmacro call "
    "endcall filter endfilter with endwith block endblock raw endraw true false none "
    "True False None loop"
).split()
_KEYWORD_RE = re.compile(r"\b(?:" + "|".join(JINJA_KEYWORDS) + r")\b")
_STRING_RE = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_FILTER_RE = re.compile(r"\|\s*([A-Za-z_]\w*)")
_NUMBER_RE = re.compile(r"\b\d+(?:\.\d+)?\b")

_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_QUOTE_RE = re.compile(r"^\s{0,3}>")
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE_RE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_RE = re.compile(r"(?<![*\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*\w])")
_CODE_RE = re.compile(r"`[^`\n]+`")
_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_FOOTNOTE_RE = re.compile(r"\[\^[^\]\n]+\]:?")
_TABLE_PIPE_RE = re.compile(r"\|")


def _fmt(
    colour: str, bold: bool = False, italic: bool = False, background: str | None = None
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if background:
        fmt.setBackground(QColor(background))
    return fmt


class TemplateFormats:
    """The colours of a template; one place to retune them."""

    def __init__(self) -> None:
        self.heading = _fmt("#1f3f73", bold=True)
        self.bold = _fmt("#202020", bold=True)
        self.italic = _fmt("#202020", italic=True)
        self.code = _fmt("#7a3e00", background="#f4f1ea")
        self.list_marker = _fmt("#b05a00", bold=True)
        self.quote = _fmt("#5a6b7d", italic=True)
        self.link = _fmt("#1565c0")
        self.link.setFontUnderline(True)
        self.footnote = _fmt("#6a1b9a")
        self.table_pipe = _fmt("#8a8a8a", bold=True)
        self.rule = _fmt("#8a8a8a")
        self.jinja_delimiter = _fmt("#00796b", bold=True, background="#e6f4f1")
        self.jinja_body = _fmt("#00695c", background="#eef8f6")
        self.jinja_keyword = _fmt("#004d40", bold=True, background="#eef8f6")
        self.jinja_string = _fmt("#9e3d00", background="#eef8f6")
        self.jinja_filter = _fmt("#283593", background="#eef8f6")
        self.jinja_comment = _fmt("#8d8d8d", italic=True)


class TemplateHighlighter(QSyntaxHighlighter):
    """Colours Markdown and Jinja2 in a section template as it is typed."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.formats = TemplateFormats()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        previous = self.previousBlockState()
        state = previous if previous in _CLOSERS or previous == IN_FENCE else NORMAL
        if state == IN_FENCE or (state == NORMAL and _FENCE_RE.match(text)):
            self._fence_line(text, state)
            return
        if state == NORMAL:
            self._markdown(text)
        self.setCurrentBlockState(self._jinja(text, state))

    # -- Markdown ---------------------------------------------------------

    def _fence_line(self, text: str, state: int) -> None:
        self.setFormat(0, len(text), self.formats.code)
        opens_or_closes = bool(_FENCE_RE.match(text))
        if state == IN_FENCE:
            self.setCurrentBlockState(NORMAL if opens_or_closes else IN_FENCE)
        else:
            self.setCurrentBlockState(IN_FENCE)

    def _markdown(self, text: str) -> None:
        f = self.formats
        if _HEADING_RE.match(text):
            self.setFormat(0, len(text), f.heading)
            return
        if _RULE_RE.match(text):
            self.setFormat(0, len(text), f.rule)
            return
        if _QUOTE_RE.match(text):
            self.setFormat(0, len(text), f.quote)
        marker = _LIST_RE.match(text)
        if marker:
            self.setFormat(0, marker.end(), f.list_marker)
        for regex, fmt in (
            (_BOLD_RE, f.bold),
            (_ITALIC_RE, f.italic),
            (_LINK_RE, f.link),
            (_FOOTNOTE_RE, f.footnote),
            (_CODE_RE, f.code),
        ):
            for match in regex.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), fmt)
        if text.lstrip().startswith("|"):
            for match in _TABLE_PIPE_RE.finditer(text):
                self.setFormat(match.start(), 1, f.table_pipe)

    # -- Jinja ------------------------------------------------------------

    def _jinja(self, text: str, state: int) -> int:
        """Colour the Jinja parts of a line; return the state at its end."""
        pos = 0
        while pos <= len(text):
            if state == NORMAL:
                opener = _JINJA_OPEN_RE.search(text, pos)
                if not opener:
                    return NORMAL
                state = _OPENERS[opener.group()[:2]]
                self._delimiter(opener.start(), opener.end() - opener.start(), state)
                pos = opener.end()
                continue
            closer = _CLOSERS[state]
            end = text.find(closer, pos)
            inner_end = len(text) if end < 0 else end
            # a "-" before the closer trims whitespace: part of the delimiter
            if end > pos and text[end - 1] == "-":
                inner_end = end - 1
            self._inner(text, pos, inner_end, state)
            if end < 0:
                return state
            self._delimiter(inner_end, end + 2 - inner_end, state)
            pos = end + 2
            state = NORMAL
        return state

    def _delimiter(self, start: int, length: int, state: int) -> None:
        fmt = self.formats.jinja_comment if state == IN_COMMENT else self.formats.jinja_delimiter
        self.setFormat(start, length, fmt)

    def _inner(self, text: str, start: int, end: int, state: int) -> None:
        f = self.formats
        if end <= start:
            return
        if state == IN_COMMENT:
            self.setFormat(start, end - start, f.jinja_comment)
            return
        self.setFormat(start, end - start, f.jinja_body)
        part = text[start:end]
        for match in _KEYWORD_RE.finditer(part):
            self.setFormat(start + match.start(), match.end() - match.start(), f.jinja_keyword)
        for match in _NUMBER_RE.finditer(part):
            self.setFormat(start + match.start(), match.end() - match.start(), f.jinja_string)
        for match in _FILTER_RE.finditer(part):
            self.setFormat(start + match.start(1), match.end(1) - match.start(1), f.jinja_filter)
        for match in _STRING_RE.finditer(part):
            self.setFormat(start + match.start(), match.end() - match.start(), f.jinja_string)


class DiffHighlighter(QSyntaxHighlighter):
    """Colours a unified diff: additions green, removals red, hunks blue."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.added = _fmt("#1b5e20", background="#e6f4ea")
        self.removed = _fmt("#b71c1c", background="#fdecea")
        self.hunk = _fmt("#1565c0", bold=True)
        self.header = _fmt("#555555", bold=True)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        if text.startswith(("+++", "---")):
            fmt = self.header
        elif text.startswith("@@"):
            fmt = self.hunk
        elif text.startswith("+"):
            fmt = self.added
        elif text.startswith("-"):
            fmt = self.removed
        else:
            return
        self.setFormat(0, len(text), fmt)
