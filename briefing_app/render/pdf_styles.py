"""Paragraph and table styles of the PDF, derived from the theme.

One :class:`PdfStyles` holds every ReportLab style the backend and page
templates use, so the look is decided here and nowhere else: dark blue
numbered headings, quiet body text, tables with a filled header row and
light stripes, small muted captions' sources.

Styles are made once per theme and fonts and shared by every build (nothing
changes a style once made). They also keep the parsed form of paragraph
markup (:meth:`PdfStyles.paragraph_of`): reading ReportLab's markup is a
large part of a build, and a briefing rebuilt after an edit repeats almost
all of its paragraphs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser
from reportlab.rl_config import paraFontSizeHeightOffset

from briefing_app.render.bidi import base_is_rtl, has_rtl, visual_line, visual_runs
from briefing_app.render.pdf_fonts import FontSet
from briefing_app.render.pdf_parsed_cache import ParsedKeeper
from briefing_app.render.theme import Theme

CELL_PADDING = 3.5  # points, each side of a table cell
_PARSED_LIMIT = 50_000  # parsed paragraphs kept per set of styles

_MADE: dict[tuple, PdfStyles] = {}
_MADE_LOCK = threading.Lock()


@dataclass(frozen=True)
class PdfStyles:
    fonts: FontSet
    primary: colors.Color
    accent: colors.Color
    muted: colors.Color
    header_fill: colors.Color
    header_text: colors.Color
    stripe: colors.Color
    rule: colors.Color
    paragraph: dict[str, ParagraphStyle]
    # markup, style name, bullet -> what ReportLab's parser made of them.
    _parsed: dict[tuple, tuple] = field(default_factory=dict, compare=False, repr=False)
    # The same, kept on disk for the next process (pdf_parsed_cache.py).
    _kept: ParsedKeeper | None = field(default=None, compare=False, repr=False)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.paragraph[name]

    def derived(self, name: str, base: str, **changes) -> ParagraphStyle:
        """Style ``base`` with ``changes``, made once under ``name``.

        The name must say what the changes are (``list2``): a later call with
        the same name gets the style made first.
        """
        style = self.paragraph.get(name)
        if style is None:
            style = self.paragraph.setdefault(name, self.paragraph[base].clone(name, **changes))
        return style

    def paragraph_of(
        self,
        markup: str,
        style: ParagraphStyle,
        bullet: str | None = None,
        kind: type[Paragraph] | None = None,
    ) -> Paragraph:
        """A new ``kind`` paragraph of ``markup``, parsed once per text and style.

        Each call returns its own paragraph (layout keeps state on it); the
        parsed pieces are shared, which ReportLab only reads. A style that is
        not one of these styles is parsed every time.
        """
        kind = kind or BriefingParagraph
        if self.paragraph.get(style.name) is not style:
            return kind(markup, style, bulletText=bullet)
        key = (markup, style.name, bullet)
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed_style, frags, bullet_frags, entry = self._parse(markup, style, bullet)
            if frags is None:  # let ReportLab raise its own error for broken markup
                return kind(markup, style, bulletText=bullet)
            # False: no right-to-left text, so drawing need not look (None: look).
            bidi = None if has_rtl(markup) else False
            parsed = (parsed_style, frags, bullet_frags or bullet, bidi, entry)
            if len(self._parsed) >= _PARSED_LIMIT:
                self._parsed.clear()
            self._parsed[key] = parsed
        parsed_style, frags, bullet_text, bidi, entry = parsed
        paragraph = kind(markup, parsed_style, bulletText=bullet_text, frags=frags)
        if isinstance(paragraph, BriefingParagraph):
            if bidi is False:
                paragraph._bidi = False
            if entry is not None and type(paragraph).breakLines is BriefingParagraph.breakLines:
                paragraph._kept_lines = (self._kept, entry, frags, style)
        return paragraph

    def _parse(self, markup: str, style: ParagraphStyle, bullet: str | None) -> tuple:
        """(style, frags, bullet frags) as ReportLab parses them, or as kept on disk."""
        kept = self._kept
        if kept is not None and "<img" not in markup:  # pictures are read from files
            entry = kept.entry_key(markup, style, bullet)
            found = kept.get(entry)
            if found is not None:
                parsed_style, frags, bullet_frags = found
                return (style if parsed_style is None else parsed_style), frags, bullet_frags, entry
        parser = ParaParser()
        parser.caseSensitive = 1  # as Paragraph itself parses
        parsed_style, frags, bullet_frags = parser.parse(cleanBlockQuotedText(markup), style)
        if frags is None:
            return parsed_style, frags, bullet_frags, None
        textTransformFrags(frags, parsed_style)
        if kept is None or "<img" in markup:
            return parsed_style, frags, bullet_frags, None
        kept.put(entry, (None if parsed_style is style else parsed_style, frags, bullet_frags))
        # Its line breaking is kept only from the next process on, which finds
        # the markup kept: a text built once pays for neither.
        return parsed_style, frags, bullet_frags, None

    def keep_parsed(self) -> None:
        """Write what was parsed for the next process (once a document is done)."""
        if self._kept is not None:
            self._kept.save()

    def heading(self, level: int) -> ParagraphStyle:
        return self.paragraph[f"h{min(max(level, 1), 4)}"]


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
    # come from disk (pdf_parsed_cache.py); None once broken or for parts.
    _kept_lines: tuple | None = None

    def breakLines(self, width):
        kept, self._kept_lines = self._kept_lines, None
        if kept is None:
            return super().breakLines(width)
        keeper, entry, frags, style = kept
        if self.frags is not frags or self.style is not style:  # changed since made
            return super().breakLines(width)
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
        for index, part in enumerate(parts):
            if isinstance(part, BriefingParagraph):
                part._bidi = self._bidi  # a part keeps the direction of the whole paragraph
                part.rtl_bullet = self.rtl_bullet if index == 0 else None
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


def make_styles(theme: Theme, fonts: FontSet) -> PdfStyles:
    """Every style of the PDF for ``theme`` with the registered ``fonts``.

    Made once per theme and fonts, then shared (see the module's docstring).
    """
    key = (repr(theme), fonts.body, fonts.bold, fonts.italic, fonts.bold_italic, fonts.cjk)
    with _MADE_LOCK:
        made = _MADE.get(key)
        if made is None:
            made = _MADE[key] = _make_styles(theme, fonts)
        return made


def _make_styles(theme: Theme, fonts: FontSet) -> PdfStyles:
    colour = _colour_reader(theme)
    primary, accent, muted = (
        colour("primary", "#1F3864"),
        colour("accent", "#2E75B6"),
        colour("muted", "#595959"),
    )
    size = _size_reader(theme)
    body_size, small = size("body", 10), size("small", 8)

    def style(name: str, **kw) -> ParagraphStyle:
        base = dict(
            fontName=fonts.body,
            fontSize=body_size,
            leading=body_size * 1.35,
            textColor=colors.HexColor("#222222"),
            splitLongWords=1,
        )
        base.update(kw)
        return ParagraphStyle(name, **base)

    def heading(level: int, font_size: float, before: float, after: float) -> ParagraphStyle:
        return style(
            f"h{level}",
            fontName=fonts.bold,
            fontSize=font_size,
            leading=font_size * 1.25,
            textColor=primary,
            spaceBefore=before,
            spaceAfter=after,
            keepWithNext=1,
            alignment=TA_LEFT,
        )

    paragraph = {
        "body": style("body", spaceAfter=6, alignment=TA_JUSTIFY),
        "abstract": style(
            "abstract",
            spaceAfter=6,
            alignment=TA_JUSTIFY,
            leftIndent=8,
            rightIndent=8,
            borderPadding=(6, 8, 6, 8),
            backColor=colour("table_stripe", "#EEF3FA"),
            spaceBefore=6,
        ),
        "disclaimer": style(
            "disclaimer",
            fontSize=small,
            leading=small * 1.35,
            textColor=muted,
            spaceAfter=5,
            alignment=TA_JUSTIFY,
        ),
        "quote": style(
            "quote",
            fontName=fonts.italic,
            leftIndent=18,
            rightIndent=18,
            textColor=colors.HexColor("#404040"),
            spaceAfter=6,
        ),
        "note": style(
            "note",
            fontSize=small + 0.5,
            leading=(small + 0.5) * 1.35,
            borderPadding=5,
            backColor=colors.HexColor("#F5F5F5"),
            spaceBefore=4,
            spaceAfter=8,
            leftIndent=5,
            rightIndent=5,
        ),
        "source": style(
            "source",
            fontSize=small,
            leading=small * 1.3,
            textColor=muted,
            spaceBefore=2,
            spaceAfter=10,
        ),
        "caption": style(
            "caption",
            fontName=fonts.bold,
            fontSize=body_size - 1,
            leading=(body_size - 1) * 1.3,
            textColor=primary,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "figure_caption": style(
            "figure_caption",
            fontName=fonts.bold,
            fontSize=body_size - 1,
            leading=(body_size - 1) * 1.3,
            textColor=primary,
            spaceBefore=4,
            spaceAfter=2,
            alignment=TA_CENTER,
        ),
        "h1": heading(1, size("heading1", 16), 16, 8),
        "h2": heading(2, size("heading2", 13), 12, 6),
        "h3": heading(3, size("heading3", 11), 10, 4),
        "h4": heading(4, size("heading3", 11) - 1, 8, 3),
        "contents_title": style(
            "contents_title",
            fontName=fonts.bold,
            fontSize=size("heading1", 16),
            leading=size("heading1", 16) * 1.3,
            textColor=primary,
            spaceBefore=4,
            spaceAfter=10,
            keepWithNext=1,
        ),
        "cell": style("cell", fontSize=small + 0.5, leading=(small + 0.5) * 1.25),
        "cell_header": style(
            "cell_header",
            fontName=fonts.bold,
            fontSize=small + 0.5,
            leading=(small + 0.5) * 1.25,
            textColor=colour("table_header_text", "#FFFFFF"),
        ),
        "list": style("list", spaceAfter=3, alignment=TA_LEFT),
        "footnote": style(
            "footnote",
            fontSize=small,
            leading=small * 1.3,
            leftIndent=14,
            firstLineIndent=-14,
            spaceAfter=2,
        ),
        "notes_title": style(
            "notes_title",
            fontName=fonts.bold,
            fontSize=body_size,
            textColor=primary,
            spaceBefore=12,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "title": style(
            "title",
            fontName=fonts.bold,
            fontSize=size("title", 26),
            leading=size("title", 26) * 1.2,
            textColor=primary,
            spaceAfter=8,
        ),
        "subtitle": style(
            "subtitle",
            fontSize=size("heading2", 13) + 1,
            leading=(size("heading2", 13) + 1) * 1.3,
            textColor=accent,
            spaceAfter=18,
        ),
        "cover_label": style(
            "cover_label",
            fontName=fonts.bold,
            fontSize=small + 0.5,
            leading=(small + 0.5) * 1.3,
            textColor=primary,
        ),
        "cover_value": style("cover_value", fontSize=small + 0.5, leading=(small + 0.5) * 1.3),
        "copyright": style(
            "copyright",
            fontSize=small,
            leading=small * 1.3,
            textColor=muted,
            spaceBefore=14,
            spaceAfter=6,
        ),
    }
    for level in range(4):
        paragraph[f"toc{level}"] = style(
            f"toc{level}",
            fontName=fonts.bold if level == 0 else fonts.body,
            fontSize=body_size if level == 0 else body_size - 0.5,
            leading=(body_size + 4) if level == 0 else (body_size + 2.5),
            leftIndent=14 * level + 28,
            firstLineIndent=-28,
            spaceBefore=5 if level == 0 else 0,
            textColor=primary if level == 0 else colors.HexColor("#222222"),
        )
    paragraph["toc_caption"] = style(
        "toc_caption", fontSize=body_size - 0.5, leading=body_size + 3, leftIndent=0
    )
    return PdfStyles(
        _kept=ParsedKeeper(
            reportlab.Version,
            repr(theme),
            repr((fonts.body, fonts.bold, fonts.italic, fonts.bold_italic, fonts.cjk)),
            *_font_files(theme),
        ),
        fonts=fonts,
        primary=primary,
        accent=accent,
        muted=muted,
        header_fill=colour("table_header", "#1F3864"),
        header_text=colour("table_header_text", "#FFFFFF"),
        stripe=colour("table_stripe", "#EEF3FA"),
        rule=colors.HexColor("#BFBFBF"),
        paragraph=paragraph,
    )


def _font_files(theme: Theme) -> list[str]:
    """Path, size and time of each font file: a replaced font is another set of styles."""
    found = []
    for role in ("body", "bold", "italic", "bold_italic", "cjk"):
        try:
            path = theme.font_path(role)
            info = path.stat()
            found.append(f"{path.resolve()}:{info.st_size}:{info.st_mtime_ns}")
        except (KeyError, OSError):
            found.append(f"{role}:?")
    return found


def _colour_reader(theme: Theme):
    def read(role: str, default: str) -> colors.Color:
        return colors.HexColor(theme.colours.get(role, default))

    return read


def _size_reader(theme: Theme):
    def read(role: str, default: float) -> float:
        return float(theme.sizes.get(role, default))

    return read
