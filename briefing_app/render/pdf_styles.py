"""Paragraph and table styles of the PDF, derived from the theme.

One :class:`PdfStyles` holds every ReportLab style the backend and page
templates use, so the look is decided here and nowhere else: dark blue
numbered headings, quiet body text, tables with a filled header row and
light stripes, small muted captions' sources.

Styles are made once per theme and fonts and shared by every build (nothing
changes a style once made). They also keep the parsed form of paragraph
markup (:meth:`PdfStyles.paragraph_of`): reading ReportLab's markup is a
large part of a build, and a briefing rebuilt after an edit repeats almost
all of its paragraphs. The paragraph flowable itself is in
``pdf_paragraph.py``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from briefing_app.render.bidi import has_rtl
from briefing_app.render.pdf_fonts import FontSet
from briefing_app.render.pdf_paragraph import BriefingParagraph
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
        # Its line breaking is kept too: what is put costs a pickled copy
        # while the document is laid out, the rest when it is done.
        return parsed_style, frags, bullet_frags, entry

    def prefetch(self, stop) -> None:
        """Rebuild kept paragraphs ahead until ``stop()`` (a process waiting for its document)."""
        if self._kept is not None:
            self._kept.prefetch(stop)

    def keep_parsed(self) -> None:
        """Write what was parsed for the next process (once a document is done)."""
        if self._kept is not None:
            self._kept.save()

    def heading(self, level: int) -> ParagraphStyle:
        return self.paragraph[f"h{min(max(level, 1), 4)}"]


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
        # A word wider than its column ("TRANS-URBAN-EU-CHINA") breaks after
        # one of its hyphens, as Word breaks it, not between any two letters.
        "cell": style(
            "cell", fontSize=small + 0.5, leading=(small + 0.5) * 1.25, embeddedHyphenation=1
        ),
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
