"""Inline content as WordprocessingML: runs, hyperlinks, footnote marks.

The renderer writes XML as text and parses it once per paragraph or per chunk
of table rows, which is many times faster than building elements one call at
a time; so every piece of user text passes through :func:`clean_text` and
:func:`escape` here, the one place that keeps the file valid XML.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from briefing_app.document import FootnoteRef, LineBreak, Runs, Text
from briefing_app.render.bidi import base_is_rtl, has_rtl, rtl_spans
from briefing_app.render.docx_styles import StyleMap
from briefing_app.render.links import link_target
from briefing_app.render.url_breaks import with_breaks

# XML 1.0 forbids most C0 controls and the noncharacters U+FFFE/U+FFFF; a lone
# surrogate (from a badly decoded file) cannot even be encoded as UTF-8.
_FORBIDDEN_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")

# Scripts Word draws with the East Asian font slot: CJK punctuation, kana,
# ideographs (with extensions), Hangul, full-width forms.
_EAST_ASIAN = re.compile(
    "[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
_SPECIAL = re.compile("([\t\n])")
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
# Paragraph properties that come after w:bidi in the schema's order.
_AFTER_BIDI = re.compile(
    r"<w:(?:adjustRightInd|snapToGrid|spacing|ind|contextualSpacing|mirrorIndents"
    r"|suppressOverlap|jc|textDirection|textAlignment|textboxTightWrap|outlineLvl|divId"
    r"|cnfStyle|rPr|sectPr|pPrChange)[ />]"
)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def clean_text(text: str) -> str:
    """``text`` without characters a .docx cannot hold.

    Control characters are dropped (they carry no visible meaning); lone
    surrogates and noncharacters become U+FFFD so the reader sees that
    something was there. Carriage returns become line breaks.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _FORBIDDEN_CONTROLS.sub("", text)
    return _UNENCODABLE.sub("\ufffd", text)


def escape(text: str) -> str:
    """Clean ``text`` and escape it for element content or an attribute value."""
    return clean_text(text).translate(_ESCAPES)


def has_east_asian(text: str) -> bool:
    return _EAST_ASIAN.search(text) is not None


@dataclass(frozen=True)
class RunProps:
    """Run properties, written in the order the schema demands."""

    style: str = ""
    mono: bool = False
    bold: bool = False
    italic: bool = False
    colour: str = ""  # hex without '#'
    underline: bool = False
    superscript: bool = False
    # Right-to-left script (Arabic, Hebrew): Word then uses the complex-script
    # properties, so bold and italic are set for those too.
    rtl: bool = False

    def xml(self, east_asia_font: str = "") -> str:
        parts = []
        if self.style:
            parts.append(f'<w:rStyle w:val="{self.style}"/>')
        if self.mono or east_asia_font:
            mono = ' w:ascii="Consolas" w:hAnsi="Consolas"' if self.mono else ""
            east = f' w:eastAsia="{escape(east_asia_font)}"' if east_asia_font else ""
            parts.append(f"<w:rFonts{mono}{east}/>")
        if self.bold:
            parts.append("<w:b/><w:bCs/>" if self.rtl else "<w:b/>")
        if self.italic:
            parts.append("<w:i/><w:iCs/>" if self.rtl else "<w:i/>")
        if self.colour:
            parts.append(f'<w:color w:val="{self.colour}"/>')
        if self.underline:
            parts.append('<w:u w:val="single"/>')
        if self.superscript:
            parts.append('<w:vertAlign w:val="superscript"/>')
        if self.rtl:
            parts.append("<w:rtl/>")
        if east_asia_font:
            parts.append('<w:lang w:eastAsia="zh-CN"/>')
        return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


PLAIN = RunProps()


def text_runs(text: str, props: RunProps = PLAIN, east_asia_font: str = "") -> str:
    """A ``w:r`` for plain ``text``; tabs and newlines become ``w:tab``/``w:br``.

    Word picks the East Asian font slot for CJK characters by itself, but
    naming the font (and the language) on such runs keeps a reference file
    whose defaults lack a CJK font from showing boxes.
    """
    text = with_breaks(clean_text(text))
    if not text:
        return ""
    if has_rtl(text):
        # Word orders the characters itself; marking the right-to-left
        # stretches tells it which runs are right-to-left script.
        rtl_props = dataclasses.replace(props, rtl=True)
        return "".join(
            _runs(piece, rtl_props if rtl else props, east_asia_font)
            for piece, rtl in rtl_spans(text)
        )
    return _runs(text, props, east_asia_font)


