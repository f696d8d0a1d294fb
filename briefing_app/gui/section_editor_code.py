"""The template text field: monospace, line numbers, and the error marked in place.

A template error names a line and often a column; the editor tints that line,
underlines the character at the column with a red wave and paints the line
number red, so the consultant sees where the problem is without reading the
message twice.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from briefing_app.gui.highlighter import TemplateHighlighter

ERROR_LINE_COLOUR = QColor("#fdecea")
ERROR_MARK_COLOUR = QColor("#c62828")
GUTTER_BACKGROUND = QColor("#f3f3f3")
GUTTER_TEXT = QColor("#8a8a8a")


class _LineNumberGutter(QWidget):
    def __init__(self, editor: TemplateEdit):
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        self.editor.paint_gutter(event)


class TemplateEdit(QPlainTextEdit):
    """A plain-text editor for section templates with an error marker."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.setAccessibleName("Template text")
        self.highlighter = TemplateHighlighter(self.document())
        self.error_line: int | None = None  # 1-based
        self.error_column: int | None = None  # 1-based
        self._gutter = _LineNumberGutter(self)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self._update_gutter_width()

    # -- error marking ----------------------------------------------------

    def mark_error(self, line: int | None, column: int | None) -> None:
        """Tint ``line`` (1-based) and underline ``column``; None clears the mark."""
        self.error_line = line if line and line >= 1 else None
        self.error_column = column if self.error_line and column and column >= 1 else None
        selections = []
        block = self.document().findBlockByNumber((self.error_line or 1) - 1)
        if self.error_line is not None and block.isValid():
            whole_line = QTextEdit.ExtraSelection()
            whole_line.format.setBackground(ERROR_LINE_COLOUR)
            whole_line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            whole_line.cursor = QTextCursor(block)
            selections.append(whole_line)
            spot = self._error_spot(block)
            if spot is not None:
                selections.append(spot)
        self.setExtraSelections(selections)
        self._gutter.update()

    def _error_spot(self, block) -> QTextEdit.ExtraSelection | None:
        length = block.length() - 1  # without the paragraph separator
        if length <= 0:
            return None
        column = min(self.error_column or 1, length)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, n=column - 1)
        # Underline the rest of the word from the column (at least one character).
        end = column
        text = block.text()
        while end < length and not text[end].isspace():
            end += 1
        cursor.movePosition(
            QTextCursor.MoveOperation.Right,
            QTextCursor.MoveMode.KeepAnchor,
            max(1, end - column + 1),
        )
        spot = QTextEdit.ExtraSelection()
        spot.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        spot.format.setUnderlineColor(ERROR_MARK_COLOUR)
        spot.cursor = cursor
        return spot

    def go_to(self, line: int, column: int | None = None) -> None:
        """Put the caret at ``line``/``column`` (1-based) and show it."""
        block = self.document().findBlockByNumber(max(line, 1) - 1)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        if column:
            cursor.movePosition(
                QTextCursor.MoveOperation.Right, n=min(column - 1, block.length() - 1)
            )
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    # -- line numbers -----------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * max(digits, 3)

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), GUTTER_BACKGROUND)
        block = self.firstVisibleBlock()
        number = block.blockNumber() + 1
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width() - 6
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                is_error = number == self.error_line
                font = painter.font()
                font.setBold(is_error)
                painter.setFont(font)
                painter.setPen(ERROR_MARK_COLOUR if is_error else GUTTER_TEXT)
                painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number))
            block = block.next()
            top = bottom
            number += 1
