"""The paragraph flowable of the PDF: line breaking kept, right-to-left text drawn.

:class:`BriefingParagraph` is ReportLab's ``Paragraph`` with two additions:
it breaks its lines once per width (and may take its first line breaking
from disk, :mod:`briefing_app.render.pdf_parsed_cache`), and it draws Arabic
or Hebrew text in visual order (:mod:`briefing_app.render.bidi`), with a
right-to-left list item's bullet on the right. The helpers below it put a
paragraph's broken lines in drawing order. The styles that make these
paragraphs are in ``pdf_styles.py``.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.rl_config import paraFontSizeHeightOffset

from briefing_app.render.bidi import base_is_rtl, has_rtl, visual_line, visual_runs


class BriefingParagraph(Paragraph):
    """A paragraph that breaks its lines once per width and draws right-to-left text.

    ReportLab asks a paragraph for its size several times before drawing it
    (keep-with-next groups, splitting, the room for footnotes); the answer
    depends on the width alone, so the lines are kept for the last width.

    ReportLab draws every line left to right in logical order. A paragraph
    holding Arabic or Hebrew is drawn from a copy of its lines put in visual
    order (:mod:`briefing_app.render.bidi`), line by line after the lines are
    broken; the lines themselves are untouched, so splitting across pages
    and measuring are as for any paragraph. A paragraph whose first strong
    character is right-to-left is set flush right (a justified one keeps
    its full lines and sets its last line flush right).
    """

    _wrapped_width: float | None = None
    # None: not looked at yet; False: no right-to-left text; True/"rtl": has
    # some, in a left-to-right or a right-to-left paragraph.
    _bidi: bool | str | None = None
    rtl_flush_right = True  # False keeps a right-to-left paragraph's alignment
    # A list item that reads right to left has its bullet here, not in
    # ReportLab's bulletText: drawn at the right, ``bulletIndent`` from the
    # right edge (its style mirrors the indents).
    rtl_bullet: str | None = None

    # (keeper, entry, parsed frags, style) while the first line breaking may
    # come from disk (pdf_parsed_cache.py); None once broken.
    _kept_lines: tuple | None = None
    # (keeper, entry, width) of the line breaking this paragraph holds, when
    # it is its first one: the parts of a split are then known by entry too.
    _broken_from: tuple | None = None

    def breakLines(self, width):
        kept, self._kept_lines = self._kept_lines, None
        self._broken_from = None
        if kept is None:
            return super().breakLines(width)
        keeper, entry, frags, style = kept
        if self.frags is not frags or self.style is not style:  # changed since made
            return super().breakLines(width)
        self._broken_from = (keeper, entry, width)
        key = keeper.lines_key(entry, width)
        found = keeper.get(key)
        if found is not None:
            changed, lines, kept_frags = found
            self.__dict__.update(changed)
            if kept_frags is not None:  # the lines share pieces with them
                self.frags = kept_frags
            return lines
        before = dict(self.__dict__)
        lines = super().breakLines(width)
        after = self.__dict__
        if all(name in after for name in before):
            changed = {k: v for k, v in after.items() if k not in before or before[k] is not v}
            keeper.put(key, (changed, lines, None if "frags" in changed else self.frags))
        return lines

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        source = self._broken_from if len(parts) == 2 else None
        for index, part in enumerate(parts):
            if isinstance(part, BriefingParagraph):
                part._bidi = self._bidi  # a part keeps the direction of the whole paragraph
                part.rtl_bullet = self.rtl_bullet if index == 0 else None
                if source is not None:  # its line breaking may come from disk too
                    keeper, entry, width = source
                    split_at = len(parts[0].blPara.lines)
                    key = keeper.part_key(entry, width, index, split_at, part.style, part.frags)
                    part._kept_lines = (keeper, key, part.frags, part.style)
        return parts

    def drawPara(self, debug=0):
        if self.rtl_bullet:
            self._draw_right_bullet(self.rtl_bullet)
        bidi_kind = self._bidi
        if bidi_kind is None:
            bidi_kind = self._bidi = _bidi_kind(self.blPara)
        if not bidi_kind:
            return super().drawPara(debug)
        rtl = bidi_kind == "rtl"
        logical = self.blPara
        self.blPara = _visual_lines(logical, rtl)
        offsets = getattr(self, "_offsets", None)
        if rtl and self.rtl_flush_right:
            justify_last = bool(getattr(self, "_JustifyLast", False))  # set on a split's top part
            self._offsets = _flush_right_offsets(
                self.blPara, self.style.alignment, offsets, justify_last
            )
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = logical
            if offsets is None:
                self.__dict__.pop("_offsets", None)
            else:
                self._offsets = offsets

    def _draw_right_bullet(self, bullet: str) -> None:
        style, lines = self.style, self.blPara
        first = lines if lines.kind == 0 else lines.lines[0] if lines.lines else lines
        size = style.bulletFontSize
        if paraFontSizeHeightOffset:
            baseline = self.height - first.fontSize
        else:
            baseline = self.height - getattr(first, "ascent", first.fontSize)
        baseline += getattr(style, "bulletOffsetY", 0)
        # The number of a right-to-left list reads "1." from the right: drawn ".1".
        text = f".{bullet[:-1]}" if bullet[:-1].isdigit() and bullet.endswith(".") else bullet
        width = stringWidth(text, style.bulletFontName, size)
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(style.bulletFontName, size)
        canvas.setFillColor(getattr(style, "bulletColor", None) or style.textColor)
        canvas.drawString(self.width - style.bulletIndent - width, baseline, text)
        canvas.restoreState()

    def wrap(self, availWidth, availHeight):
        # ReportLab drops the lines at times (splitting): then break again.
        if availWidth == self._wrapped_width and getattr(self, "blPara", None) is not None:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None and self.width == availWidth:
            self._wrapped_width = availWidth
        return size


def _line_texts(blPara) -> list[str]:
    if blPara.kind == 0:
        return [" ".join(words) for _, words in blPara.lines]
    return ["".join(getattr(frag, "text", "") for frag in line.words) for line in blPara.lines]


def _bidi_kind(blPara) -> bool | str:
    """False for no right-to-left text, "rtl" for a right-to-left paragraph, else True."""
    texts = _line_texts(blPara)
    if not any(has_rtl(text) for text in texts):
        return False
    return "rtl" if base_is_rtl("".join(texts)) else True


def _visual_lines(blPara, rtl: bool):
    """A copy of ``blPara`` whose lines hold their text in drawing order."""
    if blPara.kind == 0:
        # One style: a line is its words; reordering keeps the spaces' count,
        # so justification spreads the same space.
        lines = [
            (extra, visual_line(" ".join(words), rtl).split(" ") if words else words)
            for extra, words in blPara.lines
        ]
    else:
        lines = [_visual_frag_line(line, rtl) for line in blPara.lines]
    return blPara.clone(lines=lines)


def _visual_frag_line(line, rtl: bool):
    """One line of styled frags in drawing order; a frag may be cut in pieces."""
    words = line.words
    texts = [frag.text if _is_text(frag) else "" for frag in words]
    if not any(has_rtl(text) for text in texts):
        return line
    runs = visual_runs(texts, rtl)
    # Frags without text (footnote and contents callbacks, anchors): those
    # after the last text end the line (a contents entry's dot leader starts
    # where its callback is drawn); the others follow the text before them.
    last_text = max(index for index, text in enumerate(texts) if text)
    attached: dict[int, list] = {}
    owner = -1
    for index, frag in enumerate(words):
        if texts[index]:
            owner = index
        else:
            attached.setdefault(owner if index < last_text else len(words), []).append(frag)
    last_run = {number: position for position, (number, _) in enumerate(runs)}
    visual = list(attached.get(-1, ()))
    for position, (number, text) in enumerate(runs):
        visual.append(words[number].clone(text=text))
        if last_run[number] == position:
            visual.extend(attached.get(number, ()))
    visual.extend(attached.get(len(words), ()))
    return line.clone(words=visual)


def _is_text(frag) -> bool:
    return not hasattr(frag, "cbDefn") and isinstance(getattr(frag, "text", None), str)


def _flush_right_offsets(
    blPara, alignment: int, offsets: list | None, justify_last: bool
) -> list | None:
    """Line offsets that push left-set lines of a right-to-left paragraph to the right."""
    if alignment not in (TA_LEFT, TA_JUSTIFY):
        return offsets
    lines = blPara.lines
    last = len(lines) - 1
    result = []
    for index, line in enumerate(lines):
        base = offsets[min(index, len(offsets) - 1)] if offsets else 0
        if blPara.kind == 0:
            extra, broken = line[0], False
        else:
            extra, broken = line.extraSpace, bool(getattr(line, "lineBreak", False))
        if alignment == TA_LEFT or (index == last and not justify_last) or broken:
            result.append(base + max(extra, 0))
        else:
            result.append(base)
    return result