def _runs(text: str, props: RunProps, east_asia_font: str) -> str:
    east = east_asia_font if east_asia_font and has_east_asian(text) else ""
    if "\t" not in text and "\n" not in text:  # the common case, kept fast for big tables
        escaped = text.translate(_ESCAPES)
        return f'<w:r>{_props_xml(props, east)}<w:t xml:space="preserve">{escaped}</w:t></w:r>'
    parts = []
    for piece in _SPECIAL.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece == "\n":
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{piece.translate(_ESCAPES)}</w:t>')
    return f"<w:r>{_props_xml(props, east)}{''.join(parts)}</w:r>"


def paragraph_properties(properties: str, content: str) -> str:
    """``properties`` (children of ``w:pPr``) with ``w:bidi`` if ``content`` reads right to left.

    A paragraph is right-to-left when its first strong character is (as
    Word and LibreOffice decide for text typed in): it then starts at the
    right margin, and list numbers and indents are mirrored.
    """
    if not has_rtl(content):
        return properties
    if not base_is_rtl(html.unescape("".join(_RUN_TEXT.findall(content)))):
        return properties
    after = _AFTER_BIDI.search(properties)
    at = after.start() if after else len(properties)
    return f"{properties[:at]}<w:bidi/>{properties[at:]}"


@functools.lru_cache(maxsize=256)
def _props_xml(props: RunProps, east_asia_font: str) -> str:
    return props.xml(east_asia_font)


@dataclass
class InlineContext:
    """What inline content needs from the document being written.

    ``part`` receives hyperlink relationships (the document part for the
    body, the footnotes part inside footnotes); ``footnote`` returns the XML
    of a footnote reference, or None where footnotes cannot go.
    """

    styles: StyleMap
    part: object
    east_asia_font: str
    bookmark_for: Callable[[str], str]
    footnote: Callable[[int], str] | None = None
    accent_hex: str = "2E75B6"


class InlineWriter:
    """Turn the model's runs into the XML of a paragraph's content."""

    def __init__(self, context: InlineContext) -> None:
        self.context = context
        styles = context.styles
        self._link_style = styles.character("Hyperlink")
        self._code_style = styles.character("Code")
        self._note_style = styles.character("Footnote Reference")

    def runs(self, runs: Runs, base: RunProps = PLAIN) -> str:
        """XML for ``runs``; ``base`` adds properties (e.g. table headers)."""
        out = []
        for run in runs:
            if isinstance(run, Text):
                out.append(self._text(run, base))
            elif isinstance(run, LineBreak):
                out.append("<w:r><w:br/></w:r>")
            elif isinstance(run, FootnoteRef):
                out.append(self._footnote(run.number))
        return "".join(out)

    def plain(self, text: str, props: RunProps = PLAIN) -> str:
        return text_runs(text, props, self.context.east_asia_font)

    def superscript(self, text: str) -> str:
        """A mark that looks like a footnote reference but is plain text."""
        if self._note_style:
            return self.plain(text, RunProps(style=self._note_style))
        return self.plain(text, RunProps(superscript=True))

    def _text(self, run: Text, base: RunProps) -> str:
        if run.link and link_target(run.link) is None:
            run = dataclasses.replace(run, link=None)  # printed as text (links.py)
        style = base.style
        if run.link and self._link_style:
            style = self._link_style
        elif run.code and self._code_style:
            style = self._code_style
        plain_link = bool(run.link) and not self._link_style
        props = RunProps(
            style=style,
            mono=base.mono or (run.code and not self._code_style),
            bold=base.bold or run.bold,
            italic=base.italic or run.italic,
            colour=self.context.accent_hex if plain_link else base.colour,
            underline=base.underline or plain_link,
            superscript=base.superscript,
        )
        xml = text_runs(run.text, props, self.context.east_asia_font)
        if not run.link or not xml:
            return xml
        return self._hyperlink(run.link, xml)

    def _hyperlink(self, target: str, content: str) -> str:
        target = clean_text(link_target(target) or "").strip()
        if not target:
            return content
        if target.startswith("#"):
            name = self.context.bookmark_for(target[1:])
            return f'<w:hyperlink w:anchor="{escape(name)}" w:history="1">{content}</w:hyperlink>'
        rel_id = self.context.part.relate_to(target, RT.HYPERLINK, is_external=True)
        return f'<w:hyperlink r:id="{rel_id}" w:history="1">{content}</w:hyperlink>'

    def _footnote(self, number: int) -> str:
        if self.context.footnote is None:
            return self.superscript(str(number))
        return self.context.footnote(number)
