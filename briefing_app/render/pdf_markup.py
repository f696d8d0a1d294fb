"""Inline runs to ReportLab paragraph markup.

ReportLab paragraphs take a small XML dialect. This module is the one place
that writes it: text is cleaned and escaped here, every span names the face
that can draw it (Latin or CJK), links become ``<a href>``, footnote
references become linked superscript numbers. Arabic is shaped here (joined
letter forms); the order of right-to-left text is left to the paragraph.
"""

from __future__ import annotations

from briefing_app.document import FootnoteRef, LineBreak, Runs, Text
from briefing_app.render.bidi import has_rtl, shape
from briefing_app.render.links import link_target
from briefing_app.render.pdf_fonts import FontSet, clean_text, find_missing_glyphs
from briefing_app.render.pdf_pieces import breakable
from briefing_app.render.url_breaks import with_breaks

# Name of the canvas callback a footnote mark calls when it is drawn.
FOOTNOTE_CALLBACK = "briefing_footnote"


def footnote_anchor(number: int) -> str:
    """The PDF destination name of footnote ``number``'s text."""
    return f"footnote:{number}"


# ReportLab breaks lines only at spaces: one too small to see lets an address
# break after "/" or "." instead of inside a word (render/url_breaks.py).
URL_BREAK = '<font size="0.1"> </font>'


def escape(text: str) -> str:
    """``text`` with &, < and > escaped for paragraph markup.

    As ``xml.sax.saxutils.escape``, written here: that module imports
    ``urllib.request`` (and with it ``http.client`` and ``email``), about
    12 ms of every ``briefing build``.
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``text`` escaped and quoted as an attribute value (as ``saxutils.quoteattr``)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


class MarkupWriter:
    """Writes markup for runs; remembers which footnotes were referenced."""

    def __init__(self, fonts: FontSet, link_colour: str, code_colour: str = "#8B2252"):
        self.fonts = fonts
        self.link_colour = link_colour
        self.code_colour = code_colour
        self.referenced: list[int] = []
        # Heading anchors as the document names them -> PDF destination names.
        # A link to any other destination would break the PDF.
        self.anchor_names: dict[str, str] = {}
        self.known_footnotes: set[int] = set()

    def plain(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """Markup for plain ``text`` in the given emphasis."""
        preferred = self.fonts.face(bold, italic)
        text = clean_text(text)
        if has_rtl(text):
            # Joined Arabic forms, still in logical order: the paragraph puts
            # each line in visual order when it draws it (pdf_paragraph.py).
            text = shape(text, self._drawable)
        parts = []
        for font, piece in self.fonts.segments(text, preferred):
            body = escape(breakable(piece)).replace("\n", "<br/>")
            parts.append(f'<font name="{font}">{body}</font>')
        return with_breaks("".join(parts), URL_BREAK)

    def _drawable(self, text: str) -> bool:
        return not find_missing_glyphs(text, self.fonts)

    def runs(self, runs: Runs | str, bold: bool = False, italic: bool = False) -> str:
        """Markup for inline runs (or a plain string) inside one paragraph."""
        if isinstance(runs, str):
            return self.plain(runs, bold, italic)
        return "".join(self._run(run, bold, italic) for run in runs)

    def _run(self, run, bold: bool, italic: bool) -> str:
        if isinstance(run, LineBreak):
            return "<br/>"
        if isinstance(run, FootnoteRef):
            self.referenced.append(run.number)
            if run.number not in self.known_footnotes:
                return f"<super>{run.number}</super>"
            target = footnote_anchor(run.number)
            # The callback tells the page layout on which page the mark lands.
            # It follows the number, so it sits in the number's word: placed
            # before it, a line (and page) break could fall between the two.
            return (
                f'<super><a href="#{target}" color="{self.link_colour}">'
                f"{run.number}</a></super>"
                f'<onDraw name="{FOOTNOTE_CALLBACK}" label="{run.number}"/>'
            )
        if not isinstance(run, Text):
            return ""
        markup = self.plain(run.text, bold or run.bold, italic or run.italic)
        if run.code:
            markup = f'<font color="{self.code_colour}">{markup}</font>'
        if run.link:
            link = clean_text(link_target(run.link) or "").strip()
            if link.startswith("#"):
                # An internal link to nothing keeps its words and drops the link.
                target = self.anchor_names.get(link[1:])
                link = f"#{target}" if target else ""
            if link:
                markup = (
                    f'<a href={quoteattr(link)} color="{self.link_colour}" '
                    f'underline="1">{markup}</a>'
                )
        return markup
